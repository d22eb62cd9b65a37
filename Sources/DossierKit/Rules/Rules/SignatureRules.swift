import DossierModel
/// E-signatures and seals (R28, 电子签名法 art. 13–14): judged on the verdicts recorded at filing,
/// so that a dossier's findings never depend on which anchors the vault trusts today.
enum SignatureRules {
    /// R28: an invalid signature or seal is an error; an untrusted or indeterminate one a warning.
    /// One finding per document, for its worst signature.
    static func verdicts(_ c: RuleContext) -> [Issue] {
        c.record.documents.compactMap { document -> Issue? in
            guard let worst = document.signatures.max(by: { $0.status.severity < $1.status.severity }), worst.status != .valid else { return nil }
            let count = document.signatures.filter { $0.status == worst.status }.count
            let name = label(worst.format)
            let what = count == 1 ? "\(name.hasPrefix("O") ? "an" : "a") \(name)" : "\(count) \(name)s"
            let signer = worst.signer.map { " by \($0)" } ?? ""
            let reason = worst.reason.map { ": \($0)" } ?? ""
            switch worst.status {
            case .invalid:
                return Issue([document], "\(what)\(signer) is invalid\(reason)")
            case .untrusted:
                return Issue([document], "\(what)\(signer) is valid but does not chain to a trust anchor of the vault (dossier trust add CA.pem)\(reason)", severity: .warning)
            case .indeterminate:
                return Issue([document], "\(what)\(signer) could not be decided\(reason)", severity: .warning)
            case .valid:
                return nil
            }
        }
    }

    static func label(_ format: SignatureFormat) -> String {
        switch format {
        case .pades: "PDF signature"
        case .cms: "detached CMS signature"
        case .ofdSeal: "OFD seal"
        }
    }
}
