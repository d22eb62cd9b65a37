/// One version of a dossier as `dossier log` shows it: when, who, why, and what changed.
public struct VersionSummary: Sendable, Equatable {
    public var version: VersionNumber
    public var created: String
    public var user: Agent?
    public var message: String?
    /// Logical paths of documents new in this version.
    public var added: [String]
    /// Documents whose bytes changed under the same path.
    public var modified: [String]
    public var removed: [String]
    public var renamed: [Rename]
    /// Record fields (other than documents) whose value changed, e.g. `classification`.
    public var recordChanges: [String]

    public struct Rename: Sendable, Equatable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty && renamed.isEmpty && recordChanges.isEmpty }
}

extension Vault {
    /// Every version of a dossier, oldest first, with what each changed.
    public func history(of id: DossierID) throws(VaultError) -> [VersionSummary] {
        do {
            let inventory = try store.inventory(of: id)
            var summaries: [VersionSummary] = []
            var previousFiles: [String: String] = [:]
            var previousFields: JSONObject?
            for number in inventory.versions.keys.sorted() {
                // swift-format-ignore: NeverForceUnwrap
                let version = inventory.versions[number]!
                let files = version.files.filter { $0.key != "dossier.json" }
                let record = try store.record(of: id, inventory: inventory, version: number)
                let fields = RecordCodec.encodeFields(record)
                summaries.append(Self.summarize(number, version, before: previousFiles, after: files, fieldsBefore: previousFields, fieldsAfter: fields))
                previousFiles = files
                previousFields = fields
            }
            return summaries
        } catch {
            throw .wrap(error)
        }
    }

    static func summarize(
        _ number: VersionNumber, _ version: InventoryVersion, before: [String: String], after: [String: String],
        fieldsBefore: JSONObject?, fieldsAfter: JSONObject
    ) -> VersionSummary {
        var added = after.keys.filter { before[$0] == nil }.sorted()
        var removed = before.keys.filter { after[$0] == nil }.sorted()
        let modified = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        var renamed: [VersionSummary.Rename] = []
        // A path that disappeared while the same bytes appeared under a new path was renamed.
        for old in removed {
            guard let digest = before[old], let new = added.first(where: { after[$0] == digest }) else { continue }
            renamed.append(.init(from: old, to: new))
            added.removeAll { $0 == new }
        }
        removed.removeAll { old in renamed.contains { $0.from == old } }
        var recordChanges: [String] = []
        if let fieldsBefore {
            for (key, value) in fieldsAfter where fieldsBefore[key] != value { recordChanges.append(key) }
        }
        return VersionSummary(
            version: number, created: version.created, user: version.user, message: version.message,
            added: added, modified: modified, removed: removed, renamed: renamed, recordChanges: recordChanges)
    }
}
