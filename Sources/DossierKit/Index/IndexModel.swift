import DossierModel
/// What the rules engine says about a dossier, as the index keeps it: the seam through which
/// findings, flags and status reach the index without the index knowing the rules.
public struct IndexEnrichment: Sendable, Equatable {
    /// The dossier's status, e.g. `in order`, `pending review`.
    public var status: DossierStatus
    /// Flags confidentiality officers work from: SECRET, EXPORT, EXCLUDED, …
    public var flags: [DossierFlag]
    public var findings: [IndexedFinding]

    public init(status: DossierStatus, flags: [DossierFlag] = [], findings: [IndexedFinding] = []) {
        self.status = status
        self.flags = flags
        self.findings = findings
    }

    /// The status of a dossier no rules have looked at.
    public static let notValidated = IndexEnrichment(status: .notValidated)
}

/// One finding of a rule about a dossier.
public struct IndexedFinding: Sendable, Equatable {
    public var rule: RuleID
    public var severity: Severity
    public var message: String
    /// Logical paths of the documents the finding is about.
    public var documents: [String]

    public init(rule: RuleID, severity: Severity, message: String, documents: [String] = []) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.documents = documents
    }
}

/// One version of a dossier as the index keeps it.
public struct IndexedVersion: Sendable, Equatable {
    public var number: VersionNumber
    public var created: String
    public var message: String?
    public var user: Agent?

    public init(number: VersionNumber, created: String, message: String?, user: Agent?) {
        self.number = number
        self.created = created
        self.message = message
        self.user = user
    }
}

/// One document of a dossier's head version, with its text.
public struct IndexedDocument: Sendable, Equatable {
    public var entry: DocumentEntry
    /// The content's sha256 from the inventory's fixity block.
    public var sha256: String?
    public var text: ExtractedText

    public init(entry: DocumentEntry, sha256: String?, text: ExtractedText) {
        self.entry = entry
        self.sha256 = sha256
        self.text = text
    }

    /// The date a document carries: when it was signed, else when it was issued.
    public var date: LocalDate? {
        (entry.facts["signedOn"]?.stringValue ?? entry.facts["issuedOn"]?.stringValue).flatMap(LocalDate.init)
    }
}

/// What `stat` said about a place in the store when the index last matched it: a tuple folder,
/// or an object's inventory.json (then `path` is the object's folder).
public struct StoreFingerprint: Sendable, Equatable {
    /// Relative to the storage root (`StorageRoot.rootFolder`, ".", for the root).
    public var path: String
    var fingerprint: FileFingerprint
    /// Whether a later change is sure to change the fingerprint (``FileFingerprint/isSettled(at:)``).
    var settled: Bool

    public init(path: String, fingerprint: FileFingerprint, settled: Bool) {
        self.path = path
        self.fingerprint = fingerprint
        self.settled = settled
    }
}

/// What the index last recorded about the store, as the freshness check reads it at every
/// command: paths stay bytes, ready for `stat`, until one is needed as text.
struct RecordedStore: Sendable {
    /// The tuple folders (relative to the storage root).
    public var folders = PathList()
    var folderFingerprints: [FileFingerprint] = []
    var folderSettled: [Bool] = []
    /// Each object's inventory.json: its folder followed by ``inventorySuffix``.
    var inventories = PathList()
    var inventoryFingerprints: [FileFingerprint] = []
    var inventorySettled: [Bool] = []
    /// The dossier of each object, in the order of `inventories`.
    public var dossiers = PathList()

    static let inventorySuffix = Array("/\(StorageRoot.inventoryName)".utf8)

    public init() {}

    public func dossier(at index: Int) -> DossierID? { DossierID(dossiers.path(at: index)) }

    /// The object's folder, relative to the storage root.
    func objectPath(at index: Int) -> String { inventories.path(at: index, droppingLast: Self.inventorySuffix.count) }
}

/// The `storeFolders` blob: per folder, the length of its path (2 bytes, little-endian), the
/// path, its fingerprint (32 bytes) and whether it had settled (1 byte).
enum StoreFolders {
    static func encode(_ folders: [StoreFingerprint]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(folders.count * 48)
        for folder in folders {
            let path = Array(folder.path.utf8.prefix(0xFFFF))
            result += [UInt8(path.count & 0xFF), UInt8(path.count >> 8)]
            result += path
            result += folder.fingerprint.bytes
            result.append(folder.settled ? 1 : 0)
        }
        return result
    }

