import DossierModel
import CDossierCrypto

/// What checking one signature value established (a CMS SignerInfo, a timestamp token, a seal).
struct SignatureOutcome {
    var findings = SignatureFindings()
    /// The signer certificate's display name (``X509Certificate/displayName``).
    var signer: String?
    var algorithm: String?
    /// The signingTime signed attribute.
    var signingTime: SignatureTime?
    /// genTime of a signature timestamp token that verified.
    var timestampTime: SignatureTime?
    var trustAnchor: String?
    /// The name inside an electronic seal (合同专用章 …); nil for other signatures.
    var sealName: String?

    var status: SignatureStatus { findings.status }
    var reason: String? { findings.reason }

    mutating func add(_ status: SignatureStatus, _ reason: String) { findings.add(status, reason) }

    /// Checks the signer's chain to the anchors at `moment`: the anchor it reaches, or a finding.
    mutating func chain(_ signer: X509Certificate, intermediates: [X509Certificate], anchors: [X509Certificate],
                        at moment: SignatureTime) {
        switch TrustChain.evaluate(signer: signer, intermediates: intermediates, anchors: anchors, at: moment) {
        case .trusted(let anchor):
            trustAnchor = anchor
        case .untrusted(let reason):
            add(.untrusted, reason)
        case .indeterminate(let reason):
            add(.indeterminate, reason)
        }
    }
}

/// What the signed content is, as far as the CMS check is concerned.
enum SignedContent<Failure: Error> {
    /// Content outside the CMS (a PDF's ByteRange, a file beside a .p7s, an OFD's Signature.xml): the
    /// closure digests it with the given algorithm, streaming, and may fail (an I/O error).
    case detached((SignatureDigestAlgorithm) throws(Failure) -> [UInt8])
    /// The eContent inside the CMS (a timestamp token, an OFD signature over a digest).
    case encapsulated
}

/// Verifies one SignerInfo of a CMS SignedData: the digest of the content against the messageDigest
/// attribute, the signature over the signed attributes, an optional RFC 3161 signature timestamp,
/// and the signer's chain to the vault's anchors.
///
/// SM2 signatures are checked with `EVP_DigestVerify` and the GM/T 0009 default signer ID (OpenSSL
/// 3.0's `CMS_SignerInfo_verify` assumes an empty ID and rejects them), EdDSA directly over the
/// signed attributes; every other key type goes through OpenSSL's `CMS_SignerInfo_verify`, which
/// also handles RSA-PSS parameters.
struct CMSSignatureCheck {
    var anchors: [X509Certificate]
    /// The moment certificates are checked at when the signature states no time of its own.
    var fallbackTime: SignatureTime

    /// The SM2 signer IDs tried, in order: GM/T 0009's default, then the empty ID OpenSSL 3.0 uses.
    static let sm2Identifiers = [SM2.defaultIdentifier, []]

