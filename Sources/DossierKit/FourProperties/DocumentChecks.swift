import DossierModel

/// One document whose content is checked (A2, U2, U3, U4, S1, S2).
struct PaperToCheck: Sendable {
    /// How details name it: the logical path in the vault, the bag path in a bag.
    var label: String
    var fileName: String
    /// Where its plaintext can be read; nil when it cannot (``unreadable`` says why).
    var path: String?
    var unreadable: String?
    /// The stored (or shipped) bytes are age-encrypted by the vault (a classified paper) or by the
    /// exporting vault for the auditor: reported by U4 as such, not as a protection of the paper.
    var vaultEncryption: String?
    /// What the index recorded of its text (storage stage), to be used instead of reading it again.
    var indexed: IndexedText?
    /// The sha512 of the bytes the ``indexed`` record must be of (the stored file's, verified by A1).
    var sha512: String?
    /// The verdicts the record keeps, when it keeps any (A2 then reads them instead of recomputing).
    var recordedSignatures: [SignatureVerdict]?
}

/// The content items of one document, each one ``CheckDetail`` (passes included, so that a report
/// can show each document's format and signatures).
enum DocumentChecks {
    /// Formats kept for the long term (U2), by content.
    static let accepted: Set<PaperContent> = [.pdf, .ofd, .text, .jpeg, .png, .tiff]
    static let acceptedList = "PDF, PDF/A, OFD, TXT, JPEG, PNG, TIFF; DOCX with a warning"

    static func run(_ paper: PaperToCheck, items: Set<CheckItem>, options: FourPropertiesOptions) -> [CheckItem: CheckDetail] {
        var details: [CheckItem: CheckDetail] = [:]
        let label = paper.label
        if items.contains(.U4), let encryption = paper.vaultEncryption, paper.path == nil {
            details[.U4] = CheckDetail(.passed, file: label, "\(encryption); the paper itself was not looked at: \(paper.unreadable ?? "no key")")
        }
        guard let path = paper.path else {
            let reason = paper.unreadable ?? "its content cannot be read"
            for item in [CheckItem.A2, .U2, .U3, .S1, .S2] where items.contains(item) {
                details[item] = CheckDetail(.notRun, file: label, reason)
            }
            if items.contains(.U4), details[.U4] == nil { details[.U4] = CheckDetail(.notRun, file: label, reason) }
            return details
        }
        var inspection: DocumentInspection?
        var inspectionProblem: String?
        // U3 alone with the index's text of the same bytes needs no look at the file (the storage stage).
        let indexedText = items.contains(.U3) ? indexedPass(paper, options: options) : nil
        if !items.isDisjoint(with: [.U2, .U4, .S1]) || (items.contains(.U3) && indexedText == nil) {
            if case .success(let done)? = options.inspectionsAhead?.take(label, sha512: paper.sha512) {
                inspection = done
            } else {
                do { inspection = try DocumentInspection.inspect(fileAt: path, fileName: paper.fileName) } catch { inspectionProblem = error.description }
            }
        }
        for item in [CheckItem.U2, .U4, .S1] where items.contains(item) {
            guard let inspection else {
                details[item] = CheckDetail(.notRun, file: label, "the document could not be inspected: \(inspectionProblem ?? "unknown")")
                continue
            }
            switch item {
            case .U2: details[item] = format(inspection, label: label)
            case .U4: details[item] = protection(inspection, label: label, vaultEncryption: paper.vaultEncryption)
            default: details[item] = activeContent(inspection, label: label)
            }
        }
        if items.contains(.U3) { details[.U3] = indexedText ?? text(paper, path: path, inspection: inspection, options: options) }
        if items.contains(.S2) { details[.S2] = virusScan(path, label: label, scanner: options.scanner) }
        if items.contains(.A2) { details[.A2] = signatures(paper, path: path, options: options) }
        return details
    }

    // MARK: U2

    static func format(_ inspection: DocumentInspection, label: String) -> CheckDetail {
        let what = describe(inspection)
        if inspection.nameContradictsContent, let claimed = inspection.nameClaims {
            return CheckDetail(.failed, file: label, "its name says \(claimed.name), but its bytes are \(what)")
        }
        if accepted.contains(inspection.content) { return CheckDetail(.passed, file: label, what) }
        if inspection.content == .docx {
            return CheckDetail(.warning, file: label, "\(what): accepted with a warning; convert it to PDF/A or OFD for long-term keeping")
        }
        return CheckDetail(.failed, file: label, "\(what): not an accepted long-term format (\(acceptedList))")
    }

    /// `PDF 1.4 (claims PDF/A-2b)`, `PNG image (PNG image data, 1 x 1 …)`.
    static func describe(_ inspection: DocumentInspection) -> String {
        switch inspection.content {
        case .pdf:
            let version = inspection.pdf?.version.map { "PDF \($0)" } ?? "PDF"
            return inspection.pdf?.conformance.map { "\(version) (claims \($0))" } ?? version
        case .ofd, .docx:
            for article in ["a ", "an "] where inspection.description.hasPrefix(article) { return String(inspection.description.dropFirst(article.count)) }
            return inspection.description
        case .text: return "plain text (\(inspection.description))"
        default: return "\(inspection.content.name) (\(inspection.description))"
        }
    }

