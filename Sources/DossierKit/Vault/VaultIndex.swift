#if canImport(Glibc)
import Glibc
#endif

/// What had to be done to the index before it could answer, for the one line on stderr.
public enum IndexRepair: Sendable, Equatable, CustomStringConvertible {
    case missing
    case damaged(String)
    case otherFormat(String)
    /// The store changed behind the index's back: these dossiers were re-read or dropped.
    case stale(changed: Int, added: Int, removed: Int)

    public var description: String {
        switch self {
        case .missing: "the index was missing; rebuilt it from the store"
        case .damaged(let reason): "the index was damaged (\(reason)); rebuilt it from the store"
        case .otherFormat(let found): "the index was written in another format (\(found)); rebuilt it from the store"
        case .stale(let changed, let added, let removed):
            "the index was stale (the store changed behind its back: \(changed) changed, \(added) new, \(removed) removed); updated those dossiers"
        }
    }
}

/// What a rebuild did.
public struct IndexBuildSummary: Sendable, Equatable {
    public var dossiers: Int
    public var documents: Int
    public var textBytes: Int64
    /// Dossiers the store could not give (a damaged object): named with the reason, and left out.
    public var unreadable: [String]
}

extension Vault {
    /// The index's file: derived, rebuilt from `store/` whenever it is missing, damaged or stale.
    public var indexPath: String { "\(home)/index.sqlite" }

    /// Reads one dossier's head from the store as the index keeps it, with the text of its
    /// documents. Texts already extracted for the same bytes (`known`, by sha512) are reused.
    public func indexedDossier(
        _ id: DossierID, enricher: IndexEnricher, known: [String: ExtractedText] = [:]
    ) throws(VaultError) -> IndexedDossier {
        do {
            let inventory = try store.inventory(of: id)
            let record = try store.record(of: id, inventory: inventory)
            let sha256ByContent = Self.sha256ByContentPath(inventory)
            var documents: [IndexedDocument] = []
            for entry in record.documents {
                let (file, digest) = try store.contentFile(of: id, inventory: inventory, logicalPath: entry.path, version: inventory.head)
                let contentPath = inventory.contentPath(for: digest.hex) ?? ""
                let text = known[digest.hex] ?? TextExtractor.text(ofFileAt: file, fileName: entry.fileName)
                documents.append(IndexedDocument(entry: entry, sha256: sha256ByContent[contentPath], text: text))
            }
            let versions = inventory.versions.keys.sorted().compactMap { number -> IndexedVersion? in
                guard let version = inventory.versions[number] else { return nil }
                return IndexedVersion(number: number, created: version.created, message: version.message, user: version.user)
            }
            return IndexedDossier(
                record: record, head: inventory.head, versions: versions,
                inventoryDigest: try storedInventoryDigest(id),
                documents: documents, enrichment: enricher(record, inventory), unitName: settings.unitName(record.unit))
        } catch {
            throw .wrap(error)
        }
    }

    /// The digest the sidecar states, which is what the freshness check reads back.
    private func storedInventoryDigest(_ id: DossierID) throws -> String {
        let bytes = try FileSystem.readFile("\(store.objectRoot(for: id))/\(StorageRoot.sidecarName)", limit: 4096)
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map { $0.lowercased() } ?? ""
    }

    private static func sha256ByContentPath(_ inventory: Inventory) -> [String: String] {
        var result: [String: String] = [:]
        for (digest, paths) in inventory.fixity["sha256"] ?? [:] {
            for path in paths { result[path] = digest }
        }
        return result
    }