    /// Checks signer `index` of `signedData` (parsed from `encoded`).
    /// - Parameters:
    ///   - claimedTime: a time outside the CMS that the signature covers (a PDF's /M), used for
    ///     the chain when the CMS has neither a signingTime nor a timestamp.
    ///   - verifyTimestamp: whether to verify a signature timestamp token in the unsigned attributes.
    ///   - chainTime: when given, the moment the chain is checked at (a timestamp token's genTime
    ///     for its own authority's certificate).
    /// - Throws: only what digesting detached content throws.
    func check<Failure: Error>(_ signedData: CMSSignedData, encoded: [UInt8], signerIndex index: Int,
                               content: SignedContent<Failure>, claimedTime: SignatureTime? = nil,
                               verifyTimestamp: Bool = true, chainTime: SignatureTime? = nil) throws(Failure) -> SignatureOutcome {
        var outcome = SignatureOutcome()
        let signerInfo = signedData.signers[index]

        var certificates: [X509Certificate] = []
        for (number, der) in signedData.certificates.enumerated() {
            guard let certificate = X509Certificate(der: der) else {
                outcome.add(.invalid, "malformed CMS: certificate \(number + 1) is not a valid X.509 certificate")
                return outcome
            }
            certificates.append(certificate)
        }
        guard let signer = (certificates + anchors).first(where: { $0.matches(signerInfo.signerIdentifier) }) else {
            outcome.add(.indeterminate, "the signer's certificate is neither in the CMS nor among the trust anchors")
            return outcome
        }
        outcome.signer = signer.displayName
        let keyKind = signer.keyKind

        guard let digest = SignatureDigestAlgorithm(oid: signerInfo.digestAlgorithm) else {
            outcome.add(.indeterminate, "unsupported digest algorithm \(signerInfo.digestAlgorithm)")
            return outcome
        }
        outcome.algorithm = Self.algorithmName(keyKind, digest: digest, signatureAlgorithm: signerInfo.signatureAlgorithm)
        if digest.isWeak {
            outcome.add(.indeterminate, "the digest algorithm \(digest.name) is too weak to be accepted")
        }

        // The content's digest.
        let contentDigest: [UInt8]
        switch content {
        case .detached(let digester):
            if signedData.encapsulatedContent != nil {
                outcome.add(.indeterminate, "the CMS carries its own content, expected a detached signature")
                return outcome
            }
            contentDigest = try digester(digest)
        case .encapsulated:
            guard let inner = signedData.encapsulatedContent else {
                outcome.add(.invalid, "the CMS carries no content to verify")
                return outcome
            }
            do {
                contentDigest = try digest.digest(inner)
            } catch {
                outcome.add(.indeterminate, "cannot compute \(digest.name): \(error)")
                return outcome
            }
        }

        // The signature itself.
        if let signedAttributes = signerInfo.signedAttributesForSignature {
            guard let digestAttribute = signerInfo.signedAttribute(SignatureOID.messageDigest),
                  digestAttribute.values.count == 1,
                  let stated = Self.octetString(digestAttribute.values[0]) else {
                outcome.add(.invalid, "malformed CMS: the signed attributes have no single messageDigest")
                return outcome
            }
            if let typeAttribute = signerInfo.signedAttribute(SignatureOID.contentType),
               typeAttribute.values.count != 1
                || Self.objectIdentifier(typeAttribute.values[0]) != signedData.encapsulatedContentType {
                outcome.add(.invalid, "the signed contentType attribute differs from the content's type \(signedData.encapsulatedContentType)")
            }
            if stated != contentDigest {
                outcome.add(.invalid, "the signed bytes hash to \(digest.name) \(Digest.hex(of: contentDigest)), the signature's message digest is \(Digest.hex(of: stated))")
            }
            if let timeAttribute = signerInfo.signedAttribute(SignatureOID.signingTime), let value = timeAttribute.values.first {
                outcome.signingTime = Self.time(value)
            }
            verifySignedAttributes(signedAttributes, signedData: signedData, encoded: encoded, signerInfo: signerInfo,
                                   signer: signer, keyKind: keyKind, digest: digest, into: &outcome.findings)
        } else {
            let message = if case .encapsulated = content { signedData.encapsulatedContent } else { nil as [UInt8]? }
            verifyContentSignature(signerInfo, message: message, digest: contentDigest, algorithm: digest, signer: signer,
                                   keyKind: keyKind, into: &outcome.findings)
        }

        // A signature timestamp (RFC 3161 token over the signature value).
        var timestampTrusted = false
        if verifyTimestamp,
           let tokenAttribute = signerInfo.unsignedAttributes.first(where: { $0.type == SignatureOID.signatureTimeStampToken }),
           let token = tokenAttribute.values.first {
            let tokenOutcome = checkTimestampToken(token, over: signerInfo.signature)
            switch tokenOutcome.status {
            case .valid:
                outcome.timestampTime = tokenOutcome.timestampTime
                timestampTrusted = true
            case .untrusted:
                outcome.timestampTime = tokenOutcome.timestampTime
                outcome.add(.untrusted, "the signature timestamp's authority is not trusted: \(tokenOutcome.reason ?? "")")
            case .invalid, .indeterminate:
                outcome.add(tokenOutcome.status, "the signature timestamp token: \(tokenOutcome.reason ?? "")")
            }
        }

        // The chain, at the most trustworthy time the signature offers.
        let moment = chainTime ?? (timestampTrusted ? outcome.timestampTime : nil) ?? outcome.signingTime ?? claimedTime
            ?? fallbackTime
        outcome.chain(signer, intermediates: certificates, anchors: anchors, at: moment)
        return outcome
    }

