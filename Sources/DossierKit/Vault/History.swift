import DossierModel
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

    public typealias Rename = StateChanges.Rename

    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty && renamed.isEmpty && recordChanges.isEmpty }
}

extension Vault {
    /// Every version of a dossier, oldest first, with what each changed; with `last`, only
    /// the versions up to it (an export of an older version reads no later record).
    public func history(of id: DossierID, through last: VersionNumber? = nil) throws(VaultError) -> [VersionSummary] {
        do {
            let inventory = try store.inventory(of: id)
            var summaries: [VersionSummary] = []
            var previousFiles: [String: String] = [:]
            var previousFields: JSONObject?
            for number in inventory.versions.keys.sorted() where last.map({ number <= $0 }) ?? true {
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
        let changes = StateChanges(before: before, after: after)
        var recordChanges: [String] = []
        if let fieldsBefore {
            for (key, value) in fieldsAfter where fieldsBefore[key] != value { recordChanges.append(key) }
        }
        return VersionSummary(
            version: number, created: version.created, user: version.user, message: version.message,
            added: changes.added, modified: changes.modified, removed: changes.removed, renamed: changes.renamed, recordChanges: recordChanges)
    }
}
