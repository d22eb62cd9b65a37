import DossierModel
import Foundation

/// A confidentiality officer's decision on a dossier (the confidentiality-review kind's
/// `decision`): 同意, 不同意, 补充材料.
public enum ReviewDecision: String, Sendable, CaseIterable {
    case approve
    case reject
    case needsInfo = "needs-info"

    public var chineseName: String {
        switch self {
        case .approve: "同意"
        case .reject: "不同意"
        case .needsInfo: "补充材料"
        }
    }

    /// A decision as typed: `approve`, `reject`, `needs-info`, or 同意, 不同意, 补充材料.
    public init?(typed text: String) {
        let given = text.precomposedNFC
        guard let decision = ReviewDecision.allCases.first(where: { $0.rawValue == given.lowercased() || $0.chineseName == given }) else { return nil }
        self = decision
    }
}

/// What the officer decided, on which version, and what they note.
public struct ReviewRequest: Sendable {
    public var id: DossierID
    public var decision: ReviewDecision
    /// The version reviewed; the head when `nil`.
    public var version: VersionNumber?
    public var note: String
    /// Whether the review also confirms the classification itself (R25's yearly review).
    public var classificationReviewed: Bool
    /// The reviewer's name, as it appears on the paper.
    public var reviewer: String
    public var user: Agent

    public init(id: DossierID, decision: ReviewDecision, version: VersionNumber?, note: String, classificationReviewed: Bool, reviewer: String, user: Agent) {
        self.id = id
        self.decision = decision
        self.version = version
        self.note = note
        self.classificationReviewed = classificationReviewed
        self.reviewer = reviewer
        self.user = user
    }
}

extension Vault {
    /// Files the officers' review as a generated confidentiality-review paper (保密审查意见) —
    /// reviewer, version reviewed, the flags and findings seen then, decision, note — in a new
    /// version; encrypted like every paper of a classified dossier. `flags` then shows the
    /// decision and the version it covers until something else is filed.
    /// - Throws: ``VaultError`` for a version that does not exist, a blank note.
    public func review(_ request: ReviewRequest) throws(VaultError) -> FilingResult {
        guard !request.note.allSatisfy(\.isWhitespace) else { throw .invalid("--note: say what the review found; it is part of the paper") }
        let filer = self.filer
        do {
            let head = try store.snapshot(of: request.id)
            let reviewed = try request.version.map { number throws(StoreError) in try head.at(number) } ?? head
            let verdict = try judge().verdict(of: reviewed)
            let paper = Vault.reviewPaper(request, reviewed: reviewed, verdict: verdict, today: clock.today)
            let fileName = Vault.reviewFileName(for: reviewed.version, decision: request.decision, taken: Set(head.record.documents.map(\.path)))
            let encryption = try filer.encryptionForFiling(into: request.id, creating: nil, update: nil, source: "review")
            var facts = JSONObject()
            facts["signedOn"] = .string(clock.today.description)
            facts["parties"] = .array([.string(request.reviewer.precomposedNFC)])
            facts["decision"] = .string(request.decision.rawValue)
            facts["reviewer"] = .string(request.reviewer.precomposedNFC)
            facts["reviewedVersion"] = .string(reviewed.version.description)
            facts["classificationReviewed"] = .bool(request.classificationReviewed)
            return try filer.withStaging { staging in
                let bytes = Array(paper.utf8)
                var offset = 0
                var plaintextSize: Int64 = 0
                let staged = try filer.stage(
                    read: { buffer in
                        let count = min(buffer.count, bytes.count - offset)
                        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
                        offset += count
                        return count
                    }, into: staging, encryptingFor: encryption?.recipients, plaintextSize: &plaintextSize)
                let document = IncomingDocument(
                    kind: .confidentialityReview, fileName: fileName, facts: facts, content: staged, origin: "review",
                    encryption: encryption.map { DocumentEncryption(readers: $0.readers, size: plaintextSize) })
                let change = DossierChange(
                    target: .existing(update: nil), documents: [document],
                    message: "confidentiality review of \(reviewed.version): \(request.decision.rawValue) \(request.decision.chineseName)",
                    user: request.user, source: "review")
                return try filer.apply(change, to: request.id, staging: staging)
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// `保密审查意见-v7-approve.txt`, numbered when a review of that version with that decision exists.
    static func reviewFileName(for version: VersionNumber, decision: ReviewDecision, taken: Set<String>) -> String {
        var name = "保密审查意见-\(version)-\(decision.rawValue).txt"
        var counter = 2
        while taken.contains(LogicalPath.document(kind: .confidentialityReview, fileName: name)) {
            name = "保密审查意见-\(version)-\(decision.rawValue)-\(counter).txt"
            counter += 1
        }
        return name
    }

    /// The review paper's text, in Chinese with English.
    static func reviewPaper(_ request: ReviewRequest, reviewed: DossierSnapshot, verdict: Verdict, today: LocalDate) -> String {
        let record = reviewed.record
        var lines = [
            "保密审查意见 Confidentiality review",
            "",
            "案卷 Dossier: \(record.id)  \(record.title)",
            "审查的版本 Version reviewed: \(reviewed.version) (\(reviewed.versionInfo?.created ?? ""))",
            "密级 Classification: \(record.classification.rawValue) \(record.classification.chineseName)",
            "审查人 Reviewer: \(request.reviewer.precomposedNFC)",
            "日期 Date: \(today)",
            "结论 Decision: \(request.decision.chineseName) \(request.decision.rawValue)",
            "密级审查 Classification reviewed: \(request.classificationReviewed ? "是 yes" : "否 no")",
            "",
            "审查时的标记 Flags seen:",
        ]
        let flags = verdict.flags?.flags ?? []
        lines += flags.isEmpty ? ["  无 none"] : flags.map { "  \($0.flag.rawValue)  \($0.reason)" }
        lines.append("")
        lines.append("审查时的规则意见 Findings seen (as of \(verdict.asOf)):")
        lines += verdict.findings.isEmpty ? ["  无 none"] : verdict.findings.map { "  \($0.rule.rawValue) \($0.severity.rawValue): \($0.message)" }
        lines.append("")
        lines.append("意见 Note:")
        lines += request.note.precomposedNFC.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
