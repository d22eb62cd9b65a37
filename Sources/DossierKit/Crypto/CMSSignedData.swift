import DossierModel
import CDossierCrypto

/// Object identifiers this module reads, by name.
enum SignatureOID {
    static let signedData = "1.2.840.113549.1.7.2"
    static let data = "1.2.840.113549.1.7.1"
    /// GM/T 0010 (Chinese SM2 cryptographic message syntax) renames signedData and data.
    static let signedDataGM = "1.2.156.10197.6.1.4.2.2"
    static let dataGM = "1.2.156.10197.6.1.4.2.1"
    static let tstInfo = "1.2.840.113549.1.9.16.1.4"
    static let contentType = "1.2.840.113549.1.9.3"
    static let messageDigest = "1.2.840.113549.1.9.4"
    static let signingTime = "1.2.840.113549.1.9.5"
    static let signatureTimeStampToken = "1.2.840.113549.1.9.16.2.14"
    static let rsassaPSS = "1.2.840.113549.1.1.10"
    static let sm3 = "1.2.156.10197.1.401"
}

/// An attribute of a SignerInfo: its type and the encoding of each value.
struct CMSAttribute {
    var type: String
    /// Each value's complete encoding (tag, length, content).
    var values: [[UInt8]]
}

/// How a SignerInfo names its certificate.
enum SignerIdentifier {
    /// The issuer's Name and the serial number, each as its complete encoding.
    case issuerAndSerialNumber(issuer: [UInt8], serial: [UInt8])
    case subjectKeyIdentifier([UInt8])
}

/// One SignerInfo, split into the parts verification needs.
struct CMSSignerInfo {
    var index: Int
    var signerIdentifier: SignerIdentifier
    var digestAlgorithm: String
    /// The signed attributes re-tagged from `[0] IMPLICIT` to `SET` (0x31): the bytes the
    /// signature covers (RFC 5652 §5.4). Nil when the SignerInfo has none.
    var signedAttributesForSignature: [UInt8]?
    var signedAttributes: [CMSAttribute]
    var signatureAlgorithm: String
    var signature: [UInt8]
    var unsignedAttributes: [CMSAttribute]

    func signedAttribute(_ type: String) -> CMSAttribute? { signedAttributes.first { $0.type == type } }
}

/// A CMS ContentInfo holding SignedData (RFC 5652, or its GM/T 0010 renaming), read with
/// ``DERReader`` so that the exact bytes of the signed attributes are available (OpenSSL
/// re-encodes them and cannot be told the SM2 signer ID).
struct CMSSignedData {
    /// The number of bytes the ContentInfo occupies (a PDF pads /Contents with zeros after it).
    var encodedLength: Int
    var usesGMOIDs: Bool
    var encapsulatedContentType: String
    /// eContent when the content is inside the CMS (a timestamp token's TSTInfo); nil when detached.
    var encapsulatedContent: [UInt8]?
    /// Each certificate's complete DER encoding, in order.
    var certificates: [[UInt8]]
    var signers: [CMSSignerInfo]

    static let maximumCertificates = 100
    static let maximumSigners = 16
    static let maximumAttributes = 64

    /// Whether `bytes` begin like a ContentInfo holding SignedData: only its content type is read.
    static func looksLikeSignedData(_ bytes: [UInt8]) -> Bool {
        var top = DERReader(bytes)
        guard let info = try? top.read(DERElement.sequence, "ContentInfo"), var fields = try? top.children(of: info),
              let type = try? fields.read(DERElement.objectIdentifier, "contentType"),
              let oid = try? fields.objectIdentifier(type) else { return false }
        return oid == SignatureOID.signedData || oid == SignatureOID.signedDataGM
    }

