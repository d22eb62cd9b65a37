import DossierModel
import CDossierCrypto

/// How a signer's certificate relates to the vault's trust anchors.
enum ChainVerdict: Equatable {
    /// A chain ends at the anchor with this SHA-256 fingerprint.
    case trusted(anchor: String)
    /// No chain to any anchor (or the chain is broken); the reason is one line.
    case untrusted(String)
    /// A chain could not be judged at that time (a certificate not valid then).
    case indeterminate(String)
}

/// Chain building and checking through OpenSSL's `X509_verify_cert`, purpose "any", at a given time:
/// the one chain check of CMS signatures, timestamps and OFD seals.
///
/// Anchors may be intermediate certificates (`X509_V_FLAG_PARTIAL_CHAIN`): the vault trusts exactly
/// the certificates it was given. Certificates signed with SM2 are checked with the GM/T 0009
/// default signer ID, then, when that finds no chain, with the empty ID OpenSSL 3.0 assumes.
/// Revocation is not checked (no CRL or OCSP is fetched or read).
/// The corresponding C functions are `X509_STORE_CTX_init` and `X509_verify_cert`
/// (https://www.openssl.org/docs/man3.0/man3/X509_verify_cert.html).
enum TrustChain {
    static func evaluate(signer: X509Certificate, intermediates: [X509Certificate], anchors: [X509Certificate],
                         at time: SignatureTime) -> ChainVerdict {
        guard !anchors.isEmpty else {
            return .untrusted("the vault has no trust anchors, so no chain can end at one")
        }
        let certificates = [signer] + intermediates + anchors
        var first: ChainVerdict?
        for identifier in [SM2.defaultIdentifier, nil] as [[UInt8]?] {
            for certificate in certificates { certificate.useSM2Identifier(identifier) }
            let verdict = attempt(signer: signer, intermediates: intermediates, anchors: anchors, at: time)
            guard case .untrusted = verdict else { return verdict }
            if first == nil { first = verdict }
            guard certificates.contains(where: \.isSignedWithSM2) else { break }
        }
        return first ?? .untrusted("no chain")
    }

    private static func attempt(signer: X509Certificate, intermediates: [X509Certificate], anchors: [X509Certificate],
                                at time: SignatureTime) -> ChainVerdict {
        guard let store = X509_STORE_new() else { return .indeterminate(CryptoError.fromQueue("X509_STORE_new").description) }
        defer { X509_STORE_free(store) }
        for anchor in anchors where X509_STORE_add_cert(store, anchor.handle) != 1 {
            // The same certificate twice is reported as an error by some versions; the store still holds it.
            CryptoError.clearQueue()
        }
        guard let untrusted = CDossierCrypto_sk_X509_new_null() else {
            return .indeterminate(CryptoError.fromQueue("sk_X509_new_null").description)
        }
        defer { CDossierCrypto_sk_X509_free(untrusted) }
        for certificate in intermediates { _ = CDossierCrypto_sk_X509_push(untrusted, certificate.handle) }

        guard let context = X509_STORE_CTX_new() else { return .indeterminate(CryptoError.fromQueue("X509_STORE_CTX_new").description) }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, signer.handle, untrusted) == 1 else {
            return .indeterminate(CryptoError.fromQueue("X509_STORE_CTX_init").description)
        }
        _ = X509_STORE_CTX_set_purpose(context, X509_PURPOSE_ANY)
        if let parameters = X509_STORE_CTX_get0_param(context) {
            X509_VERIFY_PARAM_set_time(parameters, time_t(time.secondsSinceEpoch))
            _ = X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        }
        if X509_verify_cert(context) == 1 {
            CryptoError.clearQueue()
            guard let chain = X509_STORE_CTX_get0_chain(context) else {
                return .indeterminate("OpenSSL built a chain it cannot return")
            }
            let count = CDossierCrypto_sk_X509_num(chain)
            guard count > 0, let last = CDossierCrypto_sk_X509_value(chain, count - 1),
                  let anchor = anchors.first(where: { X509_cmp($0.handle, last) == 0 }) else {
                return .untrusted("the chain OpenSSL built does not end at a trust anchor of the vault")
            }
            return .trusted(anchor: anchor.fingerprint)
        }
        let code = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        let message = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
        let subject: String
        if let failing = X509_STORE_CTX_get_current_cert(context), let copy = X509_dup(failing),
           let certificate = X509Certificate(taking: copy) {
            subject = certificate.displayName
        } else {
            subject = signer.displayName
        }
        CryptoError.clearQueue()
        switch code {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return .untrusted("the signer's certificate does not chain to a trust anchor of the vault (OpenSSL: \(message) at \"\(subject)\")")
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID,
             X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
            return .indeterminate("certificate \"\(subject)\" (chain depth \(depth)) was not valid at \(time.rfc3339): \(message)")
        default:
            return .untrusted("the signer's certificate chain fails at \"\(subject)\" (depth \(depth)): \(message)")
        }
    }
}
