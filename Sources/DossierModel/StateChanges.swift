/// What changed between two version states (logical path → digest). The one reading of a
/// version's changes: `dossier log` shows it, and the rules take their withdrawals (R26) from it.
///
/// A path that disappeared while the same bytes appeared under a new path was renamed, not
/// removed; bytes that stay under another, older path were still removed from this one.
public struct StateChanges: Sendable, Equatable {
    public struct Rename: Sendable, Equatable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var added: [String]
    public var removed: [String]
    public var modified: [String]
    public var renamed: [Rename]

    /// Changes as already computed (a version's summary).
    public init(added: [String], removed: [String], modified: [String], renamed: [Rename]) {
        self.added = added
        self.removed = removed
        self.modified = modified
        self.renamed = renamed
    }

    public init(before: [String: String], after: [String: String]) {
        var added = after.keys.filter { before[$0] == nil }.sorted()
        var removed = before.keys.filter { after[$0] == nil }.sorted()
        modified = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        var renamed: [Rename] = []
        for old in removed {
            guard let digest = before[old], let new = added.first(where: { after[$0] == digest }) else { continue }
            renamed.append(Rename(from: old, to: new))
            added.removeAll { $0 == new }
        }
        removed.removeAll { old in renamed.contains { $0.from == old } }
        self.added = added
        self.removed = removed
        self.renamed = renamed
    }
}
