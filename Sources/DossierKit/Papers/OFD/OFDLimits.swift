/// Bounds that keep a hostile OFD from using unbounded memory or time. The defaults are far
/// above what real documents and e-invoices need.
public struct OFDLimits: Sendable, Equatable {
    /// Most zip members (files and folders) a package may hold.
    public var maximumMembers: Int
    /// Largest single member, uncompressed.
    public var maximumMemberBytes: Int
    /// Largest total of all members, uncompressed.
    public var maximumTotalBytes: Int
    /// Largest expansion of one member (uncompressed ÷ compressed) once it passes
    /// ``compressionRatioFloor`` bytes: zip bombs expand about 1,000 times, documents 2–30.
    public var maximumCompressionRatio: Int
    /// Members smaller than this many bytes are not held to the ratio (small XML compresses well).
    public var compressionRatioFloor: Int
    /// Largest XML part (or signature value) read into memory, uncompressed.
    public var maximumXMLBytes: Int
    /// Deepest element nesting in one XML part.
    public var maximumXMLDepth: Int
    /// Most attributes on one element.
    public var maximumXMLAttributes: Int
    /// Most elements in one XML part.
    public var maximumXMLElements: Int
    /// Most pages in a document.
    public var maximumPages: Int
    /// Most characters in one `TextCode`, values in one `DeltaX`/`DeltaY` list (after `g`
    /// expansion), and `CodeCount`/`GlyphCount` in one `CGTransform`.
    public var maximumGlyphsPerTextCode: Int
    /// Most text runs on one page, templates and composite objects included.
    public var maximumRunsPerPage: Int
    /// Most page objects visited on one page while following `PageBlock` and composite objects.
    public var maximumObjectsPerPage: Int

    /// Limits suited to documents filed by people.
    public static let `default` = OFDLimits(
        maximumMembers: 10_000,
        maximumMemberBytes: 64 << 20,
        maximumTotalBytes: 512 << 20,
        maximumCompressionRatio: 100,
        compressionRatioFloor: 1 << 20,
        maximumXMLBytes: 32 << 20,
        maximumXMLDepth: 256,
        maximumXMLAttributes: 256,
        maximumXMLElements: 2_000_000,
        maximumPages: 10_000,
        maximumGlyphsPerTextCode: 100_000,
        maximumRunsPerPage: 50_000,
        maximumObjectsPerPage: 500_000
    )

    /// Sets every limit; ``default`` is the usual choice.
    public init(
        maximumMembers: Int, maximumMemberBytes: Int, maximumTotalBytes: Int, maximumCompressionRatio: Int,
        compressionRatioFloor: Int, maximumXMLBytes: Int, maximumXMLDepth: Int, maximumXMLAttributes: Int,
        maximumXMLElements: Int, maximumPages: Int, maximumGlyphsPerTextCode: Int, maximumRunsPerPage: Int,
        maximumObjectsPerPage: Int
    ) {
        self.maximumMembers = maximumMembers
        self.maximumMemberBytes = maximumMemberBytes
        self.maximumTotalBytes = maximumTotalBytes
        self.maximumCompressionRatio = maximumCompressionRatio
        self.compressionRatioFloor = compressionRatioFloor
        self.maximumXMLBytes = maximumXMLBytes
        self.maximumXMLDepth = maximumXMLDepth
        self.maximumXMLAttributes = maximumXMLAttributes
        self.maximumXMLElements = maximumXMLElements
        self.maximumPages = maximumPages
        self.maximumGlyphsPerTextCode = maximumGlyphsPerTextCode
        self.maximumRunsPerPage = maximumRunsPerPage
        self.maximumObjectsPerPage = maximumObjectsPerPage
    }
}
