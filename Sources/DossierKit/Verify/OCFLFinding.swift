import DossierModel
import Foundation

/// One problem found in an OCFL object or storage root.
///
/// Printed as one line: `E092 IMUT-2021-0007 v1/content/dossier.json: its sha512 is 91bc…, …`.
public struct OCFLFinding: Sendable, Hashable, CustomStringConvertible {
    public var code: ValidationCode
    /// The object as the user knows it: a dossier id in the vault, else the folder as given.
    /// For storage-root findings, the storage root.
    public var object: String
    /// The file or folder concerned, relative to `object` (`inventory.json`, `v2/content/a.pdf`).
    public var path: String
    /// The version the finding concerns (`v2`), when it concerns one.
    public var version: String?
    /// What is wrong, in one sentence.
    public var message: String

    public init(_ code: ValidationCode, object: String, path: String, version: String? = nil, message: String) {
        self.code = code
        self.object = object
        self.path = path
        self.version = version
        self.message = message
    }

    public var severity: FindingSeverity { code.severity }

    public var description: String {
        let place = path.isEmpty ? object : "\(object) \(path)"
        return "\(code.rawValue) \(place): \(message)"
    }

    /// The finding as a JSON object (the `--json` form).
    public func json() -> JSONValue {
        [
            "code": .string(code.rawValue),
            "severity": .string(severity.rawValue),
            "object": .string(object),
            "path": .string(path),
            "version": version.map { .string($0) } ?? .null,
            "message": .string(message),
        ]
    }
}

/// What a verification run found and how much it read.
public struct VerificationReport: Sendable {
    /// Every finding, grouped by object in the order the objects were given or found.
    public var findings: [OCFLFinding]
    public var objectsChecked: Int
    public var filesHashed: Int
    public var bytesHashed: Int64
    /// The folders checked under each object name (a name held by two folders is ambiguous).
    var objectFolders: [String: [String]] = [:]
    /// What the dossier checks read of each dossier, by object name, when the options asked to
    /// keep it (``VerifyOptions/observeDossiers``): the four-properties check takes it instead of
    /// reading every inventory and record a second time.
    public var observations: [String: DossierObservation] = [:]
    /// By object folder (its path), its version folders and their inventories' digests as the
    /// checks listed and hashed them: the audit cross-check takes these instead of listing and
    /// hashing every object again.
    var objectVersions: [String: ObjectVersions] = [:]

    public init(findings: [OCFLFinding] = [], objectsChecked: Int = 0, filesHashed: Int = 0, bytesHashed: Int64 = 0) {
        self.findings = findings
        self.objectsChecked = objectsChecked
        self.filesHashed = filesHashed
        self.bytesHashed = bytesHashed
    }

    public var errorCount: Int { findings.count { $0.severity == .error } }
    public var warningCount: Int { findings.count { $0.severity == .warning } }
    /// Valid means no errors; warnings are allowed.
    public var isValid: Bool { errorCount == 0 }

    /// The distinct codes reported, in order of first appearance.
    public var codes: [ValidationCode] {
        var seen = Set<ValidationCode>()
        return findings.map(\.code).filter { seen.insert($0).inserted }
    }

    public func json() -> JSONValue {
        [
            "valid": .bool(isValid),
            "objects": .number(Double(objectsChecked)),
            "filesHashed": .number(Double(filesHashed)),
            "bytesHashed": .number(Double(bytesHashed)),
            "errors": .number(Double(errorCount)),
            "warnings": .number(Double(warningCount)),
            "findings": .array(findings.map { $0.json() }),
        ]
    }
}

/// How a verification runs.
public struct VerifyOptions: Sendable {
    /// Recompute every content digest (manifest and fixity). Off: structure only.
    public var checkDigests: Bool
    /// Threads that check objects and hash files; the machine's cores by default.
    public var workers: Int
    /// Keep, for each dossier, what its checks read (``VerificationReport/observations``).
    public var observeDossiers = false
    /// Check every older version's inventory against the root inventory (`true`), or only the
    /// inventory of the version before the head (`false`). Every older inventory restates the
    /// versions before it, so checking them all reads some V²/2 version states for V versions:
    /// right for `verify`, but a filing only needs to know that the version it just wrote
    /// agrees with the one before it, whose own filing checked the rest.
    public var allOlderInventories = true

    public init(checkDigests: Bool = true, workers: Int? = nil, observeDossiers: Bool = false, allOlderInventories: Bool = true) {
        self.checkDigests = checkDigests
        self.workers = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        self.observeDossiers = observeDossiers
        self.allOlderInventories = allOlderInventories
    }
}

/// What verify read of one dossier while checking it: every version's date and filer as the
/// inventory states them, and the head version's state and record.
public struct DossierObservation: Sendable {
    /// Every version the inventory lists, in number order.
    public var versions: [ObservedVersion]
    /// The head version's state: logical path → sha512 (lowercase hex).
    public var headState: [String: String]
    /// The head version's record, when it decoded.
    public var headRecord: DossierRecord?

    public init(versions: [ObservedVersion], headState: [String: String], headRecord: DossierRecord?) {
        self.versions = versions
        self.headState = headState
        self.headRecord = headRecord
    }
}

/// A version block as the inventory states it (the values as written; nil when absent or not a string).
public struct ObservedVersion: Sendable, Equatable {
    /// `v3`.
    public var name: String
    public var number: Int
    public var created: String?
    public var userName: String?
    public var userAddress: String?

    public init(name: String, number: Int, created: String?, userName: String?, userAddress: String?) {
        self.name = name
        self.number = number
        self.created = created
        self.userName = userName
        self.userAddress = userAddress
    }
}

/// Where a running verification is, for a progress line.
public struct VerifyProgress: Sendable {
    public var objectsDone: Int
    public var objectsTotal: Int
    public var filesHashed: Int
    public var bytesHashed: Int64
    public var elapsedSeconds: Double
}

extension VerificationReport {
    /// What the checks found of each dossier's object at its own place in `store` (an object
    /// of the same name elsewhere is not it): its version folders and their inventories' digests.
    func dossierVersions(in store: StorageRoot) -> [DossierID: ObjectVersions] {
        var known: [DossierID: ObjectVersions] = [:]
        for name in objectFolders.keys {
            guard let id = DossierID(name), let versions = objectVersions[store.objectRoot(for: id)] else { continue }
            known[id] = versions
        }
        return known
    }
}
