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
    /// Derives the history from a dossier's versions (already read) and, only when a review
    /// might cover an earlier version, the record fields of earlier versions.
    ///
    /// - Parameters:
    ///   - versions: every version up to and including `head` (later ones are ignored).
    ///   - head: the version the history is of.
    ///   - needsReviewBaseline: whether to find ``lastSubstantive`` (only flagged dossiers with an
    ///     approving review need it; the walk reads older records).
    ///   - recordFields: the record fields (`RecordCodec.encodeFields(_:)`) at a version.
    public static func derive<Failure: Error>(
        versions: [VersionNumber: DossierVersion], head: VersionNumber, needsReviewBaseline: Bool,
        recordFields: (VersionNumber) throws(Failure) -> JSONObject
    ) throws(Failure) -> DossierHistory {
        var history = DossierHistory(head: head)
        // A dossier of one version has withdrawn nothing and has no earlier version to review.
        guard versions.count > 1 else { return history }
        let numbers = versions.keys.filter { $0 <= head }.sorted()
        let headFiles = versions[head]?.files ?? [:]

        for (previous, current) in zip(numbers, numbers.dropFirst()) {
            let changes = StateChanges(before: versions[previous]?.files ?? [:], after: versions[current]?.files ?? [:])
            for path in changes.removed where headFiles[path] == nil {
                guard let kind = LogicalPath.kind(of: path) else { continue }
                let date = versions[current].flatMap { Timestamp.localDate(of: $0.created) } ?? LocalDate(dayNumber: 0)
                history.withdrawals.append(Withdrawal(document: DocumentRef(path: path, kind: kind), version: current, on: date))
            }
        }
        history.withdrawals.sort { ($0.version, $0.document.path) < ($1.version, $1.document.path) }

        guard needsReviewBaseline else { return history }
        var candidate = head
        while let previous = candidate.previous {
            let before = versions[previous]?.documentFiles ?? [:]
            let after = versions[candidate]?.documentFiles ?? [:]
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            let reviewOnly = !changed.isEmpty && changed.allSatisfy { LogicalPath.kind(of: $0) == .confidentialityReview && before[$0] == nil }
            guard reviewOnly, try recordFields(previous) == recordFields(candidate) else { break }
            candidate = previous
        }
        history.lastSubstantive = candidate
        return history
    }
}
