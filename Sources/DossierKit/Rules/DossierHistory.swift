import DossierModel
/// What the rules need from a dossier's past, as plain values: the engine reads no files.
public struct DossierHistory: Sendable, Equatable {
    /// The version being checked (the head).
    public var head: VersionNumber
    /// The latest version that changed anything other than filing confidentiality reviews.
    /// An officer's review of it still covers the head: filing the review is itself a version.
    public var lastSubstantive: VersionNumber
    /// Documents that were in an earlier version and are not in the head.
    public var withdrawals: [Withdrawal]

    public init(head: VersionNumber, lastSubstantive: VersionNumber? = nil, withdrawals: [Withdrawal] = []) {
        self.head = head
        self.lastSubstantive = lastSubstantive ?? head
        self.withdrawals = withdrawals
    }
}

/// A document removed from a dossier: gone from the head, kept in the version that had it.
public struct Withdrawal: Sendable, Equatable {
    public var document: DocumentRef
    /// The first version without it.
    public var version: VersionNumber
    /// The local date of that version.
    public var on: LocalDate

    public init(document: DocumentRef, version: VersionNumber, on: LocalDate) {
        self.document = document
        self.version = version
        self.on = on
    }
}

extension DossierHistory {
    /// Derives the history from an inventory (already read) and, only when a review might
    /// cover an earlier version, the record fields of earlier versions.
    ///
    /// - Parameters:
    ///   - inventory: the object's inventory.
    ///   - needsReviewBaseline: whether to find ``lastSubstantive`` (only flagged dossiers with an
    ///     approving review need it; the walk reads older records).
    ///   - recordFields: the record fields (``RecordCodec/encodeFields(_:)``) at a version.
    public static func derive(
        from inventory: Inventory, needsReviewBaseline: Bool, recordFields: (VersionNumber) throws -> JSONObject
    ) rethrows -> DossierHistory {
        var history = DossierHistory(head: inventory.head)
        // A dossier of one version has withdrawn nothing and has no earlier version to review.
        guard inventory.versions.count > 1 else { return history }
        let versions = inventory.versions.keys.sorted()
        var states: [VersionNumber: [String: String]] = [:]
        for number in versions { states[number] = inventory.versions[number]?.files ?? [:] }
        let headFiles = states[inventory.head] ?? [:]

        for (previous, current) in zip(versions, versions.dropFirst()) {
            let changes = StateChanges(before: states[previous] ?? [:], after: states[current] ?? [:])
            for path in changes.removed where headFiles[path] == nil {
                guard let kind = documentKind(ofLogicalPath: path) else { continue }
                let date = inventory.versions[current].flatMap { Timestamp.localDate(of: $0.created) } ?? LocalDate(dayNumber: 0)
                history.withdrawals.append(Withdrawal(document: DocumentRef(path: path, kind: kind), version: current, on: date))
            }
        }
        history.withdrawals.sort { ($0.version, $0.document.path) < ($1.version, $1.document.path) }

        guard needsReviewBaseline else { return history }
        var candidate = inventory.head
        while let previous = candidate.previous {
            let before = (states[previous] ?? [:]).filter { $0.key != "dossier.json" }
            let after = (states[candidate] ?? [:]).filter { $0.key != "dossier.json" }
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            let reviewOnly = !changed.isEmpty && changed.allSatisfy { documentKind(ofLogicalPath: $0) == .confidentialityReview && before[$0] == nil }
            guard reviewOnly, try recordFields(previous) == recordFields(candidate) else { break }
            candidate = previous
        }
        history.lastSubstantive = candidate
        return history
    }

    /// The kind in `documents/<kind>/<file>`, or `nil` for other paths.
    public static func documentKind(ofLogicalPath path: String) -> DocumentKind? {
        let parts = path.split(separator: "/", maxSplits: 2)
        guard parts.count == 3, parts[0] == "documents" else { return nil }
        return DocumentKind(rawValue: String(parts[1]))
    }
}
