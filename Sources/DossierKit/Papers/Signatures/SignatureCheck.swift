import DossierModel

/// The electronic signatures and seals of a filed document, checked against the vault's trust
/// anchors (rule R28): the one entry point for any document.
///
/// It dispatches on content: a PDF (`%PDF-`) has its embedded signatures and document
/// timestamps checked, an OFD (a zip with `OFD.xml`) its seals and signatures, and a detached CMS
/// signature (`NAME.p7s` beside `NAME`), when given, is checked over the whole file whatever its
/// format. Any other file has no signatures. Documents are never loaded whole: signed bytes are
/// hashed in 1 MiB chunks, and hostile files stop at documented limits.
///
/// ```swift
/// let anchors = try TrustAnchor.load(contentsOfFile: "CA.pem")
/// switch SignatureCheck.verdicts(ofFileAt: staged, fileName: "赋权协议.pdf", detachedSignature: nil,
///                                anchors: anchors, checkedAt: "2026-12-06T10:00:00+08:00") {
/// case .success(let verdicts): record(verdicts)          // empty: the document is unsigned
/// case .failure(let error): print(error)                 // signatures could not be looked for
/// }
/// ```
///
/// ## Topics
/// - ``verdicts(ofFileAt:fileName:detachedSignature:anchors:checkedAt:)``
/// - ``signatures(ofFileAt:fileName:detachedSignature:anchors:checkedAt:)``
/// - ``CheckedSignature``
/// - ``SignatureCheckError``
public enum SignatureCheck {
    /// The verdicts on every signature of a document, in document order, then the detached one's.
    /// - Parameters:
    ///   - path: where the document's bytes are (a staged copy, a file in the store).
    ///   - fileName: the document's name: errors and locations name it.
    ///   - detachedSignature: the path of a detached CMS signature (`.p7s`, DER or PEM) over the whole
    ///     document, or nil.
    ///   - anchors: the certificates chains may end at.
    ///   - checkedAt: when the check is made (RFC 3339): recorded in each verdict, and the moment
    ///     certificates are checked at when a signature states no time of its own.
    /// - Returns: the verdicts (none when the document is unsigned), or why signatures could not be
    ///   looked for at all: an unreadable file, a broken or encrypted PDF, a refused OFD, a limit
    ///   reached. Problems with a signature itself are verdicts, not failures.
    public static func verdicts(ofFileAt path: String, fileName: String, detachedSignature: String?, anchors: [TrustAnchor],
                                checkedAt: String) -> Result<[SignatureVerdict], SignatureCheckError> {
        signatures(ofFileAt: path, fileName: fileName, detachedSignature: detachedSignature, anchors: anchors, checkedAt: checkedAt)
            .map { $0.map(\.verdict) }
    }

    /// The same check as ``verdicts(ofFileAt:fileName:detachedSignature:anchors:checkedAt:)``, each
    /// verdict with where the signature was found and what else the document says about it.
    /// - Parameters:
    ///   - path: where the document's bytes are.
    ///   - fileName: the document's name.
    ///   - detachedSignature: the path of a detached CMS signature over the whole document, or nil.
    ///   - anchors: the certificates chains may end at.
    ///   - checkedAt: when the check is made (RFC 3339).
    /// - Returns: one ``CheckedSignature`` per signature, or why signatures could not be looked for.
    public static func signatures(ofFileAt path: String, fileName: String, detachedSignature: String?, anchors: [TrustAnchor],
                                  checkedAt: String) -> Result<[CheckedSignature], SignatureCheckError> {
        Result { () throws(SignatureCheckError) in
            try check(path, fileName: fileName, detachedSignature: detachedSignature, anchors: anchors, checkedAt: checkedAt)
        }
    }

