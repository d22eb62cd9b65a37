import DossierModel
/// What one rule found, before the engine stamps it with the rule, severity, dossier and version.
struct Issue {
    var documents: [DocumentRef]
    var message: String
    /// Narrows the plan section cited (`ownership`, `long-term-use`, `pricing`).
    var context: String?
    /// A milder severity than the profile's for this finding (R28: an untrusted signature is a
    /// warning where an invalid one is an error); never a harsher one.
    var severity: Severity?

    init(_ documents: [DocumentEntry], _ message: String, context: String? = nil, severity: Severity? = nil) {
        self.documents = documents.map(\.ref)
        self.message = message
        self.context = context
        self.severity = severity
    }

    init(refs: [DocumentRef], _ message: String, context: String? = nil) {
        documents = refs
        self.message = message
        self.context = context
    }

    /// "does not record a and b" for a document missing facts a rule needs.
    static func missingFacts(_ document: DocumentEntry, _ names: [String], purpose: String, context: String? = nil) -> Issue {
        Issue([document], "does not record \(listing(names)), so \(purpose)", context: context)
    }
}

/// Everything a rule may look at: the record, its history as values, the profile and the date.
struct RuleContext {
    let record: DossierRecord
    let history: DossierHistory
    let profile: Profile
    let asOf: LocalDate
    /// The record's documents by kind, sorted once: every rule asks for some kind.
    private let byKind: [DocumentKind: [DocumentEntry]]

    init(record: DossierRecord, history: DossierHistory, profile: Profile, asOf: LocalDate) {
        self.record = record
        self.history = history
        self.profile = profile
        self.asOf = asOf
        byKind = Dictionary(grouping: record.documents, by: \.kind)
    }

    func documents(_ kind: DocumentKind) -> [DocumentEntry] { byKind[kind] ?? [] }

    /// The grant kind as a source context, `nil` when there is no grant.
    var grantContext: String? { record.grant == .none ? nil : record.grant.rawValue }

    /// The unit's approval of the grant: the earliest unit-approval whose decision is approved,
    /// dated by `approvedOn`, else by the paper's date.
    var grantApproval: (document: DocumentEntry, on: LocalDate)? {
        documents(.unitApproval)
            .filter { $0.text("decision") == "approved" }
            .compactMap { document in (document.date("approvedOn") ?? document.paperDate).map { (document, $0) } }
            .min { $0.1 < $1.1 }
    }

    var contracts: [DocumentEntry] { documents(.transferContract) }

    /// What puts the achievement in another party's hands: transfer, licence and investment
    /// contracts, and cooperation agreements with outside parties (R16, R17: "outside cooperation").
    var conversions: [DocumentEntry] { contracts + documents(.cooperationAgreement) }

    /// Contracts and cooperations with a party outside the profile's country.
    var contractsAbroad: [DocumentEntry] {
        conversions.filter { contract in Counterparty(contract).country.map { $0 != profile.country } ?? false }
    }

    /// `secret 秘密`
    var classificationName: String { "\(record.classification.rawValue) \(record.classification.chineseName)" }
}

/// Evaluates the rules of a profile against one dossier.
///
/// A pure function of its inputs: no files, no clock, no globals. The caller reads the record and
/// its history and chooses the date, so that every verdict can be reproduced (`--as-of`).
///
/// ```swift
/// let findings = RuleEngine.evaluate(record: record, history: DossierHistory(head: inventory.head),
///                                    profile: .nmg2020, asOf: LocalDate("2026-11-28")!)
/// ```
public enum RuleEngine {
    typealias Check = @Sendable (RuleContext) -> [Issue]

    static let checks: [(RuleID, Check)] = [
        (.r01, GrantRules.excluded), (.r02, GrantRules.scope), (.r03, GrantRules.ownershipDocuments),
        (.r04, GrantRules.useDocuments), (.r05, PublicityRules.duration), (.r06, GrantRules.order),
        (.r07, AgreementRules.shares), (.r08, AgreementRules.clauses), (.r09, AgreementRules.term),
        (.r10, GrantRules.pilotWindow), (.r11, TransferRules.pricing), (.r12, TransferRules.market),
        (.r13, TransferRules.appraisal), (.r14, RewardRules.leaderEquity), (.r15, RewardRules.timely),
        (.r16, SecrecyRules.transfer), (.r17, ExportRules.export), (.r18, ReportingRules.ethics),
        (.r19, ReportingRules.annual), (.r20, TransferRules.inRegion), (.r21, ExportRules.category),
        (.r22, ExportRules.restricted), (.r23, ExportRules.free), (.r24, SecrecyRules.fields),
        (.r25, SecrecyRules.yearlyReview), (.r26, ExportRules.kept), (.r27, PublicityRules.objectionChannel),
        (.r28, SignatureRules.verdicts),
    ]

    /// Every finding of every rule the profile turns on, in rule order.
    ///
    /// - Parameters:
    ///   - record: the dossier at `history.head`.
    ///   - history: the versions as values (``DossierHistory/init(head:lastSubstantive:withdrawals:)``
    ///     when only the head is known).
    ///   - profile: the policy profile.
    ///   - asOf: the day the check is made for; date rules count to it.
    /// - Returns: the findings (passed checks are not reported).
    public static func evaluate(record: DossierRecord, history: DossierHistory, profile: Profile, asOf: LocalDate) -> [Finding] {
        let context = RuleContext(record: record, history: history, profile: profile, asOf: asOf)
        var findings: [Finding] = []
        for (rule, check) in checks {
            guard let severity = profile.severity(of: rule) else { continue }
            for issue in check(context) {
                findings.append(Finding(
                    rule: rule, severity: max(severity, issue.severity ?? severity), dossier: record.id, version: history.head, documents: issue.documents,
                    message: "\(issue.message) (\(profile.source(of: rule, context: issue.context)))"))
            }
        }
        return findings
    }

    /// The flags raised on a dossier and whether a review covers its current version, or `nil`
    /// when nothing is flagged.
    public static func flags(record: DossierRecord, history: DossierHistory, profile: Profile) -> FlagReport? {
        let context = RuleContext(record: record, history: history, profile: profile, asOf: LocalDate(dayNumber: 0))
        let raised = FlagRules.raised(context).filter { profile.isOn($0.flag.rule) }
        guard !raised.isEmpty else { return nil }
        return FlagReport(dossier: record.id, version: history.head, title: record.title, flags: raised, review: FlagRules.reviewState(context))
    }

    /// Whether any review was filed (approve, reject or needs-info): the cheap test the loader
    /// uses before it derives the review baseline, which every decision is shown against.
    static func hasReview(_ record: DossierRecord) -> Bool {
        !record.documents(of: .confidentialityReview).isEmpty
    }
}
