import DossierModel
/// E-signatures and seals (R28, 电子签名法 art. 13–14): judged on the verdicts recorded at filing,
/// so that a dossier's findings never depend on which anchors the vault trusts today.
enum SignatureRules {
    /// R28: an invalid signature or seal is an error; an untrusted or indeterminate one a warning.
    /// One finding per document, for its worst signature. The words are the profile's
    /// `rules.R28.messages`: `invalid`, `untrusted`, `indeterminate`, filled with `{what}` (a
    /// format's name, one or `{count}` of them, `signed-by` a signer) and `{reason}`.
    static func verdicts(_ c: RuleContext) -> [Issue] {
        c.record.documents.compactMap { document -> Issue? in
            guard let worst = document.signatures.max(by: { $0.status.severity < $1.status.severity }), worst.status != .valid else { return nil }
            let count = document.signatures.filter { $0.status == worst.status }.count
            let name = key(worst.format)
            var what: MessageValue = count == 1 ? .message(name, [:]) : .message("\(name)-many", ["count": .number(Double(count))])
            if let signer = worst.signer { what = .message("signed-by", ["what": what, "signer": .text(signer)]) }
            let reason: MessageValue = worst.reason.map { .message("reason", ["reason": .text($0)]) } ?? .text("")
            let values: [String: MessageValue] = ["what": what, "reason": reason]
            switch worst.status {
            case .invalid: return Issue([document], "invalid", values)
            case .untrusted: return Issue([document], "untrusted", values, severity: .warning)
            case .indeterminate: return Issue([document], "indeterminate", values, severity: .warning)
            case .valid: return nil
            }
        }
    }

    /// The template key naming a signature format (`pades`, `cms`, `ofd-seal`; `-many` for several).
    static func key(_ format: SignatureFormat) -> String {
        switch format {
        case .pades: "pades"
        case .cms: "cms"
        case .ofdSeal: "ofd-seal"
        }
    }
}