    // MARK: U4

    static func protection(_ inspection: DocumentInspection, label: String, vaultEncryption: String?) -> CheckDetail {
        var problems: [String] = []
        if let pdf = inspection.pdf {
            if pdf.needsPassword {
                problems.append("the PDF is encrypted and needs a password to open")
            } else if pdf.isEncrypted {
                problems.append("the PDF is encrypted (an /Encrypt dictionary: an owner password restricts it)")
            }
        }
        if let zip = inspection.zip {
            if !zip.encryptedMembers.isEmpty {
                problems.append("encrypted members: \(list(zip.encryptedMembers))")
            }
            if !zip.unusualCompression.isEmpty {
                let members = zip.unusualCompression.map { "\($0.member) (method \($0.method))" }
                problems.append("privately compressed: \(list(members)) use compression other than stored or deflate")
            }
        }
        if inspection.content == .ole2, inspection.description.localizedEncrypted {
            problems.append("an encrypted Office document (\(inspection.description))")
        }
        if inspection.isAgeEncrypted { problems.append("an age-encrypted file: unreadable without its key") }
        if !problems.isEmpty { return CheckDetail(.failed, file: label, problems.joined(separator: "; ")) }
        if let vaultEncryption { return CheckDetail(.passed, file: label, "\(vaultEncryption); the paper itself is not protected") }
        return CheckDetail(.passed, file: label, "no password, encryption or private compression")
    }

    // MARK: S1

    static func activeContent(_ inspection: DocumentInspection, label: String) -> CheckDetail {
        var failures: [String] = []
        var warnings: [String] = []
        if inspection.content == .executable { failures.append("it is a program (\(inspection.description))") }
        if let pdf = inspection.pdf {
            if !pdf.javaScript.isEmpty { failures.append("JavaScript in \(list(pdf.javaScript))") }
            if !pdf.launchActions.isEmpty { failures.append("launch actions in \(list(pdf.launchActions))") }
            let programs = pdf.embeddedFiles.filter { $0.executable != nil }
            if !programs.isEmpty { failures.append("embedded programs: \(list(programs.map { "\($0.name) (\($0.executable ?? ""))" }))") }
            let others = pdf.embeddedFiles.filter { $0.executable == nil }
            if !others.isEmpty { warnings.append("embedded files: \(list(others.map(\.name)))") }
        }
        if let zip = inspection.zip {
            if !zip.macros.isEmpty { failures.append("macros (VBA): \(list(zip.macros))") }
            if !zip.embeddedObjects.isEmpty { warnings.append("embedded objects or ActiveX controls: \(list(zip.embeddedObjects))") }
        }
        if !failures.isEmpty { return CheckDetail(.failed, file: label, (failures + warnings).joined(separator: "; ")) }
        if let problem = inspection.pdf?.walkProblem {
            return CheckDetail(.notRun, file: label, problem)
        }
        if !warnings.isEmpty { return CheckDetail(.warning, file: label, warnings.joined(separator: "; ")) }
        return CheckDetail(.passed, file: label, "no scripts, launch actions, embedded programs or macros")
    }

    // MARK: U3

    /// U3 from the text the index read from the same bytes, when it read some; nil: read the file.
    static func indexedPass(_ paper: PaperToCheck, options: FourPropertiesOptions) -> CheckDetail? {
        guard !options.rereadText, let indexed = paper.indexed, let digest = paper.sha512, indexed.sha512 == digest else { return nil }
        let readable: [ExtractedText.Source] = [.pdf, .docx, .ofd, .utf8, .gb18030, .ocr]
        // Otherwise read it again: the index says it had no text, and OCR may read it now.
        guard readable.contains(indexed.source), indexed.problem == nil, indexed.bytes > 0 else { return nil }
        return CheckDetail(.passed, file: paper.label, "text read when it was indexed (\(indexed.bytes) bytes, \(sourceName(indexed.source))); the bytes are the same (sha512)")
    }

