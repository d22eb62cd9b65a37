import DossierModel

/// What a document is by its bytes, as far as an archive cares (the four-properties check's U2,
/// U4 and S1 read it): the format, what its name claims, and what inside it could keep a reader
/// out or run code.
///
/// Identification combines libmagic (``MagicIdentification``: the long tail of formats, versions,
/// executables, encrypted Office containers) with this vault's own structure readers where libmagic
/// stops short: a zip is opened to tell an OFD (`OFD.xml` at its root), a Word document
/// (`[Content_Types].xml` and `word/document.xml`) and macros (`vbaProject.bin`) from a plain zip
/// (``ZipInspection``); a PDF is walked object by object for JavaScript, launch actions and embedded
/// files, and its XMP read for a PDF/A claim (``PDFInspection``). Nothing here judges: the check
/// decides what is accepted, warned about or failed.
struct DocumentInspection: Sendable, Equatable {
    /// What the bytes are.
    var content: PaperContent
    /// The MIME type by content (ours for OFD and DOCX, libmagic's otherwise).
    var mimeType: String
    /// In words: libmagic's description, or ours for OFD and DOCX.
    var description: String
    /// What the file's name claims (its extension), or nil when the extension says nothing.
    var nameClaims: PaperContent?
    var pdf: PDFFacts?
    var zip: ZipFacts?
    /// The bytes are an age file (age-encryption.org/v1): encrypted, and unreadable without a key.
    var isAgeEncrypted = false
    /// What could not be looked at, and why (a PDF past a limit, a broken zip directory).
    var uninspected: [String] = []

    /// Whether the name claims another format than the bytes are. An unknown extension claims nothing.
    var nameContradictsContent: Bool {
        guard let nameClaims else { return false }
        return nameClaims != content
    }

    /// Inspects the file at `path`, which people know as `fileName`.
    /// - Throws: ``PaperInspectionError`` when the file cannot be read or libmagic cannot start.
    static func inspect(fileAt path: String, fileName: String) throws(PaperInspectionError) -> DocumentInspection {
        WorkMeter.count(.paperInspected)
        let magic = try MagicIdentification.identify(fileAt: path)
        let head: [UInt8]
        switch Self.head(of: path) {
        case .success(let bytes): head = bytes
        case .failure(let error): throw .io("\(fileName): \(error.operation) failed: \(error.reason)")
        }
        var inspection = DocumentInspection(
            content: PaperContent(mimeType: magic.mimeType, description: magic.description), mimeType: magic.mimeType,
            description: magic.description, nameClaims: PaperContent(fileName: fileName))
        if head.starts(with: Array("age-encryption.org/v1\n".utf8)) {
            inspection.isAgeEncrypted = true
            inspection.content = .other
            inspection.description = "an age-encrypted file (age-encryption.org/v1)"
        }
        // A PDF preceded by junk (which readers accept) is still a PDF, as PaperFormat has it.
        let format = try? PaperFormat.of(fileAt: path, fileName: fileName)
        if format?.kind == .pdf { inspection.content = .pdf; inspection.mimeType = "application/pdf" }
        switch inspection.content {
        case .pdf:
            inspection.pdf = PDFInspection.inspect(fileAt: path, fileName: fileName, head: format?.head ?? head)
            if let problem = inspection.pdf?.walkProblem { inspection.uninspected.append(problem) }
        case .zip, .docx, .ofd:
            switch ZipInspection.inspect(fileAt: path, fileName: fileName) {
            case .success(let facts):
                inspection.zip = facts
                if facts.hasOFDRoot {
                    inspection.content = .ofd
                    inspection.mimeType = "application/ofd"
                    inspection.description = "an OFD package (GB/T 33190)"
                } else if facts.isWordDocument {
                    inspection.content = .docx
                    inspection.mimeType = facts.macros.isEmpty
                        ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        : "application/vnd.ms-word.document.macroEnabled.12"
                    inspection.description = facts.macros.isEmpty ? "a Word document (DOCX)" : "a Word document with macros (DOCM)"
                } else {
                    inspection.content = .zip
                }
            case .failure(let problem):
                inspection.content = .zip
                inspection.uninspected.append(problem.description)
            }
        default:
            break
        }
        return inspection
    }
}