    /// Verifies an RFC 3161 TimeStampToken over in-memory bytes (a signature value).
    func checkTimestampToken(_ token: [UInt8], over imprinted: [UInt8]) -> SignatureOutcome {
        checkTimestampToken(token) { (algorithm: SignatureDigestAlgorithm) -> [UInt8] in
            (try? algorithm.digest(imprinted)) ?? []
        }
    }

    /// Verifies an RFC 3161 TimeStampToken whose messageImprint must equal what `digestOfTimestamped`
    /// computes with the imprint's algorithm. Its genTime is returned in `timestampTime`, its authority
    /// in `signer`.
    /// - Throws: only what `digestOfTimestamped` throws.
    func checkTimestampToken<Failure: Error>(
        _ token: [UInt8], digestOfTimestamped: (SignatureDigestAlgorithm) throws(Failure) -> [UInt8]
    ) throws(Failure) -> SignatureOutcome {
        var outcome = SignatureOutcome()
        let signedData: CMSSignedData
        let info: TimeStampInfo
        do {
            signedData = try CMSSignedData(parsing: token)
            guard signedData.signers.count == 1 else {
                outcome.add(.invalid, "a timestamp token has \(signedData.signers.count) signers, expected 1")
                return outcome
            }
            // TSTInfo first: its genTime is when the authority's certificate must have been valid.
            guard signedData.encapsulatedContentType == SignatureOID.tstInfo, let content = signedData.encapsulatedContent else {
                outcome.add(.invalid, "the token's content is \(signedData.encapsulatedContentType), expected TSTInfo")
                return outcome
            }
            info = try TimeStampInfo(parsing: content)
        } catch {
            outcome.add(.invalid, "malformed timestamp token: \(error.description)")
            return outcome
        }
        outcome = check(signedData, encoded: token, signerIndex: 0, content: SignedContent<Never>.encapsulated,
                        verifyTimestamp: false, chainTime: info.genTime)
        guard let algorithm = SignatureDigestAlgorithm(oid: info.hashAlgorithm) else {
            outcome.add(.indeterminate, "unsupported timestamp imprint algorithm \(info.hashAlgorithm)")
            return outcome
        }
        let expected = try digestOfTimestamped(algorithm)
        if expected != info.hashedMessage {
            outcome.add(.invalid, "the timestamp imprint is \(Digest.hex(of: info.hashedMessage)), the timestamped bytes hash to \(algorithm.name) \(Digest.hex(of: expected))")
        }
        outcome.timestampTime = info.genTime
        return outcome
    }

    // MARK: - Signature primitives

