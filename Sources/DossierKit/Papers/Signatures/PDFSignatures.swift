import DossierModel

/// A filled signature field of a PDF's interactive form.
struct PDFSignatureField {
    /// The fully qualified field name (parents' /T joined by dots), when it has one.
    var name: String?
    /// The field's /V: a reference to the signature dictionary (or, rarely, the dictionary itself).
    var value: PDFValue
}

/// Finds and verifies the signatures of a PDF.
///
/// Signatures are found the way viewers find them: the catalog's /AcroForm /Fields tree, every field
/// of type /Sig (inherited through /Kids) with a /V. A `/ByteRange` that no signature field reaches
/// (an orphaned or decoy dictionary) is not a signature of the document and is not reported.
struct PDFSignatures {
    let document: PDFDocument
    let check: CMSSignatureCheck
    /// When the check is made (RFC 3339), recorded in each verdict.
    let checkedAt: String

    /// SubFilters whose /Contents is a detached CMS over the ByteRange.
    static let detachedSubFilters: Set<String> = ["adbe.pkcs7.detached", "ETSI.CAdES.detached"]

    // MARK: - Finding

    /// The filled signature fields, in field-tree order.
    /// - Throws: `PDFDocument.Failure` when the catalog cannot be read or a limit is reached.
    func fields() throws -> [PDFSignatureField] {
        let limits = document.limits
        guard let catalog = try document.resolve(document.trailerValue("Root")).dictionary else {
            throw PDFDocument.Failure.corrupt("the trailer's /Root is not a catalog dictionary")
        }
        guard let form = try document.resolve(catalog["AcroForm"]).dictionary,
              let roots = try document.resolve(form["Fields"]).array else { return [] }

        var found: [PDFSignatureField] = []
        var seenNodes: Set<Int> = []
        var seenSignatures: Set<Int> = []
        var visits = 0
        var pending: [(value: PDFValue, parent: String?, type: String?)] = roots.reversed().map { ($0, nil, nil) }
        while let node = pending.popLast() {
            visits += 1
            guard visits <= limits.maximumFieldNodes else {
                throw PDFDocument.Failure.limit(what: "form field nodes", limit: limits.maximumFieldNodes)
            }
            if let reference = node.value.reference {
                guard seenNodes.insert(reference.number).inserted else { continue }
            }
            guard let field = try document.resolve(node.value).dictionary else { continue }
            let partial = try document.resolve(field["T"]).string?.text
            let name = [node.parent, partial].compactMap { $0 }.joined(separator: ".")
            let type = try document.resolve(field["FT"]).name ?? node.type
            if type == "Sig", let value = field["V"] {
                var isNew = true
                if let reference = value.reference { isNew = seenSignatures.insert(reference.number).inserted }
                if case .null = value { isNew = false }
                if isNew {
                    guard found.count < limits.maximumSignatures else {
                        throw PDFDocument.Failure.limit(what: "signatures", limit: limits.maximumSignatures)
                    }
                    found.append(PDFSignatureField(name: name.isEmpty ? nil : name, value: value))
                }
            }
            if let kids = try document.resolve(field["Kids"]).array {
                let parentName: String? = name.isEmpty ? nil : name
                pending += kids.reversed().map { ($0, parentName, type) }
            }
        }
        return found
    }

    // MARK: - Verifying

    /// The verdict on one signature field. Problems with the signature itself become the verdict;
    /// only I/O failures are thrown.
    func verdict(for field: PDFSignatureField) throws(SignatureCheckError) -> CheckedSignature {
        let location = field.name ?? field.value.reference.map { "unnamed signature field (object \($0.number))" } ?? "unnamed signature field"
        var checked = CheckedSignature(
            verdict: SignatureVerdict(format: .pades, status: .invalid, coversWholeDocument: false, checkedAt: checkedAt),
            location: location)
        checked.verdict = try verdict(for: field, timestampedAt: &checked.timestampedAt)
        return checked
    }

