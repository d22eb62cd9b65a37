import DossierModel

/// The problems found while checking one signature, each with the status it calls for: the
/// verdict is the worst of them, and its reason lists them all, worst first.
struct SignatureFindings: Sendable {
    private(set) var problems: [(status: SignatureStatus, reason: String)] = []

    /// Records a problem (a `valid` status records nothing).
    mutating func add(_ status: SignatureStatus, _ reason: String) {
        guard status != .valid else { return }
        problems.append((status, reason))
    }

    mutating func add(_ other: SignatureFindings) {
        problems += other.problems
    }

    /// The worst status found; `valid` when nothing was.
    var status: SignatureStatus {
        problems.map(\.status).max { $0.severity < $1.severity } ?? .valid
    }

    /// Every problem on one line, worst first (in the order found within a status); nil when valid.
    var reason: String? {
        guard !problems.isEmpty else { return nil }
        let ordered = problems.enumerated().sorted {
            ($0.element.status.severity, -$0.offset) > ($1.element.status.severity, -$1.offset)
        }
        return ordered.map(\.element.reason).joined(separator: "; ")
    }
}
