import DossierModel
/// Why the vault refused a request.
public enum VaultError: Error, Sendable, CustomStringConvertible {
    case noVault(path: String)
    case vaultExists(path: String)
    case badSettings(FieldError)
    case field(FieldError)
    case store(StoreError)
    case bundle(BundleError)
    case io(FileSystemError)
    case crypto(CryptoError)
    /// A classified paper that does not decrypt: the wrong key, or a damaged or forged file.
    case decryption(AgeError)
    /// A read of a classified dossier without the clearance it needs; the refusal is already
    /// in the audit log.
    case accessDenied(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .noVault(let path): "no vault at \(path) (create one with `dossier init --vault \(path)`)"
        case .vaultExists(let path): "\(path) already holds a vault"
        case .badSettings(let error): error.description
        case .field(let error): error.description
        case .store(let error): error.description
        case .bundle(let error): error.description
        case .io(let error): error.description
        case .crypto(let error): error.description
        case .decryption(let error): error.description
        case .accessDenied(let message): message
        case .invalid(let message): message
        }
    }

    /// Whether the error is damage found in the store (the check found a problem, exit 1), as
    /// opposed to a request the vault refused or could not serve (exit 2).
    public var isDamage: Bool {
        switch self {
        case .store(let error): error.isDamage
        case .decryption(.noIdentityMatched): false
        case .decryption: true
        default: false
        }
    }

    /// Whether the refusal is recorded in the audit log already (a classified read refused).
    public var isRecorded: Bool {
        if case .accessDenied = self { true } else { false }
    }

    /// Wraps any error thrown below the vault into a `VaultError`.
    public static func wrap(_ error: any Error) -> VaultError {
        switch error {
        case let error as VaultError: error
        case let error as StoreError: .store(error)
        case let error as BundleError: .bundle(error)
        case let error as FieldError: .field(error)
        case let error as FileSystemError: .io(error)
        case let error as CryptoError: .crypto(error)
        case let error as ArchiveError: .bundle(.archive(error))
        case let error as AuditError: .invalid(error.description)
        case let error as AgeError: .decryption(error)
        default: .invalid("\(error)")
        }
    }
}
