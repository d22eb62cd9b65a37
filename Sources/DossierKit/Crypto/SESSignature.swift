import DossierModel
import Foundation

/// An electronic seal's signature data (`SignedValue.dat` of an OFD `Type="Seal"` signature):
/// `SES_Signature` of GM/T 0031-2014 (V1) or GB/T 38540-2020 (V4; GM/T 0031-2025's V5 has
/// the same outer shape).
///
/// ```
/// V1  SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }
///     TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo BIT STRING,
///                  dataHash BIT STRING, propertyInfo IA5String, cert OCTET STRING,
///                  signatureAlgorithm OBJECT IDENTIFIER }
/// V4  SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING,
///                  signatureAlgID OBJECT IDENTIFIER, signature BIT STRING,
///                  timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
///     TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
///                  dataHash BIT STRING, propertyInfo IA5String,
///                  extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
/// ```
/// `dataHash` is the hash of the signed file (an OFD's Signature.xml); the signature is over the
/// DER of `toSign`. Producers put OCTET STRINGs where BIT STRINGs belong often enough that both are read.
struct SESSignature {
    enum Version: String {
        case v1 = "V1 (GM/T 0031-2014)"
        case v4 = "V4 (GB/T 38540-2020)"
    }

    var version: Version
    /// The DER of `toSign`, exactly as stored: what the signature covers.
    var toSign: [UInt8]
    /// The DER of the embedded seal (`SESeal`), to compare with the package's seal file.
    var seal: [UInt8]
    /// The seal's name (`SES_ESPropertyInfo.name`), when it can be read.
    var sealName: String?
    /// `timeInfo`, as text.
    var timeInfo: String?
    var dataHash: [UInt8]
    /// The signer's certificate (DER).
    var certificate: [UInt8]
    /// The signature algorithm's object identifier.
    var algorithm: String
    var signature: [UInt8]

    /// - Throws: ``DERError`` naming the byte where the structure departs from both versions.
    init(parsing bytes: [UInt8]) throws(DERError) {
        let reader = DERReader(bytes)
        let root = try reader.root()
        guard root.tag == DERElement.sequence else { throw DERError("byte 0: expected a SEQUENCE") }
        let top = try reader.elements(of: root)
        guard let first = top.first, first.tag == DERElement.sequence else {
            throw DERError("byte \(root.contentStart): expected TBS_Sign (a SEQUENCE) first")
        }
        let tbs = try reader.elements(of: first)
        guard tbs.count >= 5 else { throw DERError("byte \(first.start): TBS_Sign has \(tbs.count) fields; expected at least 5") }
        _ = try reader.smallInteger(tbs[0])
        toSign = reader.encoded(first)
        seal = reader.encoded(tbs[1])
        sealName = Self.name(ofSeal: tbs[1], reader)
        timeInfo = Self.time(tbs[2], reader)
        dataHash = try Self.octets(tbs[3], reader, field: "dataHash")
        switch top.count {
        case 2:
            guard tbs.count >= 7 else { throw DERError("byte \(first.start): a V1 TBS_Sign has \(tbs.count) fields; expected 7") }
            guard tbs[5].tag == DERElement.octetString else {
                throw DERError("byte \(tbs[5].start): expected the signer certificate in an OCTET STRING")
            }
            version = .v1
            certificate = reader.content(tbs[5])
            algorithm = try reader.objectIdentifier(tbs[6])
            signature = try Self.octets(top[1], reader, field: "signature")
        case 4, 5:
            guard top[1].tag == DERElement.octetString else {
                throw DERError("byte \(top[1].start): expected the signer certificate in an OCTET STRING")
            }
            version = .v4
            certificate = reader.content(top[1])
            algorithm = try reader.objectIdentifier(top[2])
            signature = try Self.octets(top[3], reader, field: "signature")
        default:
            throw DERError("byte \(root.start): SES_Signature has \(top.count) fields; expected 2 (V1) or 4–5 (V4)")
        }
    }

    private static func octets(_ element: DERElement, _ reader: DERReader, field: String) throws(DERError) -> [UInt8] {
        if element.tag == DERElement.octetString { return reader.content(element) }
        guard element.tag == DERElement.bitString else { throw DERError("byte \(element.start): expected \(field) as a BIT STRING") }
        return try reader.bitString(element)
    }

    /// The time as text: GeneralizedTime/UTCTime directly, or the text (or DER time) inside a V1 BIT STRING.
    private static func time(_ element: DERElement, _ reader: DERReader) -> String? {
        switch element.tag {
        case DERElement.generalizedTime, DERElement.utcTime:
            return reader.text(element)
        case DERElement.bitString, DERElement.octetString:
            guard let inner = try? octets(element, reader, field: "timeInfo") else { return nil }
            let nested = DERReader(inner)
            if let time = try? nested.root(), time.tag == DERElement.utcTime || time.tag == DERElement.generalizedTime {
                return nested.text(time)
            }
            return String(validating: inner, as: UTF8.self)
        default:
            return nil
        }
    }

    /// `SESeal.esealInfo.property.name` (the same place in V1 and V4).
    private static func name(ofSeal seal: DERElement, _ reader: DERReader) -> String? {
        guard seal.tag == DERElement.sequence,
              let info = try? reader.elements(of: seal).first, info.tag == DERElement.sequence,
              let fields = try? reader.elements(of: info), fields.count > 2, fields[2].tag == DERElement.sequence,
              let property = try? reader.elements(of: fields[2]), property.count > 1, property[1].tag == DERElement.utf8String
        else { return nil }
        return reader.text(property[1])
    }
}

