import DossierModel

/// What kind of paper a file is, by its leading bytes, and for a zip by its members: the one
/// dispatch of text extraction (``TextExtractor``) and signature checking (``SignatureCheck``).
struct PaperFormat: Equatable {
    enum Kind: Equatable {
        /// `%PDF-` at the start, or within the first 1,024 bytes of a file named `.pdf` (PDF readers,
        /// poppler included, accept bytes before the header; a text file that mentions `%PDF-` is
        /// still text).
        case pdf
        /// A zip whose central directory lists `OFD.xml` at its root (GB/T 33190, in any case), or a zip named
        /// `.ofd` whose directory cannot be read (so that the OFD reader names what is broken).
        case ofd
        /// A zip named `.docx` or `.docm`.
        case docx
        /// Any other zip.
        case zip
        /// Anything else: text, images, unknown binaries.
        case other
    }

    var kind: Kind
    /// The file's first bytes (up to ``headLength``).
    var head: [UInt8]

    static let headLength = 1024

    /// - Throws: ``FileSystemError`` when the file cannot be opened or read.
    static func of(fileAt path: String, fileName: String) throws(FileSystemError) -> PaperFormat {
        let descriptor = try FileDescriptor.open(path, .readOnly)
        defer { descriptor.closeQuietly() }
        var buffer = [UInt8](repeating: 0, count: headLength)
        let read: Result<Int, FileSystemError> = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(FileSystemError) in try descriptor.read(into: bytes, at: 0) }
        }
        let count = try read.get()
        let head = Array(buffer.prefix(count))
        let lowerName = fileName.lowercased()
        let pdfHeader = Array("%PDF-".utf8)
        if head.starts(with: pdfHeader) || lowerName.hasSuffix(".pdf") && ByteSearch.firstIndex(of: pdfHeader, in: head) != nil {
            return PaperFormat(kind: .pdf, head: head)
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return PaperFormat(kind: .other, head: head) }
        if lowerName.hasSuffix(".docx") || lowerName.hasSuffix(".docm") { return PaperFormat(kind: .docx, head: head) }
        do {
            let members = try ZipDirectory.read(path: path, file: fileName, maximumMembers: OFDLimits.default.maximumMembers)
            // As the OFD reader finds it: at the root, in any case (ofdkit's last resort too).
            let isOFD = members.contains { OFDMemberIndex.normalize(String(decoding: $0.rawName, as: UTF8.self)).lowercased() == "ofd.xml" }
            return PaperFormat(kind: isOFD ? .ofd : .zip, head: head)
        } catch {
            return PaperFormat(kind: lowerName.hasSuffix(".ofd") ? .ofd : .zip, head: head)
        }
    }
}