    /// Parses the ContentInfo at the start of `bytes`; anything after it is ignored (and reported by
    /// `encodedLength`).
    /// - Throws: `DERError` naming the byte where the structure departs from RFC 5652.
    init(parsing bytes: [UInt8]) throws(DERError) {
        var top = DERReader(bytes)
        let contentInfo = try top.read(DERElement.sequence, "ContentInfo SEQUENCE")
        encodedLength = contentInfo.end
        var info = try top.children(of: contentInfo)
        let type = try info.objectIdentifier(info.read(DERElement.objectIdentifier, "contentType"))
        guard type == SignatureOID.signedData || type == SignatureOID.signedDataGM else {
            throw DERError("contentType is \(type), expected signedData (\(SignatureOID.signedData))")
        }
        usesGMOIDs = type == SignatureOID.signedDataGM
        let explicit = try info.read(DERElement.context(0, constructed: true), "[0] content")
        var wrapper = try info.children(of: explicit)
        let signedData = try wrapper.read(DERElement.sequence, "SignedData SEQUENCE")
        var fields = try wrapper.children(of: signedData)
        _ = try fields.smallInteger(fields.read(DERElement.integer, "SignedData version"))
        _ = try fields.read(DERElement.set, "digestAlgorithms SET")

        let encap = try fields.read(DERElement.sequence, "encapContentInfo SEQUENCE")
        var encapFields = try fields.children(of: encap)
        encapsulatedContentType = try encapFields.objectIdentifier(
            encapFields.read(DERElement.objectIdentifier, "eContentType"))
        if let wrapped = try encapFields.readOptional(DERElement.context(0, constructed: true)) {
            var inner = try encapFields.children(of: wrapped)
            guard let octets = try inner.next() else { throw DERError("byte \(wrapped.start): empty eContent") }
            encapsulatedContent = try inner.octets(octets)
        } else {
            encapsulatedContent = nil
        }

        var certificates: [[UInt8]] = []
        if let set = try fields.readOptional(DERElement.context(0, constructed: true)) {
            var choices = try fields.children(of: set)
            while let choice = try choices.next() {
                // Only X.509 certificates (SEQUENCE); attribute and other certificates are skipped.
                guard choice.tag == DERElement.sequence else { continue }
                guard certificates.count < Self.maximumCertificates else {
                    throw DERError("more than \(Self.maximumCertificates) certificates")
                }
                certificates.append(choices.encoded(choice))
            }
        }
        self.certificates = certificates
        _ = try fields.readOptional(DERElement.context(1, constructed: true))  // crls: not used

        let signerSet = try fields.read(DERElement.set, "signerInfos SET")
        var signerReader = try fields.children(of: signerSet)
        var signers: [CMSSignerInfo] = []
        while let element = try signerReader.next() {
            guard signers.count < Self.maximumSigners else {
                throw DERError("more than \(Self.maximumSigners) SignerInfos")
            }
            guard element.tag == DERElement.sequence else {
                throw DERError("byte \(element.start): expected a SignerInfo SEQUENCE, got tag 0x\(Digest.hex(of: [element.tag]))")
            }
            signers.append(try Self.signerInfo(element, reader: signerReader, index: signers.count))
        }
        self.signers = signers
    }

    private static func signerInfo(_ element: DERElement, reader: DERReader, index: Int) throws(DERError) -> CMSSignerInfo {
        var fields = try reader.children(of: element)
        _ = try fields.smallInteger(fields.read(DERElement.integer, "SignerInfo version"))
        guard let sid = try fields.next() else { throw DERError("byte \(element.start): SignerInfo ends before sid") }
        let identifier: SignerIdentifier
        switch sid.tag {
        case DERElement.sequence:
            var parts = try fields.children(of: sid)
            let issuer = try parts.read(DERElement.sequence, "issuer Name")
            let serial = try parts.read(DERElement.integer, "serialNumber")
            identifier = .issuerAndSerialNumber(issuer: parts.encoded(issuer), serial: parts.encoded(serial))
        case DERElement.context(0, constructed: false):
            identifier = .subjectKeyIdentifier(fields.content(sid))
        default:
            throw DERError("byte \(sid.start): expected a signer identifier, got tag 0x\(Digest.hex(of: [sid.tag]))")
        }
        let digestAlgorithm = try algorithm(&fields, "digestAlgorithm").oid

        var signedForSignature: [UInt8]?
        var signedAttributes: [CMSAttribute] = []
        if let signed = try fields.readOptional(DERElement.context(0, constructed: true)) {
            guard !signed.isIndefinite else {
                throw DERError("byte \(signed.start): signed attributes use an indefinite length; the signature covers their DER encoding")
            }
            var encoding = fields.encoded(signed)
            encoding[0] = DERElement.set
            signedForSignature = encoding
            signedAttributes = try attributes(signed, reader: fields)
        }
        let signatureAlgorithm = try algorithm(&fields, "signatureAlgorithm").oid
        let signature = try fields.read(DERElement.octetString, "signature OCTET STRING")
        var unsignedAttributes: [CMSAttribute] = []
        if let unsigned = try fields.readOptional(DERElement.context(1, constructed: true)) {
            unsignedAttributes = try attributes(unsigned, reader: fields)
        }
        return CMSSignerInfo(index: index, signerIdentifier: identifier, digestAlgorithm: digestAlgorithm,
                             signedAttributesForSignature: signedForSignature, signedAttributes: signedAttributes,
                             signatureAlgorithm: signatureAlgorithm, signature: fields.content(signature),
                             unsignedAttributes: unsignedAttributes)
    }