    private func verdict(for field: PDFSignatureField, timestampedAt: inout String?) throws(SignatureCheckError) -> SignatureVerdict {
        var verdict = SignatureVerdict(format: .pades, status: .invalid, coversWholeDocument: false, checkedAt: checkedAt)
        let dictionary: [String: PDFValue]
        do {
            dictionary = try signatureDictionary(field)
        } catch let error as SignatureCheckError {
            throw error
        } catch PDFDocument.Failure.limit(_, let limit) {
            verdict.status = .indeterminate
            let object = field.value.reference.map { " (object \($0.number))" } ?? ""
            verdict.reason = "the signature dictionary\(object) exceeds the limit of \(limit) bytes for one object"
            return verdict
        } catch {
            verdict.reason = Self.message(error)
            return verdict
        }

        let claimedTime = dictionary["M"]?.string.flatMap { SignatureTime(pdfDate: $0.bytes) }
        verdict.signedAt = claimedTime?.rfc3339
        let subFilter = dictionary["SubFilter"]?.name
        let isDocumentTimestamp = dictionary["Type"]?.name == "DocTimeStamp" || subFilter == "ETSI.RFC3161"
        if let subFilter, !isDocumentTimestamp, !Self.detachedSubFilters.contains(subFilter) {
            verdict.status = .indeterminate
            verdict.reason = "the signature's /SubFilter /\(subFilter) is not supported (expected adbe.pkcs7.detached, ETSI.CAdES.detached or ETSI.RFC3161)"
            return verdict
        }

        // The ByteRange must cover the whole signed revision except exactly the /Contents hex string.
        guard let contents = dictionary["Contents"]?.string else {
            verdict.reason = "the signature dictionary has no /Contents string"
            return verdict
        }
        guard let rangeValues = dictionary["ByteRange"]?.array, rangeValues.count == 4,
              case let ranges = rangeValues.compactMap(\.integer), ranges.count == 4, ranges.allSatisfy({ $0 >= 0 }) else {
            verdict.reason = "/ByteRange is not four non-negative integers"
            return verdict
        }
        let rangeText = "[\(ranges.map(String.init).joined(separator: " "))]"
        guard contents.isHex, contents.start >= 0 else {
            verdict.reason = "/Contents is not a hex string at a known position in the file"
            return verdict
        }
        guard ranges[0] == 0, ranges[1] == contents.start, ranges[2] == contents.end else {
            verdict.reason = "/ByteRange \(rangeText) does not cover everything but the /Contents string (bytes \(contents.start)–\(contents.end))"
            return verdict
        }
        let (signedEnd, overflow) = ranges[2].addingReportingOverflow(ranges[3])
        let fileSize = document.file.size
        guard !overflow, signedEnd <= fileSize else {
            verdict.reason = "/ByteRange \(rangeText) reaches past the end of the file (\(fileSize) bytes)"
            return verdict
        }
        guard contents.bytes.count <= document.limits.maximumSignatureBytes else {
            verdict.status = .indeterminate
            verdict.reason = "/Contents holds \(contents.bytes.count) bytes, over the limit of \(document.limits.maximumSignatureBytes)"
            return verdict
        }

        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(parsing: contents.bytes)
        } catch {
            verdict.reason = "malformed CMS in /Contents: \(error.description)"
            return verdict
        }
        guard signedData.signers.count == 1 else {
            verdict.reason = "the CMS in /Contents has \(signedData.signers.count) signers, expected 1"
            return verdict
        }

        let file = document.file
        let ranged: [(offset: Int64, count: Int64)] = [(0, ranges[1]), (ranges[2], ranges[3])]
        let digestOfSignedBytes = { (algorithm: SignatureDigestAlgorithm) throws(SignatureCheckError) -> [UInt8] in
            try file.digest(ranges: ranged, with: algorithm)
        }

        let outcome: SignatureOutcome
        if isDocumentTimestamp {
            outcome = try check.checkTimestampToken(contents.bytes, digestOfTimestamped: digestOfSignedBytes)
            verdict.signedAt = outcome.timestampTime?.rfc3339 ?? verdict.signedAt
        } else {
            outcome = try check.check(signedData, encoded: contents.bytes, signerIndex: 0,
                                      content: .detached(digestOfSignedBytes), claimedTime: claimedTime)
            verdict.signedAt = (outcome.signingTime ?? claimedTime ?? outcome.timestampTime)?.rfc3339
        }
        timestampedAt = outcome.timestampTime?.rfc3339
        verdict.signer = outcome.signer
        verdict.algorithm = outcome.algorithm
        verdict.trustAnchor = outcome.trustAnchor