extension DocumentInspection {
    /// The first 64 bytes of a file.
    static func head(of path: String) -> Result<[UInt8], FileSystemError> {
        Result { () throws(FileSystemError) -> [UInt8] in
            let descriptor = try FileDescriptor.open(path, .readOnly)
            defer { descriptor.closeQuietly() }
            var buffer = [UInt8](repeating: 0, count: 64)
            let read: Result<Int, FileSystemError> = buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(FileSystemError) in try descriptor.read(into: bytes, at: 0) }
            }
            return Array(buffer.prefix(try read.get()))
        }
    }
}

/// A document format as the four-properties check tells them apart.
enum PaperContent: String, Sendable, Equatable, CaseIterable {
    case pdf, ofd, docx, text, jpeg, png, tiff
    /// A zip that is neither an OFD nor a Word document.
    case zip
    /// Another archive or compressed file (RAR, 7-Zip, gzip, tar …).
    case archive
    /// An Office 97–2003 (OLE2) file, or an encrypted Office document, which is an OLE2 container.
    case ole2
    /// A program: ELF, PE (`.exe`, `.dll`), Mach-O, a script.
    case executable
    case other

    /// In words, for messages: `a PDF`, `PNG image`.
    var name: String {
        switch self {
        case .pdf: "PDF"
        case .ofd: "OFD"
        case .docx: "DOCX"
        case .text: "plain text"
        case .jpeg: "JPEG image"
        case .png: "PNG image"
        case .tiff: "TIFF image"
        case .zip: "zip archive"
        case .archive: "archive"
        case .ole2: "OLE2 (Office 97–2003) file"
        case .executable: "program"
        case .other: "other data"
        }
    }

    /// What libmagic's answer means here.
    init(mimeType: String, description: String) {
        switch mimeType {
        case "application/pdf": self = .pdf
        case "image/jpeg": self = .jpeg
        case "image/png": self = .png
        case "image/tiff": self = .tiff
        case "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-word.document.macroEnabled.12", "application/epub+zip", "application/java-archive":
            self = .zip
        case "application/x-rar", "application/vnd.rar", "application/x-7z-compressed", "application/gzip", "application/x-gzip",
            "application/x-bzip2", "application/x-xz", "application/x-tar", "application/zstd", "application/x-lzip",
            "application/x-compress", "application/x-lzma", "application/vnd.ms-cab-compressed", "application/x-arj":
            self = .archive
        case "application/x-ole-storage", "application/CDFV2", "application/msword", "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint", "application/encrypted", "application/vnd.ms-office":
            self = .ole2
        case "application/x-executable", "application/x-pie-executable", "application/x-sharedlib", "application/x-dosexec",
            "application/x-msdownload", "application/x-mach-binary", "application/x-elf", "application/x-object",
            "text/x-shellscript", "text/x-msdos-batch", "application/javascript", "text/javascript", "text/x-perl",
            "text/x-python", "text/x-script.python", "application/x-bytecode.python", "application/x-java-applet",
            "application/vnd.microsoft.portable-executable":
            self = .executable
        default:
            if mimeType == "text/plain" {
                self = .text
            } else if description.hasPrefix("CDFV2") || description.hasPrefix("Composite Document File") {
                self = .ole2
            } else {
                self = .other
            }
        }
    }

    /// What a file name's extension claims; nil for extensions that claim nothing particular.
    init?(fileName: String) {
        let name = fileName.lowercased()
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...] {
        case "pdf": self = .pdf
        case "ofd": self = .ofd
        case "docx", "docm": self = .docx
        case "txt", "text": self = .text
        case "jpg", "jpeg", "jpe": self = .jpeg
        case "png": self = .png
        case "tif", "tiff": self = .tiff
        case "zip": self = .zip
        case "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "zst": self = .archive
        case "doc", "xls", "ppt": self = .ole2
        case "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "js", "sh", "elf", "so", "jar": self = .executable
        default: return nil
        }
    }
}