    /// Verifies the signature over the DER of the signed attributes.
    private func verifySignedAttributes(_ attributes: [UInt8], signedData: CMSSignedData, encoded: [UInt8],
                                        signerInfo: CMSSignerInfo, signer: X509Certificate, keyKind: PublicKeyKind,
                                        digest: SignatureDigestAlgorithm, into findings: inout SignatureFindings) {
        switch keyKind {
        case .sm2:
            guard digest.name == "SM3" else {
                findings.add(.indeterminate, "an SM2 signature with digest \(digest.name) instead of SM3 is not supported")
                return
            }
            if !signer.verifies(signature: signerInfo.signature, over: attributes, digest: digest, sm2Identifiers: Self.sm2Identifiers) {
                findings.add(.invalid, "the SM2 signature over the signed attributes does not verify with the signer's public key (signer ID 1234567812345678 or empty)")
            }
            return
        case .ed25519, .ed448:
            // OpenSSL 3.0's CMS_SignerInfo_verify passes a digest to EdDSA, which refuses one ("invalid
            // digest"); EdDSA signs the signed attributes themselves (RFC 8419 §3), so verify directly.
            if !signer.verifies(signature: signerInfo.signature, over: attributes, digest: nil) {
                findings.add(.invalid, "the EdDSA signature over the signed attributes does not verify with the signer's public key")
            }
            return
        default:
            break
        }
        let length = min(signedData.encodedLength, encoded.count)
        var parsed: OpaquePointer?
        encoded.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            parsed = d2i_CMS_ContentInfo(nil, &cursor, length)
        }
        guard let cms = parsed else {
            let detail = CryptoError.drainQueue()
            if signedData.usesGMOIDs {
                findings.add(.indeterminate, "GM/T 0010 CMS with a non-SM2 key is not supported")
            } else {
                findings.add(.invalid, "malformed CMS: OpenSSL cannot read it: \(detail)")
            }
            return
        }
        defer { CMS_ContentInfo_free(cms) }
        guard let infos = CMS_get0_SignerInfos(cms), signerInfo.index < CDossierCrypto_sk_CMS_SignerInfo_num(infos),
              let info = CDossierCrypto_sk_CMS_SignerInfo_value(infos, Int32(signerInfo.index)) else {
            findings.add(.invalid, "malformed CMS: OpenSSL finds no SignerInfo \(signerInfo.index + 1): \(CryptoError.drainQueue())")
            return
        }
        CMS_SignerInfo_set1_signer_cert(info, signer.handle)
        if CMS_SignerInfo_verify(info) == 1 {
            CryptoError.clearQueue()
            return
        }
        let detail = CryptoError.drainQueue()
        if detail.contains("unsupported") || detail.contains("unknown") {
            findings.add(.indeterminate, "OpenSSL cannot verify this signature: \(detail)")
        } else {
            findings.add(.invalid, "the signature over the signed attributes does not verify with the signer's public key (OpenSSL: \(detail))")
        }
    }

    /// Verifies a signature made directly over the content (no signed attributes): over the
    /// encapsulated content itself when the CMS carries it (`message`), otherwise over the content's
    /// digest, which only RSA PKCS#1 v1.5 and ECDSA allow.
    private func verifyContentSignature(_ signerInfo: CMSSignerInfo, message: [UInt8]?, digest: [UInt8],
                                        algorithm: SignatureDigestAlgorithm, signer: X509Certificate, keyKind: PublicKeyKind,
                                        into findings: inout SignatureFindings) {
        if let message, [.sm2, .ed25519, .ed448].contains(keyKind) {
            let pure = keyKind != .sm2
            if !signer.verifies(signature: signerInfo.signature, over: message, digest: pure ? nil : algorithm,
                                sm2Identifiers: Self.sm2Identifiers) {
                findings.add(.invalid, "the \(pure ? "EdDSA" : "SM2") signature over the content does not verify with the signer's public key")
            }
            return
        }
        guard keyKind == .rsa && signerInfo.signatureAlgorithm != SignatureOID.rsassaPSS || keyKind == .ecdsa else {
            findings.add(.indeterminate, "a signature without signed attributes over detached content is only supported for RSA PKCS#1 v1.5 and ECDSA")
            return
        }
        switch signer.verifies(signature: signerInfo.signature, ofDigest: digest, algorithm: algorithm) {
        case .failure(let error):
            findings.add(.indeterminate, "cannot verify with \(algorithm.name): \(error)")
        case .success(false):
            findings.add(.invalid, "the signature over the content digest does not verify with the signer's public key")
        case .success(true):
            break
        }
    }

    // MARK: - Attribute values

    static func octetString(_ encoded: [UInt8]) -> [UInt8]? {
        var reader = DERReader(encoded)
        guard let element = try? reader.next(), element.tag == DERElement.octetString else { return nil }
        return reader.content(element)
    }

    static func objectIdentifier(_ encoded: [UInt8]) -> String? {
        var reader = DERReader(encoded)
        guard let element = try? reader.next() else { return nil }
        return try? reader.objectIdentifier(element)
    }

    static func time(_ encoded: [UInt8]) -> SignatureTime? {
        var reader = DERReader(encoded)
        guard let element = try? reader.next(),
              element.tag == DERElement.utcTime || element.tag == DERElement.generalizedTime else { return nil }
        return SignatureTime(asn1: reader.content(element), generalized: element.tag == DERElement.generalizedTime)
    }

    /// "RSA-SHA256", "RSASSA-PSS-SHA256", "ECDSA-SHA256", "SM2-SM3", "Ed25519" …
    static func algorithmName(_ kind: PublicKeyKind, digest: SignatureDigestAlgorithm, signatureAlgorithm: String) -> String {
        switch kind {
        case .rsa: signatureAlgorithm == SignatureOID.rsassaPSS ? "RSASSA-PSS-\(digest.name)" : "RSA-\(digest.name)"
        case .rsaPSS: "RSASSA-PSS-\(digest.name)"
        case .ecdsa: "ECDSA-\(digest.name)"
        case .sm2: "SM2-\(digest.name)"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        case .dsa: "DSA-\(digest.name)"
        case .other(let type): "\(type)-\(digest.name)"
        }
    }
}
