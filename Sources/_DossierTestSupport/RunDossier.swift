import DossierKit
import Foundation

/// The outcome of running a program.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: [UInt8]

    /// stderr's lines, without the empty last one.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// The built `dossier` executable: next to the test bundle, or `DOSSIER_BINARY`.
public var dossierBinary: String {
    if let path = ProcessInfo.processInfo.environment["DOSSIER_BINARY"] { return path }
    var directory = Bundle.main.bundleURL.path
    for _ in 0..<3 {
        if FileSystem.exists("\(directory)/dossier") { return "\(directory)/dossier" }
        directory = FileSystem.parent(of: directory)
    }
    return "\(packageRoot)/.build/debug/dossier"
}

/// Whether the suite runs under AddressSanitizer (`scripts/sanitize.sh address` sets
/// `ASAN_OPTIONS`): its shadow memory and the quarantine of freed blocks (256 MiB by default)
/// count in a process's resident memory, so a memory bound must allow for them.
public var underAddressSanitizer: Bool { ProcessInfo.processInfo.environment["ASAN_OPTIONS"] != nil }

/// Runs a program to completion, capturing its output.
/// - Parameters:
///   - environment: added to a clean environment with `LANG=C.UTF-8` and `PATH`.
///   - stdin: bytes fed to standard input.
public func runProgram(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil, stdin: [UInt8]? = nil
) throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var base = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    if let home = ProcessInfo.processInfo.environment["HOME"] { base["HOME"] = home }
    // A sanitizer build's settings reach the programs it runs (scripts/sanitize.sh sets them:
    // without ASAN_OPTIONS, LeakSanitizer would fail every run on the Swift runtime's
    // process-long allocations).
    for name in ["ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"] {
        if let value = ProcessInfo.processInfo.environment[name] { base[name] = value }
    }
    process.environment = base.merging(environment) { $1 }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a full stderr cannot block a process writing stdout.
    let errorData = LockedData()
    let errorReader = Thread { errorData.set(errPipe.fileHandleForReading.readDataToEndOfFile()) }
    errorReader.start()
    let output = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    let errorBytes = errorData.get()
    return ProcessOutcome(
        status: process.terminationStatus,
        stdout: String(decoding: output, as: UTF8.self),
        stderr: String(decoding: errorBytes, as: UTF8.self),
        stdoutBytes: Array(output))
}

/// Runs the built `dossier` with `arguments`.
public func runDossier(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil, stdin: [UInt8]? = nil) throws -> ProcessOutcome {
    try runProgram(dossierBinary, arguments, environment: ["DOSSIER_USER": "测试员", "DOSSIER_EMAIL": "test@example.org"].merging(environment) { $1 }, directory: directory, stdin: stdin)
}

/// A value set once by one thread and read by another.
private final class LockedData: @unchecked Sendable {
    // Guarded by `lock`; the only state shared between the reader thread and the caller.
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}

/// Runs ocfl-py's validator on object folders. Fails the caller loudly when the validators
/// are not installed (scripts/test.sh installs them).
public func runOCFLValidate(_ objectFolders: [String]) throws -> ProcessOutcome {
    guard let validators = validatorsDirectory, FileSystem.exists("\(validators)/ocfl-validate.py") else {
        throw MissingValidator(name: "ocfl-validate.py (ocfl-py); run scripts/setup.sh --validators")
    }
    return try runProgram("\(validators)/ocfl-validate.py", objectFolders)
}

/// An independent validator the test needs is not installed.
public struct MissingValidator: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "missing independent validator: \(name)" }

    public init(name: String) { self.name = name }
}

/// The Python of the validators' virtual environment, which holds the signature and OFD oracles
/// (pyHanko, asn1crypto, ofdkit). Fails the caller loudly when it is not installed.
public func validatorPython() throws -> String {
    guard let validators = validatorsDirectory, FileSystem.exists("\(validators)/python") else {
        throw MissingValidator(name: "python with pyHanko, asn1crypto and ofdkit; run scripts/setup.sh --validators")
    }
    return "\(validators)/python"
}

/// Debian's openssl command, which the tests use as an independent tool.
public let opensslCommand = "/usr/bin/openssl"

/// A new Ed25519 seal key made by stock OpenSSL (`openssl genpkey`), mode 600, at
/// `directory/name`; its path. The public key goes beside it as `seal.pem`.
public func opensslSealKey(in directory: String, name: String = "seal.key", algorithm: String = "ed25519") throws -> String {
    guard FileSystem.exists(opensslCommand) else { throw MissingValidator(name: "openssl (Debian's openssl package); run scripts/setup.sh --validators") }
    let path = "\(directory)/\(name)"
    let made = algorithm == "sm2"
        ? try runProgram(opensslCommand, ["genpkey", "-algorithm", "SM2", "-out", path])
        : try runProgram(opensslCommand, ["genpkey", "-algorithm", algorithm, "-out", path])
    guard made.status == 0 else { throw MissingValidator(name: "openssl genpkey: \(made.stderr)") }
    chmod(path, 0o600)
    let published = try runProgram(opensslCommand, ["pkey", "-in", path, "-pubout", "-out", "\(directory)/seal.pem"])
    guard published.status == 0 else { throw MissingValidator(name: "openssl pkey -pubout: \(published.stderr)") }
    return path
}
