import CDossierPoppler
import DossierModel
import Foundation

/// What a PDF holds that matters to an archive: its version and any PDF/A claim, whether it is
/// encrypted (and whether a password is needed to open it), and everything in it that can run or
/// carry another file: JavaScript, launch actions, embedded files (and whether an embedded file is a
/// program).
struct PDFFacts: Sendable, Equatable {
    /// `1.7` (the header's, or the catalog's `/Version` when later).
    var version: String?
    /// The PDF/A claim in the XMP metadata (`pdfaid:part` and `pdfaid:conformance`): `PDF/A-2b`.
    var conformance: String?
    /// The trailer has an `/Encrypt` dictionary.
    var isEncrypted = false
    /// poppler cannot open it without a password.
    var needsPassword = false
    /// Why poppler cannot open it otherwise (a broken file), or nil.
    var openProblem: String?
    /// Where JavaScript is: `object 12 (an action /S /JavaScript)`, `the document's /JavaScript name tree`.
    var javaScript: [String] = []
    /// Where launch actions are (`/S /Launch`: they start a program or open a file outside the PDF).
    var launchActions: [String] = []
    var embeddedFiles: [EmbeddedFile] = []
    /// Why the object walk stopped (a limit, broken cross-reference data, encryption), or nil when
    /// every object was looked at.
    var walkProblem: String?

    /// A file carried inside the PDF (`/EmbeddedFile` stream).
    struct EmbeddedFile: Sendable, Equatable {
        /// Its name in the file specification (`/UF`, else `/F`), or `object N`.
        var name: String
        /// libmagic's description when it is a program (by content or by name), else nil.
        var executable: String?
    }
}

enum PDFInspection {
    /// Bounds of the walk: the signature check's limits (objects read, bytes parsed and decoded).
    static let limits = SignatureLimits()

    private static let silenced: Bool = {
        CDossierPoppler_silenceWarnings()
        return true
    }()

    static func inspect(fileAt path: String, fileName: String, head: [UInt8]) -> PDFFacts {
        var facts = PDFFacts()
        facts.version = headerVersion(head)
        openWithPoppler(path, into: &facts)
        do {
            let document = try PDFDocument(file: try RandomAccessFile(path: path, name: fileName), limits: limits)
            try walk(document, into: &facts)
        } catch PDFDocument.Failure.encrypted {
            facts.isEncrypted = true
            facts.walkProblem = "the PDF is encrypted, so its objects were not looked at for scripts or embedded files"
        } catch PDFDocument.Failure.corrupt(let detail) {
            facts.walkProblem = "the PDF's objects could not be read (\(detail))"
        } catch PDFDocument.Failure.limit(let what, let limit) {
            facts.walkProblem = "the PDF was not looked at whole: \(what) exceeds the limit of \(limit)"
        } catch {
            facts.walkProblem = "the PDF could not be read: \(error)"
        }
        return facts
    }

