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
    /// The record fields and document facts that changed, with their values before and after.
    public var changes: RecordDiff?

    public typealias Rename = StateChanges.Rename

    public init(
        version: VersionNumber, created: String, user: Agent?, message: String?, added: [String], modified: [String],
        removed: [String], renamed: [Rename], recordChanges: [String], changes: RecordDiff? = nil
    ) {
        self.changes = changes
        self.version = version
        self.created = created
        self.user = user
        self.message = message
        self.added = added
        self.modified = modified
        self.removed = removed
        self.renamed = renamed
        self.recordChanges = recordChanges
    }

    public var isEmpty: Bool {
        added.isEmpty && modified.isEmpty && removed.isEmpty && renamed.isEmpty && recordChanges.isEmpty && (changes?.isEmpty ?? true)
    }
}
