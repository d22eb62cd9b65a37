import DossierModel
/// A date something is due on, for `dossier due`.
public struct Deadline: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case publicityEnds = "publicity-ends"
        case useRightEnds = "use-right-ends"
        case annualReport = "annual-report"
        case reward
        case secrecyEnds = "secrecy-ends"
        case classificationReview = "classification-review"
    }

    public enum Status: String, Sendable {
        /// Falls due within the window asked for.
        case coming
        /// Was due before the as-of date and is not done.
        case missed
    }

    public var kind: Kind
    public var status: Status
    public var dossier: DossierID
    public var date: LocalDate
    public var documents: [DocumentRef]
    public var message: String

    public var json: JSONValue {
        [
            "kind": .string(kind.rawValue),
            "status": .string(status.rawValue),
            "dossier": .string(dossier.rawValue),
            "date": .string(date.description),
            "documents": .array(documents.map { .string($0.path) }),
            "message": .string(message),
        ]
    }
}

/// Deadlines coming and missed, from the same obligations the date rules check (R05, R09, R15,
/// R19, R24, R25). Pure, like ``RuleEngine``.
public enum Deadlines {
    /// - Parameters:
    ///   - record: the dossier at `history.head`.
    ///   - history: its versions as values.
    ///   - profile: the policy profile whose periods apply.
    ///   - asOf: the day to count from.
    ///   - within: how many days ahead a coming deadline is listed; missed ones are always listed.
    /// - Returns: the deadlines, by date.
    public static func compute(record: DossierRecord, history: DossierHistory, profile: Profile, asOf: LocalDate, within: Int) -> [Deadline] {
        let c = RuleContext(record: record, history: history, profile: profile, asOf: asOf)
        let horizon = asOf.adding(days: within)
        var result: [Deadline] = []
        func add(_ kind: Deadline.Kind, _ date: LocalDate, done: Bool = false, _ documents: [DocumentEntry], _ message: String) {
            guard !done else { return }
            if date < asOf {
                result.append(Deadline(kind: kind, status: .missed, dossier: record.id, date: date, documents: documents.map(\.ref), message: message))
            } else if date <= horizon {
                result.append(Deadline(kind: kind, status: .coming, dossier: record.id, date: date, documents: documents.map(\.ref), message: message))
            }
        }

        for document in c.documents(.publicityRecord) + c.documents(.pricingPublicity) {
            guard let endsOn = document.date("endsOn"), endsOn >= asOf else { continue }
            let signs = document.kind == .publicityRecord ? "the agreement" : "the contract"
            add(.publicityEnds, endsOn, [document], "the \(document.kind.displayName) ends; \(signs) may be signed from \(endsOn.adding(days: 1))")
        }

        if c.record.grant == .longTermUse, let (end, document, extended) = AgreementRules.useRightEnd(c), end >= asOf {
            var message = "the long-term use right 长期使用权 ends"
            // An extension may move the end, but never below the minimum term counted from the
            // use right's start (R09): say so beside the end date when it does.
            if extended, let from = AgreementRules.useRightStart(c), end < AgreementRules.minimumEnd(from: from, profile: profile) {
                message += "; after the extension it runs under \(profile.useRightMinimumYears) years from \(from) (R09)"
            }
            add(.useRightEnds, end, [document], message)
        }

        for year in ReportingRules.reportYears(c, through: horizon) {
            add(.annualReport, year.due, done: year.filed, [], "the annual-report 年度报告 for \(year.year) is due")
        }

        for obligation in RewardRules.obligations(c) {
            add(.reward, obligation.deadline, done: obligation.paidOn != nil, [obligation.document],
                "the reward for income received on \(obligation.incomeOn) is due (\(profile.rewardMaximumDelayDays) days)")
        }

        if c.record.classification != .none, let until = c.record.secrecy?.until {
            add(.secrecyEnds, until, [], "the secrecy period (\(c.classificationName)) ends: declassify, or extend it with a new decision")
        }

        for year in SecrecyRules.reviewYears(c) {
            add(.classificationReview, year.due, done: year.reviewed, [], "the yearly review of the classification for \(year.year) is due")
        }

        return result.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
    }
}