    /// Appends the blob's folders to `recorded`.
    /// - Returns: `false` when the blob is cut short.
    static func decode(_ blob: UnsafeRawBufferPointer, into recorded: inout RecordedStore) -> Bool {
        var offset = 0
        while offset < blob.count {
            guard offset + 2 <= blob.count else { return false }
            let length = Int(blob[offset]) | Int(blob[offset + 1]) << 8
            let pathStart = offset + 2
            let fingerprintStart = pathStart + length
            guard fingerprintStart + 33 <= blob.count,
                let fingerprint = FileFingerprint(bytes: UnsafeRawBufferPointer(rebasing: blob[fingerprintStart..<(fingerprintStart + 32)]))
            else { return false }
            recorded.folders.append(UnsafeRawBufferPointer(rebasing: blob[pathStart..<fingerprintStart]).assumingMemoryBound(to: UInt8.self))
            recorded.folderFingerprints.append(fingerprint)
            recorded.folderSettled.append(blob[fingerprintStart + 32] != 0)
            offset = fingerprintStart + 33
        }
        return true
    }
}

/// Everything the index keeps about one dossier, as read from the store.
public struct IndexedDossier: Sendable, Equatable {
    public var record: DossierRecord
    public var head: VersionNumber
    public var versions: [IndexedVersion]
    /// The root inventory's sha512 (its sidecar): when the store's differs, the index is stale.
    public var inventoryDigest: String
    public var documents: [IndexedDocument]
    public var enrichment: IndexEnrichment
    /// The unit's name from vault.json (内蒙古工业大学), searchable beside its id.
    public var unitName: String?
    /// Where it was read from and its inventory's fingerprint, for the freshness check; `nil`
    /// for a dossier not from a store.
    var objectState: StoreFingerprint?

    public init(
        record: DossierRecord, head: VersionNumber, versions: [IndexedVersion], inventoryDigest: String,
        documents: [IndexedDocument], enrichment: IndexEnrichment, unitName: String?, objectState: StoreFingerprint? = nil
    ) {
        self.objectState = objectState
        self.record = record
        self.head = head
        self.versions = versions
        self.inventoryDigest = inventoryDigest
        self.documents = documents
        self.enrichment = enrichment
        self.unitName = unitName
    }

    public var headCreated: String { versions.first { $0.number == head }?.created ?? "" }
}

/// What `search` and `list` may be narrowed by. Filters combine: every one given must hold.
public struct IndexFilter: Sendable, Equatable {
    /// Only documents of this kind (and dossiers that have one).
    public var kind: DocumentKind?
    public var unit: String?
    public var type: String?
    public var flag: DossierFlag?
    public var status: DossierStatus?
    /// Only documents dated (signedOn, else issuedOn) on or after this day; for a dossier, that
    /// it has such a document.
    public var since: LocalDate?
    /// Only documents dated on or before this day.
    public var until: LocalDate?

    public init(kind: DocumentKind? = nil, unit: String? = nil, type: String? = nil, flag: DossierFlag? = nil, status: DossierStatus? = nil, since: LocalDate? = nil, until: LocalDate? = nil) {
        self.kind = kind
        self.unit = unit
        self.type = type
        self.flag = flag
        self.status = status
        self.since = since
        self.until = until
    }

    /// Whether a filter narrows by document (kind or dates): then dossier-level hits drop out.
    var narrowsDocuments: Bool { kind != nil || since != nil || until != nil }
}

/// One search result: a document (or a dossier's record) that matches, best first.
public struct SearchHit: Sendable, Equatable {
    public var dossier: DossierID
    public var title: String
    /// The dossier's head version, which the index describes.
    public var version: VersionNumber
    /// The document's logical path, or `dossier.json` for the record's own fields.
    public var path: String
    /// The document kind, or `record`.
    public var kind: String
    /// A passage around the matches, each match between « and ».
    public var snippet: String
    /// Higher is better (BM25, as SQLite's `bm25()` computes it, negated).
    public var score: Double
    /// How the hits were ordered.
    public var ranking: Ranking

    /// How a search ordered its hits.
    public enum Ranking: String, Sendable, Equatable {
        /// By BM25 over every match.
        case relevance = "bm25"
        /// The query's words are in more than ``DossierIndex/candidateLimit`` rows (boilerplate
        /// such as 甲方): by BM25 among that many of its matches, the most recently indexed.
        case commonTerms = "common-terms"
    }

    static let highlightStart = "«"
    static let highlightEnd = "»"
    static let recordPath = LogicalPath.record
    static let recordKind = "record"
}

/// One dossier as `list` and reports see it.
public struct DossierSummary: Sendable, Equatable {
    public var record: DossierRecord
    public var head: VersionNumber
    public var headCreated: String
    public var status: DossierStatus
    public var flags: [DossierFlag]
    public var findings: [IndexedFinding]
}