    static func text(_ paper: PaperToCheck, path: String, inspection: DocumentInspection?, options: FourPropertiesOptions) -> CheckDetail {
        let label = paper.label
        if let passed = indexedPass(paper, options: options) { return passed }
        let content = inspection?.content
        if inspection?.pdf?.needsPassword == true {
            return CheckDetail(.failed, file: label, "needs a password to open, so no text can be read")
        }
        var extracted: ExtractedText
        switch content {
        case .text?:
            extracted = PlainText.read(path)
        case .jpeg?, .png?, .tiff?:
            extracted = ExtractedText(text: "", source: .none)
        default:
            extracted = TextExtractor.text(ofFileAt: path, fileName: content.map { fileName(paper.fileName, as: $0) } ?? paper.fileName)
        }
        if extracted.source == .failed {
            return CheckDetail(.failed, file: label, "does not open: \(extracted.problem ?? "the reader failed")")
        }
        // Bytes the reader could not decode come out as U+FFFD: they are no text.
        if extracted.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0 != "\u{FFFD}" }) {
            let count = PlainText.characterCount(extracted.text)
            if let problem = extracted.problem { return CheckDetail(.warning, file: label, "\(count) characters of text (\(sourceName(extracted.source))), but \(problem)") }
            return CheckDetail(.passed, file: label, "\(count) characters of text (\(sourceName(extracted.source)))")
        }
        if let ocr = options.ocr, let read = ocr(path, paper.fileName), read.text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            return CheckDetail(.passed, file: label, "\(PlainText.characterCount(read.text)) characters of text read by OCR")
        }
        let scan = extracted.source == .awaitingOCR || [.jpeg, .png, .tiff].contains(content)
        if scan, options.ocrPending, options.ocr == nil {
            return CheckDetail(.warning, file: label, "a scan whose text only OCR can read, and OCR has not read it yet (`dossier index` reads it)")
        }
        let ocrNote = options.ocr == nil ? "and no OCR engine is configured to read it" : "and OCR read nothing either"
        switch content {
        case .jpeg?, .png?, .tiff?:
            return CheckDetail(.failed, file: label, "an image (\(inspection?.description ?? "")) with no text layer, \(ocrNote)")
        case .pdf?, .ofd?, .docx?, .text?:
            return CheckDetail(.failed, file: label, "opens, but holds no text (a scan without a text layer?), \(ocrNote)")
        default:
            return CheckDetail(.failed, file: label, "no text can be read from \(inspection.map(describe) ?? "it")")
        }
    }

    /// A name with the extension of what the bytes are, so that the text reader dispatches on
    /// content (a DOCX named `.bin` is still read as a DOCX).
    static func fileName(_ name: String, as content: PaperContent) -> String {
        switch content {
        case .docx: name.lowercased().hasSuffix(".docx") ? name : name + ".docx"
        case .ofd: name.lowercased().hasSuffix(".ofd") ? name : name + ".ofd"
        default: name
        }
    }

    static func sourceName(_ source: ExtractedText.Source) -> String {
        switch source {
        case .pdf: "PDF text layer"
        case .docx: "DOCX text"
        case .ofd: "OFD text"
        case .utf8: "UTF-8 text"
        case .gb18030: "GB18030 text"
        case .ocr: "read by OCR"
        case .awaitingOCR: "a scan awaiting OCR"
        case .none: "no text"
        case .failed: "failed"
        case .encrypted: "encrypted"
        }
    }

    // MARK: S2

    static func virusScan(_ path: String, label: String, scanner: VirusScanner?) -> CheckDetail {
        guard let scanner else {
            return CheckDetail(.notRun, file: label, "no virus signature database was given (--clamav-db DIR); Debian ships none offline")
        }
        switch scanner.scan(fileAt: path) {
        case .clean: return CheckDetail(.passed, file: label, "clean (ClamAV \(scanner.engineVersion), \(scanner.signatures) signatures)")
        case .infected(let signature): return CheckDetail(.failed, file: label, "ClamAV found \(signature)")
        case .notScanned(let reason), .failed(let reason): return CheckDetail(.notRun, file: label, reason)
        }
    }

    // MARK: A2

    static func signatures(_ paper: PaperToCheck, path: String, options: FourPropertiesOptions) -> CheckDetail {
        let label = paper.label
        let verdicts: [SignatureVerdict]
        let recomputed: Bool
        if let recorded = paper.recordedSignatures {
            verdicts = recorded
            recomputed = false
        } else {
            switch SignatureCheck.verdicts(ofFileAt: path, fileName: paper.fileName, detachedSignature: nil, anchors: options.anchors, checkedAt: options.signatureTime) {
            case .success(let found): verdicts = found
            case .failure(let error): return CheckDetail(.notRun, file: label, "its signatures could not be looked for: \(error)")
            }
            recomputed = true
        }
        guard !verdicts.isEmpty else { return CheckDetail(.notApplicable, file: label, "no signature or seal") }
        let worst = verdicts.max { $0.status.severity < $1.status.severity }?.status ?? .valid
        let words = verdicts.map { verdict in
            var text = "\(verdict.format.rawValue) \(verdict.status.rawValue)"
            if let signer = verdict.signer { text += " (\(signer)\(verdict.signedAt.map { ", \($0)" } ?? ""))" }
            if let reason = verdict.reason, verdict.status != .valid { text += ": \(reason)" }
            return text
        }
        let source = recomputed ? "" : " (as recorded at filing)"
        let text = words.joined(separator: "; ") + source
        switch worst {
        case .valid: return CheckDetail(.passed, file: label, text)
        case .invalid: return CheckDetail(.failed, file: label, text)
        case .untrusted, .indeterminate: return CheckDetail(.warning, file: label, text)
        }
    }

    static func list(_ items: [String]) -> String {
        items.count <= 5 ? items.joined(separator: ", ") : items.prefix(5).joined(separator: ", ") + " and \(items.count - 5) more"
    }
}

extension String {
    /// libmagic describes an encrypted Office container as `CDFV2 Encrypted`.
    fileprivate var localizedEncrypted: Bool { contains("Encrypted") || contains("encrypted") }
}
