import DossierModel
/// Ethics review (R18) and the yearly reports on a granted achievement (R19).
enum ReportingRules {
    /// R18: an ethics-sensitive achievement has an approving ethics review (三(八)).
    static func ethics(_ c: RuleContext) -> [Issue] {
        guard c.record.ethicsSensitive else { return [] }
        let reviews = c.documents(.ethicsReview)
        if reviews.contains(where: { $0.text("decision") == "approved" }) { return [] }
        if reviews.isEmpty {
            return [Issue([], "no-review")]
        }
        return [Issue(reviews, "not-approved")]
    }

    /// A year whose conversion must be reported.
    struct ReportYear {
        var year: Int
        var due: LocalDate
        var filed: Bool
    }

    /// The years after the grant's approval while conversion goes on: until an annual report
    /// marked `final` (conversion finished or stopped), and for a use right until the year it ends.
    /// Only years whose report is already due or falls due on or before `through` are listed.
    static func reportYears(_ c: RuleContext, through: LocalDate) -> [ReportYear] {
        guard c.record.grant != .none, let approvedOn = c.grantApproval?.on else { return [] }
        let reports = c.documents(.annualReport)
        let filedYears = Set(reports.compactMap { $0.number("year").map { Int($0) } })
        var lastYear = Int.max
        if let finalYear = reports.filter({ $0.flag("final") == true }).compactMap({ $0.number("year").map { Int($0) } }).min() {
            lastYear = finalYear
        }
        if c.record.grant == .longTermUse, let end = AgreementRules.useRightEnd(c)?.end {
            lastYear = min(lastYear, end.year)
        }
        var result: [ReportYear] = []
        var year = approvedOn.year + 1
        while year <= lastYear {
            guard let due = c.profile.annualReportDue(forYear: year), due <= through else { break }
            result.append(ReportYear(year: year, due: due, filed: filedYears.contains(year)))
            year += 1
        }
        return result
    }

    /// R19: an annual report for every completed year after the approval, once its due date has passed.
    static func annual(_ c: RuleContext) -> [Issue] {
        reportYears(c, through: c.asOf).filter { !$0.filed && $0.due < c.asOf }.map {
            Issue([], "missing", ["year": .text(String($0.year)), "due": .date($0.due)])
        }
    }
}