    /// `%PDF-1.7` in the first bytes → `1.7`.
    static func headerVersion(_ head: [UInt8]) -> String? {
        guard let start = ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: head) else { return nil }
        let digits = head[(start + 5)...].prefix { (0x30...0x39).contains($0) || $0 == 0x2E }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }

    /// Whether poppler opens the document without a password (poppler reports a document that needs
    /// one with `POPPLER_ERROR_ENCRYPTED`), and its version as poppler reads it (the catalog's).
    private static func openWithPoppler(_ path: String, into facts: inout PDFFacts) {
        _ = silenced
        var error: UnsafeMutablePointer<GError>?
        guard let uri = g_filename_to_uri(path, nil, &error) else {
            if let error { g_error_free(error) }
            facts.openProblem = "the file cannot be named for poppler"
            return
        }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, nil, &error) else {
            if let error {
                if error.pointee.domain == poppler_error_quark() && error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                    facts.isEncrypted = true
                    facts.needsPassword = true
                } else {
                    facts.openProblem = String(cString: error.pointee.message)
                }
                g_error_free(error)
            } else {
                facts.openProblem = "poppler cannot open it"
            }
            return
        }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }
        if let text = poppler_document_get_pdf_version_string(document) {
            let version = String(cString: text)
            g_free(text)
            // "PDF-1.7"
            if version.hasPrefix("PDF-") { facts.version = String(version.dropFirst(4)) }
        }
        if poppler_document_has_javascript(document) != 0 && facts.javaScript.isEmpty {
            // Found again, with its place, by the walk when the PDF is not encrypted.
            facts.javaScript.append("the document (as poppler reads it)")
        }
    }

    /// Looks at every object the cross-reference data names.
    private static func walk(_ document: PDFDocument, into facts: inout PDFFacts) throws {
        var javaScript: [String] = []
        var launches: [String] = []
        var embedded: [Int: String] = [:]
        var embeddedStreams: Set<Int> = []
        for number in try document.objectNumbers() {
            let value = try document.object(PDFReference(number: number, generation: 0))
            look(at: value, in: number, depth: 0, javaScript: &javaScript, launches: &launches, embedded: &embedded, streams: &embeddedStreams)
        }
        if let catalog = try? document.resolve(document.trailerValue("Root")).dictionary,
            let names = try? document.resolve(catalog["Names"]).dictionary, names["JavaScript"] != nil
        {
            javaScript.append("the catalog's /Names (a /JavaScript name tree)")
        }
        facts.javaScript = javaScript
        facts.launchActions = launches
        for stream in embeddedStreams.sorted() {
            let name = embedded[stream] ?? "object \(stream)"
            var executable: String?
            if PaperContent(fileName: name) == .executable { executable = "named as a program" }
            if let data = try? document.streamData(of: PDFReference(number: stream, generation: 0)), !data.isEmpty,
                let identified = try? MagicIdentification.identify(bytes: Array(data.prefix(1 << 20))),
                PaperContent(mimeType: identified.mimeType, description: identified.description) == .executable
            {
                executable = identified.description
            }
            facts.embeddedFiles.append(PDFFacts.EmbeddedFile(name: name, executable: executable))
        }
        facts.conformance = try conformance(document)
        if let catalog = try? document.resolve(document.trailerValue("Root")).dictionary, let version = catalog["Version"]?.name,
            let current = facts.version, version.compare(current, options: .numeric) == .orderedDescending
        {
            facts.version = version
        }
    }

    /// Records scripts, launch actions and embedded files in one value, searching direct values
    /// (referenced objects are visited on their own).
    private static func look(
        at value: PDFValue, in object: Int, depth: Int, javaScript: inout [String], launches: inout [String],
        embedded: inout [Int: String], streams: inout Set<Int>
    ) {
        guard depth < 32 else { return }
        switch value {
        case .dictionary(let dictionary):
            let action = dictionary["S"]?.name
            if action == "JavaScript" || dictionary["JS"] != nil {
                javaScript.append("object \(object) (an action /S /JavaScript)")
            }
            if action == "Launch" { launches.append("object \(object) (an action /S /Launch)") }
            if dictionary["Type"]?.name == "EmbeddedFile" { streams.insert(object) }
            if let files = dictionary["EF"]?.dictionary {
                let name = (dictionary["UF"] ?? dictionary["F"])?.string?.text ?? "object \(object)"
                for key in ["UF", "F"] {
                    if let reference = files[key]?.reference {
                        embedded[reference.number] = name
                        streams.insert(reference.number)
                    }
                }
            }
            for (key, inner) in dictionary where key != "Contents" {
                look(at: inner, in: object, depth: depth + 1, javaScript: &javaScript, launches: &launches, embedded: &embedded, streams: &streams)
            }
        case .array(let items):
            for inner in items {
                look(at: inner, in: object, depth: depth + 1, javaScript: &javaScript, launches: &launches, embedded: &embedded, streams: &streams)
            }
        default:
            break
        }
    }

    /// The PDF/A claim of the catalog's XMP metadata: `pdfaid:part` with `pdfaid:conformance`,
    /// written as attributes or as elements.
    private static func conformance(_ document: PDFDocument) throws -> String? {
        guard let catalog = try document.resolve(document.trailerValue("Root")).dictionary,
            let reference = catalog["Metadata"]?.reference, let xmp = try document.streamData(of: reference)
        else { return nil }
        let text = String(decoding: xmp, as: UTF8.self)
        guard let part = xmpValue("pdfaid:part", in: text) else { return nil }
        let level = xmpValue("pdfaid:conformance", in: text)?.lowercased() ?? ""
        return "PDF/A-\(part)\(level)"
    }

    /// The value of `name="…"` or `<name>…</name>` in XMP text.
    static func xmpValue(_ name: String, in text: String) -> String? {
        for (open, close) in [("\(name)=\"", "\""), ("\(name)='", "'"), ("<\(name)>", "</\(name)>")] {
            if let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) {
                let value = text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty, value.count <= 8 { return value }
            }
        }
        return nil
    }
}
