import DossierModel

/// Bounds on the work and memory spent on one document, so that hostile files are refused with an
/// error (or an `indeterminate` verdict) instead of exhausting the machine.
///
/// Memory stays within a few times `maximumObjectBytes + maximumStreamBytes` (the decoded cross-reference
/// streams and object streams, one object's text, a bounded object cache) plus a 1 MiB hashing buffer,
/// whatever the document's size.
public struct SignatureLimits: Sendable, Equatable {
    /// Signature dictionaries per document (filled signature fields).
    public var maximumSignatures = 100
    /// Nodes of the AcroForm field tree visited.
    public var maximumFieldNodes = 20_000
    /// Indirect objects read while finding the signatures.
    public var maximumObjectReads = 50_000
    /// Bytes of one object's text read from the file (a signature dictionary with its /Contents hex).
    public var maximumObjectBytes = 8 * 1024 * 1024
    /// Decoded bytes of a signature (/Contents or a .p7s).
    public var maximumSignatureBytes = 2 * 1024 * 1024
    /// Encoded and decoded bytes of one cross-reference or object stream.
    public var maximumStreamBytes = 64 * 1024 * 1024
    /// Decoded bytes of all streams of one document together (a rotating set of deflate bombs stops here).
    public var maximumDecodedBytes = 256 * 1024 * 1024
    /// Bytes of object text parsed for one document, read windows included.
    public var maximumParsedBytes = 256 * 1024 * 1024
    /// Cross-reference sections followed through /Prev (one per revision).
    public var maximumXrefSections = 1_000
    /// Cross-reference subsections over all sections.
    public var maximumXrefSubsections = 100_000
    /// Objects in one object stream.
    public var maximumObjectsPerStream = 100_000

    /// The defaults above.
    public init() {}
}
