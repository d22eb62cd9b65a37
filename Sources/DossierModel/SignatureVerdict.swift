/// Where a signature was found: the `format` of a verdict (FORMATS.md §3, `signatures`).
public enum SignatureFormat: String, Sendable, Equatable, CaseIterable {
    /// Embedded in a PDF: a `/Sig` or `/DocTimeStamp` dictionary with `/ByteRange` and `/Contents`.
    case pades
    /// A detached CMS signature (a `.p7s` file) over the whole document.
    case cms
    /// An OFD electronic seal or signature (`Signatures.xml`, GB/T 33190 and GB/T 38540).
    case ofdSeal = "ofd-seal"
}

/// The verdict on one signature (rule R28): `invalid` is an error, `untrusted` and
/// `indeterminate` are warnings.
public enum SignatureStatus: String, Sendable, Equatable, CaseIterable {
    /// Cryptographically valid over the bytes filed and chained to a trust anchor of the vault.
    case valid
    /// The cryptography fails: a digest mismatch, a bad signature, a malformed signature
    /// structure, signed bytes that changed.
    case invalid
    /// Cryptographically valid, but the signer's certificate does not chain to a trust anchor.
    case untrusted
    /// Cannot be decided: an unsupported algorithm, no signer certificate, a certificate not
    /// valid at the signing time, bytes added after signing, a limit reached.
    case indeterminate

    /// The verdict in Chinese, as reports and the CLI print it.
    public var chineseName: String {
        switch self {
        case .valid: "有效"
        case .invalid: "无效"
        case .untrusted: "不受信任"
        case .indeterminate: "无法判定"
        }
    }

    /// Worse verdicts rank higher: valid < untrusted < indeterminate < invalid.
    public var severity: Int {
        switch self {
        case .valid: 0
        case .untrusted: 1
        case .indeterminate: 2
        case .invalid: 3
        }
    }
}

/// What the vault records about one signature of a filed document: an entry of a document's
/// `signatures` in `dossier.json` (FORMATS.md §3), kept as evidence of what was checked when.
///
/// ```swift
/// let json = verdict.json                       // {"format": "pades", "status": "valid", …}
/// let back = try SignatureVerdict(json: FieldReader(file: "dossier.json", value: json))
/// ```
public struct SignatureVerdict: Sendable, Equatable {
    /// Embedded in a PDF, detached CMS, or an OFD seal.
    public var format: SignatureFormat
    /// The verdict.
    public var status: SignatureStatus
    /// The signer certificate's subject common name, else its whole subject (RFC 2253); `nil`
    /// when no signer certificate was found.
    public var signer: String?
    /// When the signature says it was made (RFC 3339), as the signer wrote it: the signed
    /// signing time, else the document's own claim (a PDF's `/M`, an OFD's
    /// `SignatureDateTime`), else a timestamp's time.
    public var signedAt: String?
    /// The signature algorithm: `RSA-SHA256`, `RSASSA-PSS-SHA256`, `ECDSA-SHA256`, `SM2-SM3`,
    /// `Ed25519` …; `nil` when unknown.
    public var algorithm: String?
    /// Whether what is signed is the whole file (a PDF's signed bytes reach its end, an OFD's
    /// references cover every member outside its signature folders, a detached CMS always).
    public var coversWholeDocument: Bool
    /// Lowercase hex SHA-256 of the DER of the trust anchor the signer's chain ends at; `nil`
    /// when it reaches none. It stays set when another problem decides the status.
    public var trustAnchor: String?
    /// When the vault checked the signature (RFC 3339).
    public var checkedAt: String
    /// One line saying why the status is not `valid`; `nil` when valid.
    public var reason: String?

    /// A verdict with every field given.
    public init(format: SignatureFormat, status: SignatureStatus, signer: String? = nil, signedAt: String? = nil,
                algorithm: String? = nil, coversWholeDocument: Bool, trustAnchor: String? = nil, checkedAt: String,
                reason: String? = nil) {
        self.format = format
        self.status = status
        self.signer = signer
        self.signedAt = signedAt
        self.algorithm = algorithm
        self.coversWholeDocument = coversWholeDocument
        self.trustAnchor = trustAnchor
        self.checkedAt = checkedAt
        self.reason = reason
    }
}

extension SignatureVerdict {
    /// The record's field names, in the order FORMATS.md §3 lists them (then `reason`).
    public static let fields = [
        "format", "status", "signer", "signedAt", "algorithm", "coversWholeDocument", "trustAnchor", "checkedAt", "reason",
    ]

    /// The verdict as a `signatures` entry of `dossier.json`; absent optional fields are left out.
    public var json: JSONValue {
        var object = JSONObject()
        object["format"] = .string(format.rawValue)
        object["status"] = .string(status.rawValue)
        if let signer { object["signer"] = .string(signer) }
        if let signedAt { object["signedAt"] = .string(signedAt) }
        if let algorithm { object["algorithm"] = .string(algorithm) }
        object["coversWholeDocument"] = .bool(coversWholeDocument)
        if let trustAnchor { object["trustAnchor"] = .string(trustAnchor) }
        object["checkedAt"] = .string(checkedAt)
        if let reason { object["reason"] = .string(reason) }
        return .object(object)
    }

    /// Reads a `signatures` entry, naming the field that is wrong.
    /// - Throws: ``FieldError`` for an unknown field, a missing `format`, `status`,
    ///   `coversWholeDocument` or `checkedAt`, a value outside its set, a time that is not
    ///   RFC 3339, or a `trustAnchor` that is not 64 lowercase hexadecimal digits.
    public init(json reader: FieldReader) throws(FieldError) {
        _ = try reader.object(allowing: Self.fields)
        func timestamp(_ field: FieldReader) throws(FieldError) -> String {
            let text = try field.string()
            if case .failure(let problem) = Timestamp.parse(text) {
                throw field.fail("expected an RFC 3339 date-time, got \"\(text)\", which \(problem.description)")
            }
            return text
        }
        var trustAnchor: String?
        if let anchor = try reader.optional("trustAnchor") {
            let text = try anchor.string()
            guard text.utf8.count == 64, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw anchor.fail("expected the sha256 of the anchor's certificate (64 lowercase hexadecimal digits), got \"\(text)\"")
            }
            trustAnchor = text
        }
        self.init(
            format: try reader.required("format").choice(SignatureFormat.self),
            status: try reader.required("status").choice(SignatureStatus.self),
            signer: try reader.optional("signer")?.text(),
            signedAt: try reader.optional("signedAt").map { field throws(FieldError) in try timestamp(field) },
            algorithm: try reader.optional("algorithm")?.text(),
            coversWholeDocument: try reader.required("coversWholeDocument").bool(),
            trustAnchor: trustAnchor,
            checkedAt: try timestamp(reader.required("checkedAt")),
            reason: try reader.optional("reason")?.text())
    }
}
