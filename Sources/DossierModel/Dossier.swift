/// A member of the team that completed the achievement (成果完成人).
public struct Completer: Sendable, Equatable {
    public var name: String
    public var role: String?
    /// The member's internal share in percent, as agreed in the team consensus.
    public var share: Double?
    /// The designated representative (指定代表), who applies on the team's behalf.
    public var representative: Bool
    /// The unit's legal-person head (担任法人的正职领导), for R14.
    public var legalHead: Bool

    public init(name: String, role: String? = nil, share: Double? = nil, representative: Bool = false, legalHead: Bool = false) {
        self.name = name
        self.role = role
        self.share = share
        self.representative = representative
        self.legalHead = legalHead
    }
}

/// How long and for whom a classified achievement stays secret (R24).
public struct Secrecy: Sendable, Equatable {
    public var level: Classification
    /// When the achievement was classified; secrecy periods and yearly reviews count from it.
    public var classifiedOn: LocalDate?
    /// The end of the secrecy period.
    public var until: LocalDate?
    /// A declassification condition, when there is no fixed end date.
    public var condition: String?
    /// Who may read the dossier.
    public var readers: [String]

    public init(level: Classification, classifiedOn: LocalDate? = nil, until: LocalDate? = nil, condition: String? = nil, readers: [String] = []) {
        self.level = level
        self.classifiedOn = classifiedOn
        self.until = until
        self.condition = condition
        self.readers = readers
    }
}

/// One filed document as listed in `dossier.json`.
public struct DocumentEntry: Sendable, Equatable {
    /// The logical path: `documents/<kind>/<file name>`.
    public var path: String
    public var kind: DocumentKind
    public var sha512: Digest
    public var size: Int64
    public var mediaType: String
    /// When it was filed, RFC 3339 with seconds and zone.
    public var filedAt: String
    public var filedBy: String
    public var facts: JSONObject
    /// How the stored bytes are encrypted, for a classified dossier's documents; then
    /// ``sha512`` and ``size`` are the stored (encrypted) file's, and no digest of the paper's
    /// own bytes is kept anywhere in the clear.
    public var encryption: DocumentEncryption?
    /// The verdicts on the document's e-signatures and seals, checked when it was filed (R28):
    /// evidence of what was valid then, against the anchors the vault trusted then. Empty when
    /// it carries none (or, for a classified paper filed from an archive bundle, when it could
    /// not be checked without writing it in the clear).
    public var signatures: [SignatureVerdict]

    public init(
        path: String, kind: DocumentKind, sha512: Digest, size: Int64, mediaType: String, filedAt: String, filedBy: String, facts: JSONObject,
        encryption: DocumentEncryption? = nil, signatures: [SignatureVerdict] = []
    ) {
        self.path = path
        self.kind = kind
        self.sha512 = sha512
        self.size = size
        self.mediaType = mediaType
        self.filedAt = filedAt
        self.filedBy = filedBy
        self.facts = facts
        self.encryption = encryption
        self.signatures = signatures
    }

    public var fileName: String { LogicalPath.fileName(of: path) }

    /// The logical path of a document of `kind` named `fileName`.
    public static func logicalPath(kind: DocumentKind, fileName: String) -> String {
        LogicalPath.document(kind: kind, fileName: fileName)
    }
}

/// How a classified document's stored bytes are encrypted (FORMATS.md §3): an age file
/// (age-encryption.org/v1) to the readers cleared for its level when it was stored.
public struct DocumentEncryption: Sendable, Equatable {
    /// Always `age`.
    public var format: String
    /// The readers it was encrypted to, by name (vault.json's clearances at the time).
    public var readers: [String]
    /// The paper's own size in bytes (the stored file is larger by age's header and tags).
    public var size: Int64

    public static let age = "age"

    public init(readers: [String], size: Int64) {
        format = Self.age
        self.readers = readers
        self.size = size
    }
}

/// The record of one achievement at one version: `dossier.json` (FORMATS.md §3).
public struct DossierRecord: Sendable, Equatable {
    public var id: DossierID
    public var title: String
    public var unit: String
    public var type: AchievementType
    public var funding: Funding
    public var grant: GrantKind
    public var classification: Classification
    public var secrecy: Secrecy?
    public var nationalInterest: Bool
    public var ethicsSensitive: Bool
    public var completers: [Completer]
    public var documents: [DocumentEntry]

    public init(
        id: DossierID, title: String, unit: String, type: AchievementType, funding: Funding, grant: GrantKind,
        classification: Classification = .none, secrecy: Secrecy? = nil, nationalInterest: Bool = false,
        ethicsSensitive: Bool = false, completers: [Completer] = [], documents: [DocumentEntry] = []
    ) {
        self.id = id
        self.title = title
        self.unit = unit
        self.type = type
        self.funding = funding
        self.grant = grant
        self.classification = classification
        self.secrecy = secrecy
        self.nationalInterest = nationalInterest
        self.ethicsSensitive = ethicsSensitive
        self.completers = completers
        self.documents = documents
    }

    /// The document at `path`, by a linear search: for one lookup; a loop over many documents
    /// builds a dictionary instead (``WorkMeter`` counts the documents looked at).
    public func document(at path: String) -> DocumentEntry? { documentIndex(at: path).map { documents[$0] } }

    /// The position of the document at `path` in ``documents``, by a linear search.
    public func documentIndex(at path: String) -> Int? {
        guard let index = documents.firstIndex(where: { $0.path == path }) else {
            WorkMeter.count(.documentScanned, documents.count)
            return nil
        }
        WorkMeter.count(.documentScanned, index + 1)
        return index
    }

    public func documents(of kind: DocumentKind) -> [DocumentEntry] { documents.filter { $0.kind == kind } }

    /// The representative completer, if one is marked.
    public var representative: Completer? { completers.first { $0.representative } }
}
