import CDossierClamAV
import DossierModel

/// A virus scan through ClamAV's engine (libclamav, linked), with a signature database the operator
/// provides: Debian ships the engine but no offline database, and freshclam needs the network.
///
/// The database is a folder of ClamAV signature files (`main.cvd`, `daily.cld`, or hand-written
/// `.hdb`/`.hsb` hash lists and `.ndb` body signatures) loaded once; scans may then run on any
/// number of threads at once, as libclamav allows for a compiled engine. Related documentation:
/// <https://docs.clamav.net/manual/Development/libclamav.html>,
/// <https://docs.clamav.net/manual/Signatures/HashSignatures.html>.
///
/// ```swift
/// let scanner = try VirusScanner(databaseAt: "/var/lib/clamav")
/// switch scanner.scan(fileAt: path) {
/// case .clean: …
/// case .infected(let signature): print(signature)        // "Eicar-Test-Signature"
/// case .notScanned(let reason), .failed(let reason): print(reason)
/// }
/// ```
public final class VirusScanner: @unchecked Sendable {
    // `@unchecked Sendable`: the engine is configured and compiled in `init` and never changed
    // after; libclamav documents scans with one compiled engine from many threads as safe.
    private let engine: OpaquePointer
    /// The folder the signatures were loaded from.
    public let database: String
    /// How many signatures the database holds.
    public let signatures: Int
    /// The engine's version (`1.4.6`).
    public let engineVersion: String

    /// Files larger than this are not scanned (ClamAV's own maximum).
    public static let maximumFileSize: Int64 = 4_000 << 20

    private static let initialised: Result<Void, VirusScanError> = {
        CDossierClamAV_silence()
        let status = cl_init(UInt32(CL_INIT_DEFAULT))
        guard status == CL_SUCCESS else { return .failure(.engine("cl_init failed: \(String(cString: cl_strerror(status)))")) }
        return .success(())
    }()

    /// Loads the signature database in `path` (a folder of signature files, or one file) and
    /// compiles the engine.
    /// - Throws: ``VirusScanError`` when the engine cannot start, the database cannot be loaded,
    ///   or it holds no signatures.
    public init(databaseAt path: String) throws(VirusScanError) {
        try Self.initialised.get()
        guard FileSystem.exists(path) else { throw .database(path: path, problem: "no such file or folder") }
        guard let engine = cl_engine_new() else { throw .engine("cl_engine_new failed") }
        var count: UInt32 = 0
        var status = cl_load(path, engine, &count, CDossierClamAV_CL_DB_STDOPT)
        guard status == CL_SUCCESS else {
            cl_engine_free(engine)
            throw .database(path: path, problem: "cannot be loaded: \(String(cString: cl_strerror(status)))")
        }
        guard count > 0 else {
            cl_engine_free(engine)
            throw .database(path: path, problem: "holds no signatures (expected ClamAV signature files such as main.cvd, daily.cld or .hdb lists)")
        }
        for field in [CL_ENGINE_MAX_FILESIZE, CL_ENGINE_MAX_SCANSIZE] {
            status = cl_engine_set_num(engine, field, Self.maximumFileSize)
            guard status == CL_SUCCESS else {
                cl_engine_free(engine)
                throw .engine("cl_engine_set_num failed: \(String(cString: cl_strerror(status)))")
            }
        }
        status = cl_engine_compile(engine)
        guard status == CL_SUCCESS else {
            cl_engine_free(engine)
            throw .database(path: path, problem: "cannot be compiled: \(String(cString: cl_strerror(status)))")
        }
        self.engine = engine
        database = path
        signatures = Int(count)
        engineVersion = String(cString: cl_retver())
    }

    deinit { cl_engine_free(engine) }

    /// Scans the file at `path` (a document in the store, a decrypted copy in memory at
    /// `/proc/self/fd/N`, a bag's payload file).
    public func scan(fileAt path: String) -> VirusScanOutcome {
        guard let size = FileSystem.size(ofRegularFile: path, followingLinks: true) else {
            return .failed("cannot be scanned: not a readable regular file")
        }
        if size > Self.maximumFileSize {
            return .notScanned("\(size) bytes, larger than ClamAV's limit of \(Self.maximumFileSize >> 20) MiB")
        }
        var options = cl_scan_options()
        CDossierClamAV_defaultOptions(&options)
        var name: UnsafePointer<CChar>?
        var scanned: UInt = 0
        let status = cl_scanfile(path, &name, &scanned, engine, &options)
        switch status {
        case CL_CLEAN:
            return .clean
        case CL_VIRUS:
            let signature = name.map { String(cString: $0) } ?? "an unnamed signature"
            if signature.hasPrefix("Heuristics.Limits.Exceeded") {
                return .notScanned("not scanned whole: it exceeds ClamAV's limits (\(signature))")
            }
            return .infected(signature)
        default:
            return .failed("the scan failed: \(String(cString: cl_strerror(status)))")
        }
    }
}

/// What a scan found.
public enum VirusScanOutcome: Sendable, Equatable {
    case clean
    /// A signature matched: its name (`Eicar-Test-Signature`, `eicar.txt.UNOFFICIAL`).
    case infected(String)
    /// The file was not scanned (whole), and why.
    case notScanned(String)
    /// The scan could not run, and why.
    case failed(String)
}

/// Why a scanner could not be made.
public enum VirusScanError: Error, Sendable, Equatable, CustomStringConvertible {
    case engine(String)
    case database(path: String, problem: String)

    public var description: String {
        switch self {
        case .engine(let detail): "ClamAV: \(detail)"
        case let .database(path, problem): "\(path): the ClamAV signature database \(problem)"
        }
    }
}