    static func check(_ path: String, fileName: String, detachedSignature: String?, anchors: [TrustAnchor], checkedAt: String,
                      limits: SignatureLimits = SignatureLimits(), ofdLimits: OFDLimits = .default) throws(SignatureCheckError) -> [CheckedSignature] {
        guard let moment = SignatureTime(rfc3339: checkedAt) else { throw .invalidCheckTime(checkedAt) }
        let cms = CMSSignatureCheck(anchors: TrustAnchor.certificates(anchors), fallbackTime: moment)
        let format: PaperFormat
        do {
            format = try PaperFormat.of(fileAt: path, fileName: fileName)
        } catch {
            throw .io(path: fileName, operation: error.operation, message: error.reason)
        }
        var found: [CheckedSignature] = []
        switch format.kind {
        case .pdf:
            found = try PDFSignatures.check(RandomAccessFile(path: path, name: fileName), check: cms, limits: limits, checkedAt: checkedAt)
        case .ofd:
            do {
                found = try OFDDocument.open(path: path, limits: ofdLimits, fileName: fileName)
                    .signatures(anchors: anchors, checkedAt: checkedAt, at: moment)
            } catch {
                throw .ofd(error)
            }
        case .docx, .zip, .other:
            break
        }
        if let detachedSignature {
            found += try DetachedSignature.check(signatureAt: detachedSignature, contentAt: path, contentName: fileName,
                                                 check: cms, limits: limits, checkedAt: checkedAt)
        }
        return found
    }
}

/// One signature a document carries: the verdict the vault records, with where it was found and
/// what else the document says about it (for people reading a report, not for the record, whose
/// fields FORMATS.md §3 fixes).
public struct CheckedSignature: Sendable, Equatable {
    /// What the record keeps.
    public var verdict: SignatureVerdict
    /// Where the signature is: a PDF's signature field (its full name), the `.p7s` file's name, or
    /// an OFD's Signature.xml member with its type (Seal or Sign) and ID.
    public var location: String
    /// The time (RFC 3339) of an RFC 3161 timestamp over the signature, or of a document timestamp,
    /// whose token is cryptographically intact (an untrusted authority shows in the status).
    public var timestampedAt: String?
    /// The name inside an OFD electronic seal (合同专用章 …).
    public var sealName: String?
    /// The software an OFD signature names (`Provider/@ProviderName`, with `Company` when given).
    public var provider: String?

    /// A checked signature.
    public init(verdict: SignatureVerdict, location: String, timestampedAt: String? = nil, sealName: String? = nil,
                provider: String? = nil) {
        self.verdict = verdict
        self.location = location
        self.timestampedAt = timestampedAt
        self.sealName = sealName
        self.provider = provider
    }
}

/// Why a document's signatures could not be looked for at all (as opposed to a verdict on one
/// signature). Each description is one line naming the file or byte and what was expected.
public enum SignatureCheckError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be opened, sized or read.
    case io(path: String, operation: String, message: String)
    /// The PDF's structure (header, trailer, cross-reference data, objects) is broken where the
    /// signatures would be found, even after rebuilding the object table by scanning; `detail` names
    /// the byte offset or object. Bytes after the final `%%EOF` (a truncated or appended-to file) are
    /// reported this way too.
    case corruptPDF(path: String, detail: String)
    /// The PDF is encrypted (`/Encrypt` in its trailer); its strings and object streams cannot be read.
    case encryptedPDF(path: String)
    /// A documented limit was reached (hostile or unusual input).
    case limitExceeded(path: String, what: String, limit: Int)
    /// The OFD package was refused (its limits, its structure, its XML).
    case ofd(OFDError)
    /// OpenSSL could not start a digest.
    case crypto(String)
    /// The time of the check is not an RFC 3339 date-time with seconds and a whole-minute offset.
    case invalidCheckTime(String)

    /// One line: the file, then what was wrong.
    public var description: String {
        switch self {
        case let .io(path, operation, message):
            "\(path): \(operation) failed: \(message)"
        case let .corruptPDF(path, detail):
            "\(path): not a readable PDF: \(detail)"
        case let .encryptedPDF(path):
            "\(path): the PDF is encrypted (/Encrypt in its trailer); expected an unencrypted PDF to verify signatures in"
        case let .limitExceeded(path, what, limit):
            "\(path): \(what) exceeds the limit of \(limit)"
        case let .ofd(error):
            error.description
        case let .crypto(detail):
            detail
        case let .invalidCheckTime(text):
            "the time of the check \"\(text)\" is not an RFC 3339 date-time such as 2026-12-06T10:00:00+08:00"
        }
    }
}