        var findings = outcome
        verdict.coversWholeDocument = signedEnd == fileSize
        if !verdict.coversWholeDocument {
            findings.add(.indeterminate, try appendedBytesReason(signedEnd: signedEnd))
        }
        verdict.status = findings.status
        verdict.reason = findings.reason
        return verdict
    }

    /// The signature dictionary with file positions for its /Contents.
    private func signatureDictionary(_ field: PDFSignatureField) throws -> [String: PDFValue] {
        switch field.value {
        case .dictionary(let dictionary):
            return dictionary
        case .reference(let reference):
            switch try document.location(of: reference.number) {
            case .offset(let offset)?:
                let object = try document.readObject(at: offset, expecting: reference.number)
                guard let dictionary = object.value.dictionary else {
                    throw PDFDocument.Failure.corrupt("the signature value (object \(reference.number)) is \(object.value.kindDescription), expected a dictionary")
                }
                return dictionary
            case .compressed?:
                throw PDFDocument.Failure.corrupt("the signature dictionary (object \(reference.number)) is inside an object stream, where /ByteRange cannot locate its /Contents")
            case .free?, nil:
                throw PDFDocument.Failure.corrupt("the signature field points to object \(reference.number), which does not exist")
            }
        default:
            throw PDFDocument.Failure.corrupt("the signature field's /V is \(field.value.kindDescription), expected a signature dictionary")
        }
    }

    /// Says what follows the signed bytes: later revisions (an incremental update) or stray bytes.
    private func appendedBytesReason(signedEnd: Int64) throws(SignatureCheckError) -> String {
        let appended = document.file.size - signedEnd
        let laterRevisions = document.sections.filter { $0.offset >= signedEnd }.count
        let tail = try document.file.read(at: max(0, signedEnd - 32), count: Int(min(32, signedEnd)))
        let trimmed = tail.reversed().drop { PDFObjectParser.isWhitespace($0) }.reversed()
        if laterRevisions > 0, trimmed.suffix(5).elementsEqual("%%EOF".utf8) {
            return "bytes were added after signing (an incremental update of \(appended) bytes, \(laterRevisions) later revision\(laterRevisions == 1 ? "" : "s")); changes made by updates are not analysed"
        }
        return "\(appended) bytes follow the signed bytes and are not an incremental update of the signed revision"
    }

    static func message(_ error: any Error) -> String {
        switch error {
        case PDFDocument.Failure.corrupt(let detail): detail
        case PDFDocument.Failure.limit(let what, let limit): "\(what) exceeds the limit of \(limit)"
        case PDFDocument.Failure.encrypted: "the PDF is encrypted"
        case let error as SignatureCheckError: error.description
        default: "\(error)"
        }
    }
}

extension PDFSignatures {
    /// Verifies every signature embedded in the PDF (one result per filled signature field).
    /// - Throws: ``SignatureCheckError/corruptPDF(path:detail:)``, `.encryptedPDF`, `.limitExceeded` or `.io`.
    static func check(_ file: RandomAccessFile, check: CMSSignatureCheck, limits: SignatureLimits,
                      checkedAt: String) throws(SignatureCheckError) -> [CheckedSignature] {
        do {
            let document = try PDFDocument(file: file, limits: limits)
            let signatures = PDFSignatures(document: document, check: check, checkedAt: checkedAt)
            let fields: [PDFSignatureField]
            do {
                fields = try signatures.fields()
            } catch PDFDocument.Failure.corrupt(let problem) {
                // An offset that does not hold its object: rebuild the table once and look again.
                try document.rebuild(after: problem)
                fields = try signatures.fields()
            }
            return try fields.map { field throws(SignatureCheckError) in try signatures.verdict(for: field) }
        } catch let error as SignatureCheckError {
            throw error
        } catch PDFDocument.Failure.encrypted {
            throw .encryptedPDF(path: file.path)
        } catch PDFDocument.Failure.limit(let what, let limit) {
            throw .limitExceeded(path: file.path, what: what, limit: limit)
        } catch {
            throw .corruptPDF(path: file.path, detail: PDFSignatures.message(error))
        }
    }
}
