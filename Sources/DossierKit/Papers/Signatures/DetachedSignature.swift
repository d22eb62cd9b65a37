import DossierModel

/// A detached CMS signature (`NAME.p7s`: DER, or PEM "PKCS7", "CMS" or "PKCS #7 SIGNED DATA") over
/// the whole content file: one result per SignerInfo.
enum DetachedSignature {
    /// - Throws: ``SignatureCheckError/io(path:operation:message:)`` when a file cannot be read,
    ///   `.limitExceeded` for a signature file over twice ``SignatureLimits/maximumSignatureBytes``.
    ///   A malformed signature file is an `invalid` verdict.
    static func check(signatureAt signaturePath: String, contentAt contentPath: String, contentName: String,
                      check: CMSSignatureCheck, limits: SignatureLimits, checkedAt: String) throws(SignatureCheckError) -> [CheckedSignature] {
        let name = FileSystem.lastComponent(of: signaturePath)
        let signatureFile = try RandomAccessFile(path: signaturePath, name: name)
        let limit = 2 * limits.maximumSignatureBytes
        guard signatureFile.size <= Int64(limit) else {
            throw .limitExceeded(path: name, what: "a detached signature of \(signatureFile.size) bytes", limit: limit)
        }
        let encoded = try signatureFile.read(at: 0, count: Int(signatureFile.size))
        let content = try RandomAccessFile(path: contentPath, name: contentName)

        var failed = CheckedSignature(
            verdict: SignatureVerdict(format: .cms, status: .invalid, coversWholeDocument: false, checkedAt: checkedAt),
            location: name)
        let der: [UInt8]
        switch PEM.blocks(in: encoded, searchLimit: 1024) {
        case nil:
            der = encoded
        case .failure(let problem)?:
            failed.verdict.reason = "malformed CMS: \(problem.description)"
            return [failed]
        case .success(let blocks)?:
            guard let block = blocks.first, ["PKCS7", "CMS", "PKCS #7 SIGNED DATA"].contains(block.label) else {
                failed.verdict.reason = "malformed CMS: PEM block is \"\(blocks.first?.label ?? "")\", expected \"PKCS7\" or \"CMS\""
                return [failed]
            }
            der = block.der
        }
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(parsing: der)
        } catch {
            failed.verdict.reason = "malformed CMS: \(error.description)"
            return [failed]
        }
        guard !signedData.signers.isEmpty else {
            failed.verdict.reason = "the CMS has no SignerInfo"
            return [failed]
        }
        let wholeFile: [(offset: Int64, count: Int64)] = [(0, content.size)]
        var results: [CheckedSignature] = []
        for index in signedData.signers.indices {
            let outcome = try check.check(signedData, encoded: der, signerIndex: index, content: .detached {
                (algorithm: SignatureDigestAlgorithm) throws(SignatureCheckError) in try content.digest(ranges: wholeFile, with: algorithm)
            })
            let verdict = SignatureVerdict(
                format: .cms, status: outcome.status, signer: outcome.signer,
                signedAt: (outcome.signingTime ?? outcome.timestampTime)?.rfc3339, algorithm: outcome.algorithm,
                coversWholeDocument: true, trustAnchor: outcome.trustAnchor, checkedAt: checkedAt, reason: outcome.reason)
            results.append(CheckedSignature(verdict: verdict, location: name, timestampedAt: outcome.timestampTime?.rfc3339))
        }
        return results
    }
}