/// Signature algorithms seals name by object identifier: the digest, whether the key is SM2, and a label.
struct SealSignatureAlgorithm {
    var digest: String
    var isSM2: Bool
    var label: String

    init?(identifier: String) {
        switch identifier.trimmingCharacters(in: .whitespaces) {
        case "1.2.156.10197.1.501", "1.2.156.10197.1.301.1", "1.2.156.10197.1.301", "SM3WithSM2", "SM2-SM3":
            self.init(digest: "SM3", isSM2: true, label: "SM2-SM3")
        case "1.2.840.113549.1.1.11": self.init(digest: "SHA256", isSM2: false, label: "RSA-SHA256")
        case "1.2.840.113549.1.1.5": self.init(digest: "SHA1", isSM2: false, label: "RSA-SHA1")
        case "1.2.840.113549.1.1.12": self.init(digest: "SHA384", isSM2: false, label: "RSA-SHA384")
        case "1.2.840.113549.1.1.13": self.init(digest: "SHA512", isSM2: false, label: "RSA-SHA512")
        case "1.2.840.10045.4.3.2": self.init(digest: "SHA256", isSM2: false, label: "ECDSA-SHA256")
        case "1.2.840.10045.4.3.3": self.init(digest: "SHA384", isSM2: false, label: "ECDSA-SHA384")
        case "1.2.840.10045.4.1": self.init(digest: "SHA1", isSM2: false, label: "ECDSA-SHA1")
        default: return nil
        }
    }

    private init(digest: String, isSM2: Bool, label: String) {
        self.digest = digest
        self.isSM2 = isSM2
        self.label = label
    }
}

/// Checks an electronic seal (``SESSignature``) over the file it seals: the file's hash against
/// `dataHash`, the signature over `TBS_Sign` with the certificate inside the seal (SM2 with the
/// GM/T 0009 default signer ID), the package's copy of the seal against the embedded one, and the
/// certificate's chain to the anchors at the seal's time.
struct SealCheck {
    var anchors: [X509Certificate]
    /// The moment certificates are checked at when neither the seal nor the document states one.
    var fallbackTime: SignatureTime

    /// - Parameters:
    ///   - value: the `SES_Signature` bytes; `valueName` names them in reasons.
    ///   - sealed: the bytes the seal's `dataHash` covers; `sealedName` names them.
    ///   - sealFile: the package's own copy of the seal (`Seal.esl`) and its name, when it has one.
    ///   - claimedTime: the document's own claim of when it was sealed, for the chain when the seal has no time.
    func check(_ value: [UInt8], valueName: String, sealed: [UInt8], sealedName: String,
               sealFile: (name: String, bytes: [UInt8])?, claimedTime: SignatureTime?) -> SignatureOutcome {
        var outcome = SignatureOutcome()
        let seal: SESSignature
        do {
            seal = try SESSignature(parsing: value)
        } catch {
            outcome.add(.invalid, "\(valueName): not an SES_Signature (GM/T 0031 V1 or GB/T 38540 V4): \(error.description)")
            return outcome
        }
        outcome.sealName = seal.sealName
        outcome.signingTime = seal.timeInfo.flatMap { SignatureTime(sealText: $0) }
        guard let algorithm = SealSignatureAlgorithm(identifier: seal.algorithm),
              let digest = SignatureDigestAlgorithm(identifier: algorithm.digest) else {
            outcome.add(.indeterminate, "\(valueName): unknown signature algorithm \(seal.algorithm)")
            return outcome
        }
        outcome.algorithm = algorithm.label
        if digest.isWeak {
            outcome.add(.indeterminate, "\(valueName): the digest algorithm \(digest.name) is too weak to be accepted")
        }
        switch Result(catching: { () throws(CryptoError) in try digest.digest(sealed) }) {
        case .success(let hash) where hash != seal.dataHash:
            outcome.add(.invalid, "\(sealedName) changed after sealing: its \(digest.name) digest does not match the dataHash in \(valueName)")
        case .failure(let error):
            outcome.add(.indeterminate, "\(valueName): \(error)")
        case .success:
            break
        }
        if let sealFile, sealFile.bytes != seal.seal {
            outcome.add(.invalid, "\(sealFile.name) differs from the seal inside \(valueName)")
        }
        guard let certificate = X509Certificate(der: seal.certificate) else {
            outcome.add(.invalid, "\(valueName): the signer certificate inside the seal is not an X.509 certificate")
            return outcome
        }
        outcome.signer = certificate.displayName
        let identifiers = algorithm.isSM2 ? CMSSignatureCheck.sm2Identifiers : []
        if !certificate.verifies(signature: seal.signature, over: seal.toSign, digest: digest, sm2Identifiers: identifiers) {
            outcome.add(.invalid, "\(valueName): the seal's \(algorithm.label) signature over TBS_Sign does not verify with the signer certificate (\(certificate.subject))")
        }
        outcome.chain(certificate, intermediates: [], anchors: anchors, at: outcome.signingTime ?? claimedTime ?? fallbackTime)
        return outcome
    }
}
