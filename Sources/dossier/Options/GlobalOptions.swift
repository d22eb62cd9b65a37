import ArgumentParser
import DossierKit
import Foundation

/// Options every command takes: where the vault is.
struct VaultOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(L("The vault's home folder (else $DOSSIER_VAULT, else ./Vault)."), valueName: "path"))
    var vault: String?

    @Option(
        name: .customLong("seal-key"),
        help: ArgumentHelp(L("The vault's seal key (else $DOSSIER_SEAL_KEY, else VAULT/keys/seal.key); only you may read it (chmod 600)."), valueName: "file"))
    var sealKey: String?

    var vaultPath: String {
        let chosen = vault ?? ProcessInfo.processInfo.environment["DOSSIER_VAULT"] ?? "Vault"
        return URL(fileURLWithPath: chosen).standardizedFileURL.path
    }

    func open() throws -> Vault {
        var vault = try Vault.open(at: vaultPath)
        vault.onLockWait = { id, holder in
            Terminal.note("dossier: \(id) is locked by another dossier process (\(holder)); waiting…")
        }
        if let timeout = ProcessInfo.processInfo.environment["DOSSIER_LOCK_TIMEOUT"].flatMap(Double.init) {
            vault.lockTimeout = timeout
        }
        // Every command that writes an audit line seals the log's head with the vault's seal key.
        if let sealKey = sealKey ?? ProcessInfo.processInfo.environment["DOSSIER_SEAL_KEY"], !sealKey.isEmpty {
            vault.sealKeyPath = URL(fileURLWithPath: sealKey).standardizedFileURL.path
        }
        return vault
    }
}

/// A public key file given on the command line (`--key seal.pem`), read as a seal's public key.
func loadPublicKey(_ path: String, option: String = "--key") throws -> SealPublicKey {
    let bytes: [UInt8]
    do { bytes = try DossierKit.FileSystem.readFile(path, limit: 64 << 10) } catch {
        throw FieldError(file: path, field: option, problem: "cannot be read: \(error)")
    }
    do { return try SealPublicKey(pem: bytes) } catch {
        throw FieldError(file: path, field: option, problem: "expected the unit's published seal key (PEM, -----BEGIN PUBLIC KEY-----): \(error.description)")
    }
}

/// `--json` for read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(L("Print JSON instead of text.")))
    var json = false
}

/// Who is filing: recorded as the OCFL version's user.
struct IdentityOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(L("Who is filing (else $DOSSIER_USER, else the login name)."), valueName: "name"))
    var by: String?

    @Option(name: .long, help: ArgumentHelp(L("The filer's e-mail address (else $DOSSIER_EMAIL)."), valueName: "address"))
    var email: String?

    var agent: Agent {
        let environment = ProcessInfo.processInfo.environment
        let login = environment["USER"] ?? environment["LOGNAME"] ?? "dossier"
        let name = by ?? environment["DOSSIER_USER"] ?? login
        let address = email ?? environment["DOSSIER_EMAIL"] ?? "\(login)@\(ProcessInfo.processInfo.hostName)"
        return Agent(name: name.precomposedNFC, email: address)
    }
}

extension VersionNumber: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension DocumentKind: ExpressibleByArgument {}

/// A dossier id from the command line. A malformed id is bad input (exit 2), like one in
/// filing.json, not a usage error.
func parseDossierID(_ text: String, argument: String = "ID") throws -> DossierID {
    guard let id = DossierID(text) else {
        throw FieldError(file: "command line", field: argument, problem: "expected a dossier id matching \(DossierID.pattern) (e.g. IMUT-2021-0007), got \"\(text)\"")
    }
    return id
}