    /// Rebuilds the index from `store/` alone: a new file is built beside the old one and
    /// renamed over it, so a reader sees the old index or the new one, never half of one.
    ///
    /// - Parameter progress: called after each dossier with the count done and the total.
    @discardableResult
    public func rebuildIndex(enricher: IndexEnricher, progress: (Int, Int) -> Void = { _, _ in }) throws -> IndexBuildSummary {
        let ids = try dossierIDs()
        let temporary = "\(indexPath).rebuild-\(getpid())"
        var summary = IndexBuildSummary(dossiers: 0, documents: 0, textBytes: 0, unreadable: [])
        do {
            try DossierIndex.build(at: temporary) { add in
                for (number, id) in ids.enumerated() {
                    do {
                        let dossier = try indexedDossier(id, enricher: enricher)
                        try add(dossier)
                        summary.dossiers += 1
                        summary.documents += dossier.documents.count
                        summary.textBytes += dossier.documents.reduce(0) { $0 + Int64($1.text.text.utf8.count) }
                    } catch let error as VaultError {
                        summary.unreadable.append(error.description)
                    }
                    progress(number + 1, ids.count)
                }
            }
            for suffix in ["-journal", "-wal", "-shm"] where FileSystem.exists(indexPath + suffix) {
                try FileSystem.removeFile(indexPath + suffix)
            }
            try FileSystem.rename(temporary, to: indexPath)
        } catch {
            try? FileSystem.removeFile(temporary)
            throw error
        }
        return summary
    }

    /// Opens the index for a command, healing it first: a missing, damaged or other-format
    /// index is rebuilt; dossiers that changed in the store behind its back are re-read.
    ///
    /// - Parameter notice: called with what was repaired (the CLI prints it on stderr).
    public func openIndex(enricher: IndexEnricher, notice: (IndexRepair) -> Void) throws -> DossierIndex {
        guard FileSystem.exists(indexPath) else {
            try rebuildIndex(enricher: enricher)
            notice(.missing)
            return try DossierIndex.open(at: indexPath)
        }
        var damage: IndexError?
        do {
            let index = try DossierIndex.open(at: indexPath)
            if let repair = try refresh(index, enricher: enricher) { notice(repair) }
            return index
        } catch let error as IndexError {
            guard error.needsRebuild else { throw error }
            damage = error
        }
        try rebuildIndex(enricher: enricher)
        if let damage { notice(Self.repair(for: damage)) }
        return try DossierIndex.open(at: indexPath)
    }

    /// Runs `body` against the healed index; if the index turns out to be damaged while
    /// answering (a page SQLite finds corrupt), rebuilds it and answers again.
    public func withIndex<R>(enricher: IndexEnricher, notice: (IndexRepair) -> Void, _ body: (DossierIndex) throws -> R) throws -> R {
        let index = try openIndex(enricher: enricher, notice: notice)
        do {
            return try body(index)
        } catch let error as IndexError where error.needsRebuild {
            try rebuildIndex(enricher: enricher)
            notice(Self.repair(for: error))
            return try body(try DossierIndex.open(at: indexPath))
        }
    }

    /// Brings the index up to date with the store by comparing every object's inventory digest
    /// with the one the index recorded.
    /// - Returns: what was updated, or `nil` when the index was already fresh.
    func refresh(_ index: DossierIndex, enricher: IndexEnricher) throws -> IndexRepair? {
        let inStore = try store.inventoryDigests()
        let inIndex = try index.inventoryDigests()
        var changed = 0
        var added = 0
        var removed = 0
        for (id, digest) in inStore where inIndex[id] != digest {
            if inIndex[id] == nil { added += 1 } else { changed += 1 }
            do {
                try index.replace(try indexedDossier(id, enricher: enricher, known: try index.knownTexts(of: id)))
            } catch is VaultError {
                // A damaged object: the index keeps what it had, and `verify` names the damage.
                continue
            }
        }
        for id in inIndex.keys where inStore[id] == nil {
            removed += 1
            try index.remove(id)
        }
        return changed + added + removed == 0 ? nil : .stale(changed: changed, added: added, removed: removed)
    }

    /// Updates the index for one dossier right after a filing, when there is an index; a
    /// missing or damaged one is left for the next command to rebuild.
    public func updateIndex(for id: DossierID, enricher: IndexEnricher) throws {
        guard FileSystem.exists(indexPath) else { return }
        let index = try DossierIndex.open(at: indexPath)
        try index.replace(try indexedDossier(id, enricher: enricher, known: try index.knownTexts(of: id)))
    }

    static func repair(for error: IndexError) -> IndexRepair {
        switch error {
        case .otherFormat(_, let found): .otherFormat(found)
        case .corrupt(_, let reason): .damaged(reason)
        default: .damaged(error.description)
        }
    }
}
