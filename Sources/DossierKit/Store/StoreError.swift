import DossierModel
/// Why the store refused or could not do something. Each case carries what a person needs
/// to act on it, and prints as one line.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case notAStorageRoot(path: String, reason: String)
    case dossierMissing(DossierID)
    case dossierExists(DossierID)
    case versionMissing(DossierID, VersionNumber, head: VersionNumber)
    case documentMissing(DossierID, VersionNumber, path: String, available: [String])
    case corruptObject(DossierID, path: String, reason: String)
    case digestMismatch(DossierID, VersionNumber, path: String, expected: Digest, actual: Digest)
    case locked(DossierID, holder: String, waitedSeconds: Double)
    case nothingToFile(DossierID, VersionNumber)
    case io(FileSystemError)
    case crypto(CryptoError)
    /// Only from a test's fault injector: the commit stopped at this step without clean-up.
    case simulatedCrash(CommitStep)

    /// Damage found in the store (a damaged object, a digest that does not match), as opposed
    /// to a request the store cannot serve (a missing dossier, a lock held too long).
    public var isDamage: Bool {
        switch self {
        case .corruptObject, .digestMismatch: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .notAStorageRoot(let path, let reason):
            "\(path) is not an OCFL storage root of a vault: \(reason)"
        case .dossierMissing(let id):
            "\(id): no such dossier in this vault"
        case .dossierExists(let id):
            "\(id): the dossier already exists; file into it with an update instead of create"
        case .versionMissing(let id, let version, let head):
            "\(id): no version \(version); versions are v1 to \(head)"
        case .documentMissing(let id, let version, let path, let available):
            "\(id) \(version): no document \(path); the version holds: \(available.joined(separator: ", "))"
        case .corruptObject(let id, let path, let reason):
            "\(id): \(path) is damaged: \(reason)"
        case .digestMismatch(let id, let version, let path, let expected, let actual):
            "\(id) \(version) \(path) is corrupt: expected sha512 \(expected.short), content hashes to \(actual.short)"
        case .locked(let id, let holder, let waited):
            "\(id) is locked by another dossier process (\(holder)); gave up after \(Int(waited)) s"
        case .nothingToFile(let id, let head):
            "\(id): nothing to file; the new version would be identical to \(head)"
        case .io(let error):
            error.description
        case .crypto(let error):
            error.description
        case .simulatedCrash(let step):
            "simulated crash after step \(step.rawValue)"
        }
    }
}
