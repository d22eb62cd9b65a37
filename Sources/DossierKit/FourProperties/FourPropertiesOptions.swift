import DossierModel

/// How a four-properties check runs: which stage's items, as of which day, with which trust
/// anchors, virus database and keys, and the hooks later parts of the vault connect.
public struct FourPropertiesOptions: Sendable {
    /// The stage whose items run; nil runs every item.
    public var stage: CheckStage?
    /// The day the rules (I3) judge by.
    public var asOf: LocalDate
    /// When the check runs (RFC 3339); recorded in the report. Nil in an export's report, which must
    /// come out the same whenever the same version is exported as of the same day.
    public var checkedAt: String?
    /// The moment certificates are checked at when a signature states no time of its own (RFC 3339).
    public var signatureTime: String
    /// The certificates signature chains may end at (A2).
    public var anchors: [TrustAnchor] = []
    /// ClamAV with the operator's signature database (S2); without one S2 is not run.
    public var scanner: VirusScanner?
    /// Keys of a cleared reader: classified papers are decrypted into memory (never to disk) so
    /// that their content can be checked; without them those items are not run for such papers.
    public var identities: [AgeIdentity] = []
    /// The vault's units (I2 checks the record's unit is one of them); nil when unknown (a bag).
    public var units: [String]?
    /// Storage stage: read every document's text again instead of trusting the index's record of
    /// the text read from the same bytes.
    public var rereadText = false
    /// At filing: a scan or image without text is waiting for the index step's OCR (U3 a warning,
    /// not a failure: its text is not known yet).
    var ocrPending = false
    /// The logical paths whose content items (A2, U2–U4, S1, S2) run; nil for every document. A
    /// filing checks the papers it filed, not again those filed before.
    var contentOf: Set<String>?
    /// A filing's papers inspected while it finished (``InspectionsAhead``); the check takes
    /// those done and inspects the others itself.
    var inspectionsAhead: InspectionsAhead?
    /// Seals (A4, and a bag's sealed audit head for S3), once sealed exports land; nil: not run.
    public var seals: (any SealVerifying)?
    /// Reads text from a page image (U3 for scans and images), once OCR lands; nil: no OCR.
    public var ocr: (@Sendable (_ path: String, _ fileName: String) -> ExtractedText?)?
    /// The signature verdicts recorded at filing (`DocumentEntry.signatures`), once the record
    /// carries them; nil, or nil for a document, recomputes them from its bytes.
    public var recordedSignatures: (@Sendable (DocumentEntry) -> [SignatureVerdict]?)?

    /// - Parameters:
    ///   - stage: the stage whose items run; nil for every item.
    ///   - asOf: the day the rules judge by.
    ///   - checkedAt: when the check runs (RFC 3339), or nil.
    ///   - signatureTime: the fallback moment for certificate checks (RFC 3339).
    public init(stage: CheckStage?, asOf: LocalDate, checkedAt: String?, signatureTime: String) {
        self.stage = stage
        self.asOf = asOf
        self.checkedAt = checkedAt
        self.signatureTime = signatureTime
    }

    /// The items that run, in list order.
    public var items: [CheckItem] { stage?.items ?? CheckItem.allCases }

    func runs(_ item: CheckItem) -> Bool { stage.map { item.stages.contains($0) } ?? true }
}

/// What seals are checked on: a version of a dossier in the store, or a bag as received.
public enum SealSubject: Sendable {
    /// A dossier's version: its id, the version, and the sha512 of the object's root inventory
    /// (what a version seal would sign).
    case dossier(id: DossierID, version: VersionNumber, inventorySHA512: String)
    /// A bag: where it is, and its tag files as read (bag-relative path → bytes), among them
    /// `tagmanifest-sha512.txt`, which an export seal signs.
    case bag(path: String, tagFiles: [String: [UInt8]])
}

/// The seals of sealed exports (issue 17), connected here when they land: an Ed25519 seal over a
/// bag's tag manifest, a sealed audit head in every bag, version seals in the store.
///
/// Each method returns the item's result, or nil when the subject carries no seal the verifier
/// knows: the item is then reported as not run ("no seal"), never as passed.
public protocol SealVerifying: Sendable {
    /// A4: whether the package is unchanged since it was sealed.
    func packageSeal(of subject: SealSubject) -> ItemResult?
    /// S3 for a bag: the audit head sealed into it, checked against its seal.
    func sealedAuditHead(of subject: SealSubject) -> ItemResult?
}

/// What the index recorded of one document's text: read from bytes whose sha512 it keeps.
public struct IndexedText: Sendable, Equatable {
    public var sha512: String
    public var source: ExtractedText.Source
    public var problem: String?
    public var bytes: Int

    public init(sha512: String, source: ExtractedText.Source, problem: String?, bytes: Int) {
        self.sha512 = sha512
        self.source = source
        self.problem = problem
        self.bytes = bytes
    }
}
