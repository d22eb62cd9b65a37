import DossierModel

/// What `index --check` found comparing the index's rows with the store.
public struct IndexStoreCheck: Sendable, Equatable {
    /// One dossier whose rows differ from what its head version says.
    public struct Difference: Sendable, Equatable {
        public var dossier: DossierID
        /// What differs: `record`, `title`, `head`, `headCreated`, `status`, `flags`,
        /// `findings`, `inventory`; or `missing from the index` / `not in the store`.
        public var fields: [String]
    }

    /// How many dossiers were re-derived from the store and compared.
    public var compared = 0
    /// Whether every dossier was compared (`--deep`), not a sample.
    public var deep = false
    public var differences: [Difference] = []
}

extension IndexMaintainer {
    /// How many dossiers `index --check` re-derives when not `--deep`.
    public static let checkSample = 32

    /// Re-derives dossiers from the store — a sample of ``checkSample``, or every one when
    /// `deep` — into an index in memory, and compares their list rows (record, head, status,
    /// flags, findings) and inventory digest with those of `index`: a row edited in
    /// index.sqlite, which the freshness check (it watches the store, not the index) cannot
    /// see, is named. Texts already extracted are reused (by sha512), so the cost is reading
    /// each dossier's head and judging it.
    public func compareWithStore(_ index: DossierIndex, deep: Bool, sample: Int = checkSample) throws -> IndexStoreCheck {
        var check = IndexStoreCheck()
        check.deep = deep
        let indexed = Dictionary(try index.list().map { ($0.record.id, $0) }, uniquingKeysWith: { first, _ in first })
        let digests = try index.inventoryDigests()
        var ids: [DossierID]
        if deep {
            let stored = try store.dossierIDs()
            let inStore = Set(stored)
            for id in stored where indexed[id] == nil {
                check.differences.append(.init(dossier: id, fields: ["missing from the index"]))
            }
            for id in indexed.keys.sorted() where !inStore.contains(id) {
                check.differences.append(.init(dossier: id, fields: ["not in the store"]))
            }
            ids = stored.filter { indexed[$0] != nil }
        } else {
            var generator = SystemRandomNumberGenerator()
            ids = Array(indexed.keys.sorted().shuffled(using: &generator).prefix(sample)).filter { store.exists($0) }
        }
        ids.sort()
        let derived = try DossierIndex.inMemory()
        for id in ids {
            do {
                try derived.replace(try indexedDossier(id, known: try index.knownTexts(of: id)))
            } catch is StoreError {
                // A damaged object: `verify` names it; the index cannot be compared with it.
                continue
            }
            check.compared += 1
        }
        let fromStore = Dictionary(try derived.list().map { ($0.record.id, $0) }, uniquingKeysWith: { first, _ in first })
        let derivedDigests = try derived.inventoryDigests()
        for id in ids {
            guard let want = fromStore[id], let have = indexed[id] else { continue }
            var fields: [String] = []
            if have.record != want.record { fields.append(have.record.title != want.record.title ? "title" : "record") }
            if have.head != want.head { fields.append("head") }
            if have.headCreated != want.headCreated { fields.append("headCreated") }
            if have.status != want.status { fields.append("status") }
            if have.flags != want.flags { fields.append("flags") }
            if have.findings != want.findings { fields.append("findings") }
            if digests[id] != derivedDigests[id] { fields.append("inventory") }
            if !fields.isEmpty { check.differences.append(.init(dossier: id, fields: fields)) }
        }
        check.differences.sort { $0.dossier < $1.dossier }
        return check
    }
}
