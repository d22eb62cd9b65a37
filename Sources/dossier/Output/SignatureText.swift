import DossierKit

/// One line per signature verdict, for `file` and `show`.
enum SignatureText {
    static func line(_ verdict: SignatureVerdict) -> String {
        let what = switch verdict.format {
        case .pades: "PDF signature"
        case .cms: "detached CMS signature"
        case .ofdSeal: "OFD seal"
        }
        var parts = ["\(verdict.status.rawValue) \(chinese(verdict.status))", what]
        if let signer = verdict.signer { parts.append("by \(signer)") }
        if let signedAt = verdict.signedAt { parts.append("signed \(signedAt)") }
        if let algorithm = verdict.algorithm { parts.append(algorithm) }
        if !verdict.coversWholeDocument { parts.append("not covering the whole file") }
        if let anchor = verdict.trustAnchor { parts.append("anchor \(anchor.prefix(16))…") }
        var line = parts.joined(separator: ", ")
        if let reason = verdict.reason { line += ": \(reason)" }
        return line
    }

    static func chinese(_ status: SignatureStatus) -> String {
        switch status {
        case .valid: "有效"
        case .invalid: "无效"
        case .untrusted: "不受信任"
        case .indeterminate: "无法判定"
        }
    }
}
