import DossierKit

/// One line per signature verdict, for `file` and `show`.
enum SignatureText {
    static func line(_ verdict: SignatureVerdict) -> String {
        let what = switch verdict.format {
        case .pades: L("PDF signature")
        case .cms: L("detached CMS signature")
        case .ofdSeal: L("OFD seal")
        }
        var parts = [Lang.isChinese ? verdict.status.chineseName : "\(verdict.status.rawValue) \(verdict.status.chineseName)", what]
        if let signer = verdict.signer { parts.append(L("by {signer}", ["signer": signer])) }
        if let signedAt = verdict.signedAt { parts.append(L("signed {at}", ["at": signedAt])) }
        if let algorithm = verdict.algorithm { parts.append(algorithm) }
        if !verdict.coversWholeDocument { parts.append(L("not covering the whole file")) }
        if let anchor = verdict.trustAnchor { parts.append(L("anchor {anchor}…", ["anchor": String(anchor.prefix(16))])) }
        var line = parts.joined(separator: Lang.isChinese ? "，" : ", ")
        // The reason is the verifier's words, recorded in English; shown in the run's language.
        if let reason = verdict.reason { line += (Lang.isChinese ? "：" : ": ") + translated(reason) }
        return line
    }
}
