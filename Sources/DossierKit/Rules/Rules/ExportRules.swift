import DossierModel
/// Transfers abroad: the plan's R17 and the national export rules R21–R23, R26.
enum ExportRules {
    static func exportDocuments(_ c: RuleContext) -> [DocumentEntry] {
        c.record.documents.filter { $0.kind.isExportControl }
    }

    static func categories(_ c: RuleContext) -> [(DocumentEntry, String)] {
        exportDocuments(c).compactMap { document in document.text("category").map { (document, $0) } }
    }

    /// R17: a transfer abroad has an export approval valid on the contract date for the
    /// counterparty's country; a classified achievement never goes abroad (三(八)).
    static func export(_ c: RuleContext) -> [Issue] {
        var issues: [Issue] = []
        let approvals = c.documents(.exportControlApproval) + c.documents(.exportLicence)
        for contract in c.conversions {
            let counterparty = Counterparty(contract)
            guard let country = counterparty.country else {
                let field = contract.kind == .cooperationAgreement ? "partner.country" : "counterparty.country"
                issues.append(Issue([contract], "no-country", ["facts": .list([field]), "country": .text(c.profile.country)]))
                continue
            }
            guard country != c.profile.country else { continue }
            if c.record.classification != .none {
                issues.append(Issue([contract], "classified-abroad", ["classification": c.classificationName, "country": .text(country)]))
            }
            guard let signedOn = contract.paperDate ?? contract.date("effectiveOn") else { continue }
            if approvals.isEmpty {
                issues.append(Issue([contract], "no-approval", ["counterparty": counterparty.labelValue, "country": .text(country), "date": .date(signedOn)]))
                continue
            }
            let reasons = approvals.map { invalidity(of: $0, country: country, on: signedOn) }
            guard !reasons.contains(where: { $0 == nil }) else { continue }
            issues.append(Issue([contract] + approvals, "no-valid-approval", ["country": .text(country), "date": .date(signedOn), "reasons": .messages(reasons.compactMap { $0 })]))
        }
        return issues
    }

    /// Why an approval does not cover a transfer to `country` signed on `date`, or `nil` when it does.
    private static func invalidity(of approval: DocumentEntry, country: String, on date: LocalDate) -> (String, [String: MessageValue])? {
        var problems: [(String, [String: MessageValue])] = []
        switch approval.text("destination") {
        case nil: problems.append(("no-destination", [:]))
        case let destination? where destination != country: problems.append(("wrong-destination", ["destination": .text(destination)]))
        default: break
        }
        if let issued = approval.paperDate, issued > date { problems.append(("dated-after", ["date": .date(issued)])) }
        switch approval.date("validUntil") {
        case nil: problems.append(("no-valid-until", [:]))
        case let until? where until < date: problems.append(("expired", ["date": .date(until)]))
        default: break
        }
        return problems.isEmpty ? nil : ("approval-reason", ["file": .text(approval.fileName), "problems": .messageList(problems)])
    }

    /// R21: a transfer abroad states its export category; prohibited technology never goes.
    static func category(_ c: RuleContext) -> [Issue] {
        guard !c.contractsAbroad.isEmpty else { return [] }
        let stated = categories(c)
        if stated.isEmpty {
            let papers = exportDocuments(c)
            return [Issue(papers.isEmpty ? c.contractsAbroad : papers, "no-category")]
        }
        return stated.filter { $0.1 == "prohibited" }.map {
            Issue([$0.0], "prohibited")
        }
    }

    /// R22: restricted technology needs a letter of intent before the contract and a licence no
    /// later than the day the contract takes effect (`effectiveOn`, else the signing date).
    static func restricted(_ c: RuleContext) -> [Issue] {
        guard categories(c).contains(where: { $0.1 == "restricted" }) else { return [] }
        var issues: [Issue] = []
        let intents = c.documents(.exportLicenceIntent)
        let licences = c.documents(.exportLicence)
        for contract in c.contractsAbroad {
            guard let signedOn = contract.paperDate else { continue }
            if intents.isEmpty {
                issues.append(Issue([contract], "no-intent"))
            } else if !intents.contains(where: { ($0.paperDate ?? signedOn) < signedOn }) {
                issues.append(Issue([contract] + intents, "intent-late", ["date": .date(signedOn)]))
            }
            let effectiveOn = contract.date("effectiveOn") ?? signedOn
            let licenceDates = licences.compactMap(\.paperDate)
            if licences.isEmpty {
                issues.append(Issue([contract], "no-licence"))
            } else if !licenceDates.contains(where: { $0 <= effectiveOn }) {
                issues.append(Issue([contract] + licences, "licence-late", ["effectiveOn": .date(effectiveOn), "dates": .list(licenceDates.map(\.description))]))
            }
        }
        return issues
    }

    /// R23: freely exportable technology has its contract registered.
    static func free(_ c: RuleContext) -> [Issue] {
        guard categories(c).contains(where: { $0.1 == "free" }), c.documents(.exportContractRegistration).isEmpty else { return [] }
        return [Issue([], "no-registration")]
    }

    /// The day an export-control paper may first be withdrawn: N years after the latest
    /// transfer abroad, or `nil` when nothing has gone abroad (nothing to keep records of).
    static func keepUntil(_ c: RuleContext) -> (until: LocalDate, transfer: LocalDate)? {
        guard let transfer = c.contractsAbroad.compactMap({ $0.date("effectiveOn") ?? $0.paperDate }).max() else { return nil }
        return (transfer.adding(years: c.profile.exportRecordsKeepYears), transfer)
    }

    /// R26: export papers withdrawn before N years after the transfer.
    static func kept(_ c: RuleContext) -> [Issue] {
        guard let (until, transfer) = keepUntil(c) else { return [] }
        return c.history.withdrawals.filter { $0.document.kind.isExportControl && $0.on < until }.map {
            Issue(refs: [$0.document], "withdrawn-early", ["version": .text($0.version.description), "on": .date($0.on), "until": .date(until), "years": .number(Double(c.profile.exportRecordsKeepYears)), "transfer": .date(transfer)])
        }
    }
}

/// R26 as the vault applies it when a person asks to withdraw a document.
public enum R26 {
    /// Whether `document` may be withdrawn from `record` on `asOf`.
    ///
    /// - Returns: `nil` when it may, else the reason it may not (one sentence, citing the source).
    public static func mayWithdraw(_ document: DocumentEntry, from record: DossierRecord, profile: Profile, asOf: LocalDate) -> String? {
        guard document.kind.isExportControl, profile.isOn(.r26) else { return nil }
        let context = RuleContext(record: record, history: DossierHistory(head: VersionNumber(1)), profile: profile, asOf: asOf)
        guard let (until, transfer) = ExportRules.keepUntil(context), asOf < until else { return nil }
        return "\(document.path) is an export-control paper, kept until \(until) (\(profile.exportRecordsKeepYears) years after the transfer of \(transfer)); it may not be withdrawn on \(asOf) (R26, \(profile.source(of: .r26)))"
    }
}
