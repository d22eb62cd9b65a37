import DossierModel

/// Which item of the list each finding of `dossier verify` belongs to: the store's validator
/// (OCFL 1.1 and the vault's D codes) already checks much of what the four properties ask, and
/// its findings are reported under the item they concern rather than run again.
///
/// | codes | item |
/// |---|---|
/// | E092/E093 digest mismatches, E060/E064 an inventory that changed | A1 |
/// | D007 record sha512 ≠ state, D008 record size ≠ file | A3 |
/// | D001 object id, D004 record names another dossier, E037/E110 ids | A5 |
/// | E048/E049 `created`, E054 `user` | A6 |
/// | E092/E093 for a missing file, E023/E024 unlisted content, and every other structure error | I1 |
/// | E008–E013, E040, E046, E066, E103–E105 version sequence and history | I4 |
/// | D002, D005, D006 record ↔ state | I5 |
/// | E033, E036, E038, E043, E045, E047, E058, E061, E063, D003 files that do not parse | U1 |
enum StoreFindingRoutes {
    static func item(for finding: OCFLFinding) -> [CheckItem] {
        let missing = finding.message.hasSuffix("but the file does not exist")
        switch finding.code {
        case .E092, .E093: return missing ? [.A1, .I1] : [.A1]
        case .E060, .E064: return [.A1]
        case .D007, .D008: return [.A3]
        case .D001, .D004, .E037, .E110: return [.A5]
        case .E048, .E049, .E054: return [.A6]
        case .E008, .E009, .E010, .E011, .E012, .E013, .E040, .E046, .E066, .E103, .E104, .E105: return [.I4]
        case .D002, .D005, .D006: return [.I5]
        case .E033, .E036, .E038, .E043, .E045, .E047, .E058, .E061, .E063, .D003: return [.U1]
        default: return [.I1]
        }
    }

    /// The findings as details, by item.
    static func details(_ findings: [OCFLFinding]) -> [CheckItem: [CheckDetail]] {
        var result: [CheckItem: [CheckDetail]] = [:]
        for finding in findings {
            let outcome: CheckOutcome = finding.severity == .error ? .failed : .warning
            let file = finding.path.isEmpty ? nil : finding.path
            for item in item(for: finding) {
                result[item, default: []].append(CheckDetail(outcome, file: file, "\(finding.code.rawValue): \(finding.message)"))
            }
        }
        return result
    }
}
