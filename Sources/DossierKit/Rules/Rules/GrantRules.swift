import DossierModel
/// The grant itself: who may have one, which papers it needs, in which order, and when (R01–R04, R06, R10).
enum GrantRules {
    /// R01: an achievement that may affect national interests is not granted (二).
    static func excluded(_ c: RuleContext) -> [Issue] {
        guard c.record.nationalInterest else { return [] }
        var issues: [Issue] = []
        if c.record.grant != .none {
            issues.append(Issue([], "granted", ["grant": .named(c.record.grant.rawValue, c.record.grant.chineseName)]))
        }
        let agreements = c.documents(.ownershipAgreement) + c.documents(.useRightAgreement)
        if !agreements.isEmpty {
            issues.append(Issue(agreements, "agreement-filed"))
        }
        return issues
    }

    /// R02: ownership only for fiscally funded or entrusted achievements of the listed types (三(一)).
    static func scope(_ c: RuleContext) -> [Issue] {
        guard c.record.grant == .ownership else { return [] }
        var issues: [Issue] = []
        if !c.profile.ownershipFunding.contains(c.record.funding) {
            let allowed = c.profile.ownershipFunding.map { ("funding-name", ["funding": MessageValue.named($0.rawValue, $0.chineseName)]) }
            issues.append(Issue([], "funding", ["allowed": .messageList(allowed), "funding": .named(c.record.funding.rawValue, c.record.funding.chineseName)]))
        }
        if c.profile.achievementTypeName(c.record.type) == nil {
            issues.append(Issue([], "type", ["type": .text(c.record.type.rawValue)]))
        }
        return issues
    }

    /// R03: the papers of an ownership grant (三(一)).
    static func ownershipDocuments(_ c: RuleContext) -> [Issue] { requiredDocuments(c, for: .ownership) }

    /// R04: the papers of a long-term use right (三(二)).
    static func useDocuments(_ c: RuleContext) -> [Issue] { requiredDocuments(c, for: .longTermUse) }

    private static func requiredDocuments(_ c: RuleContext, for grant: GrantKind) -> [Issue] {
        guard c.record.grant == grant else { return [] }
        var issues: [Issue] = []
        for kind in c.profile.requiredDocuments[grant] ?? [] where c.documents(kind).isEmpty {
            issues.append(Issue([], "missing", ["kind": .kind(kind), "grant": .named(grant.rawValue, grant.chineseName)]))
        }
        let approvals = c.documents(.unitApproval)
        if (c.profile.requiredDocuments[grant] ?? []).contains(.unitApproval), !approvals.isEmpty, c.grantApproval == nil {
            issues.append(Issue(approvals, "not-approved"))
        }
        return issues
    }

    /// R06: application before publicity, agreement after it, never while objections are pending (三(一)(二)).
    static func order(_ c: RuleContext) -> [Issue] {
        guard let context = c.grantContext else { return [] }
        var issues: [Issue] = []
        let publicity = c.documents(.publicityRecord)
        let applications = c.documents(.grantApplication).compactMap { document in
            (document.date("appliedOn") ?? document.paperDate).map { (document, $0) }
        }
        if let (application, appliedOn) = applications.min(by: { $0.1 < $1.1 }) {
            for record in publicity {
                guard let startsOn = record.date("startsOn"), appliedOn > startsOn else { continue }
                issues.append(Issue([application, record], "application-late", ["appliedOn": .date(appliedOn), "startsOn": .date(startsOn)], context: context))
            }
        }
        let agreementKind: DocumentKind = c.record.grant == .ownership ? .ownershipAgreement : .useRightAgreement
        let firstResolution = c.documents(.objectionResolution).compactMap { $0.date("resolvedOn") ?? $0.paperDate }.min()
        // Each publicity record's end, and the records with pending objections, read once: the
        // agreements are then checked against them without a loop over every pair (a dossier
        // of thousands of papers of both kinds made this quadratic).
        let ends = publicity.enumerated().compactMap { offset, record in record.date("endsOn").map { (record, $0, offset) } }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map { ($0.0, $0.1) }
        let pending = publicity.filter { $0.text("objections") == "pending" }
        for agreement in c.documents(agreementKind) {
            guard let signedOn = agreement.paperDate else { continue }
            // The publicity periods that had not ended when the agreement was signed, in order
            // of their end; the search starts where they begin.
            var low = 0
            var high = ends.count
            while low < high {
                let middle = (low + high) / 2
                if ends[middle].1 < signedOn { low = middle + 1 } else { high = middle }
            }
            for (record, endsOn) in ends[low...] {
                issues.append(Issue([agreement, record], "agreement-early", ["signedOn": .date(signedOn), "endsOn": .date(endsOn), "from": .date(endsOn.adding(days: 1))], context: context))
            }
            if firstResolution.map({ $0 > signedOn }) ?? true {
                for record in pending {
                    issues.append(Issue([agreement, record], "objections-pending", ["signedOn": .date(signedOn)], context: context))
                }
            }
        }
        return issues
    }

    /// R10: grants approved inside the pilot window (二).
    static func pilotWindow(_ c: RuleContext) -> [Issue] {
        guard c.record.grant != .none, let (approval, approvedOn) = c.grantApproval else { return [] }
        guard approvedOn < c.profile.pilotFrom || approvedOn > c.profile.pilotUntil else { return [] }
        return [Issue([approval], "outside", ["approvedOn": .date(approvedOn), "from": .date(c.profile.pilotFrom), "until": .date(c.profile.pilotUntil)])]
    }
}