    private static func algorithm(_ reader: inout DERReader, _ what: String) throws(DERError) -> (oid: String, parameters: [UInt8]?) {
        let sequence = try reader.read(DERElement.sequence, "\(what) AlgorithmIdentifier")
        var parts = try reader.children(of: sequence)
        let oid = try parts.objectIdentifier(parts.read(DERElement.objectIdentifier, "\(what) algorithm"))
        let parameters = try parts.next().map { parts.encoded($0) }
        return (oid, parameters)
    }

    private static func attributes(_ set: DERElement, reader: DERReader) throws(DERError) -> [CMSAttribute] {
        var items = try reader.children(of: set)
        var result: [CMSAttribute] = []
        while let item = try items.next() {
            guard result.count < maximumAttributes else { throw DERError("more than \(maximumAttributes) attributes") }
            guard item.tag == DERElement.sequence else {
                throw DERError("byte \(item.start): expected an Attribute SEQUENCE, got tag 0x\(Digest.hex(of: [item.tag]))")
            }
            var parts = try items.children(of: item)
            let type = try parts.objectIdentifier(parts.read(DERElement.objectIdentifier, "attribute type"))
            var values = try parts.children(of: parts.read(DERElement.set, "attribute values SET"))
            var encoded: [[UInt8]] = []
            while let value = try values.next() { encoded.append(values.encoded(value)) }
            result.append(CMSAttribute(type: type, values: encoded))
        }
        return result
    }
}

/// The parts of an RFC 3161 TSTInfo that verification needs.
struct TimeStampInfo {
    var hashAlgorithm: String
    var hashedMessage: [UInt8]
    var genTime: SignatureTime

    /// - Throws: `DERError` when the bytes are not a TSTInfo.
    init(parsing bytes: [UInt8]) throws(DERError) {
        var top = DERReader(bytes)
        var fields = try top.children(of: top.read(DERElement.sequence, "TSTInfo SEQUENCE"))
        _ = try fields.read(DERElement.integer, "TSTInfo version")
        _ = try fields.read(DERElement.objectIdentifier, "TSTInfo policy")
        var imprint = try fields.children(of: fields.read(DERElement.sequence, "messageImprint SEQUENCE"))
        var algorithm = try imprint.children(of: imprint.read(DERElement.sequence, "hashAlgorithm"))
        hashAlgorithm = try algorithm.objectIdentifier(algorithm.read(DERElement.objectIdentifier, "hash algorithm"))
        hashedMessage = try imprint.content(imprint.read(DERElement.octetString, "hashedMessage"))
        _ = try fields.read(DERElement.integer, "TSTInfo serialNumber")
        let time = try fields.read(DERElement.generalizedTime, "genTime")
        guard let parsed = SignatureTime(asn1: fields.content(time), generalized: true) else {
            throw DERError("byte \(time.start): genTime is not a valid GeneralizedTime")
        }
        genTime = parsed
    }
}

extension X509Certificate {
    /// Whether a SignerInfo's identifier names this certificate.
    /// The corresponding C functions are `X509_get0_subject_key_id`, `ASN1_INTEGER_cmp` and `X509_NAME_cmp`.
    func matches(_ identifier: SignerIdentifier) -> Bool {
        switch identifier {
        case .subjectKeyIdentifier(let wanted):
            guard let keyIdentifier = X509_get0_subject_key_id(handle) else { return false }
            let count = Int(ASN1_STRING_length(keyIdentifier))
            guard count > 0, let data = ASN1_STRING_get0_data(keyIdentifier) else { return false }
            return Array(UnsafeBufferPointer(start: data, count: count)) == wanted
        case .issuerAndSerialNumber(let issuerDER, let serialDER):
            let serial: UnsafeMutablePointer<asn1_string_st>? = serialDER.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_ASN1_INTEGER(nil, &cursor, buffer.count)
            }
            let issuer: OpaquePointer? = issuerDER.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_X509_NAME(nil, &cursor, buffer.count)
            }
            defer {
                ASN1_INTEGER_free(serial)
                X509_NAME_free(issuer)
            }
            guard let serial, let issuer, let ownSerial = X509_get0_serialNumber(handle) else {
                CryptoError.clearQueue()
                return false
            }
            return ASN1_INTEGER_cmp(serial, ownSerial) == 0 && X509_NAME_cmp(issuer, X509_get_issuer_name(handle)) == 0
        }
    }
}
