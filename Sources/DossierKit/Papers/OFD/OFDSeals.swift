import DossierModel
import Foundation

/// `Type` in Signatures.xml: an electronic seal (签章) or a plain digital signature (签名).
enum OFDSignatureKind: String, Sendable {
    case seal = "Seal"
    case sign = "Sign"
}

/// One signature as Signatures.xml and its Signature.xml name it.
private struct SignaturePlan {
    var id: String?
    var kind: OFDSignatureKind
    var list: OFDSignatureList
    var member: String?
    var written: String
    var xml: [UInt8]?
    var root: XMLElement?
    var problem: String?
    var references: [(written: String, member: String?, checkValue: [UInt8]?)] = []
    var checkMethod: SignatureDigestAlgorithm?
    var checkMethodText: String?
    var signedValue: String?
    var signedValueWritten: String?
    var sealFile: String?

    /// Where the verdict says the signature is: its Signature.xml, type and ID.
    var location: String {
        "\(member ?? written) (\(kind.rawValue)\(id.map { " \($0)" } ?? ""))"
    }
}

/// Digests of every referenced member, filled while the package streams past.
private final class MemberDigests {
    var running: [String: [RunningDigest]] = [:]
    /// Member → OpenSSL digest name → digest.
    var results: [String: [String: [UInt8]]] = [:]

    func finish() {
        for (name, digests) in running {
            for digest in digests { results[name, default: [:]][digest.algorithm.name] = digest.finish() }
        }
        running = [:]
    }
}

extension OFDDocument {
    /// Lists and checks every signature of the document (each DocBody's Signatures.xml).
    ///
    /// For each one: every `Reference`'s `CheckValue` is recomputed over the member's bytes with
    /// `CheckMethod` (SM3 by default); for a seal, `SignedValue.dat` must be an `SES_Signature`
    /// (``SealCheck``) whose `dataHash` is the hash of the Signature.xml bytes; for a plain
    /// signature, a GB/T 35275 / CMS `SignedData` (``CMSSignatureCheck``) over the Signature.xml,
    /// its digest, or that digest in base64. The signer certificate must then chain to one of
    /// `anchors` at the signing time.
    /// - Parameters:
    ///   - anchors: the vault's trust anchors.
    ///   - checkedAt: when the check is made (RFC 3339): recorded in each verdict, and the moment
    ///     chains are checked at when a signature states no time of its own.
    /// - Returns: one result per signature, in the order Signatures.xml lists them; none when unsigned.
    /// - Throws: ``OFDError`` when Signatures.xml is missing or unreadable, or the package cannot be read again.
    func signatures(anchors: [TrustAnchor], checkedAt: String, at moment: SignatureTime) throws(OFDError) -> [CheckedSignature] {
        if let missing = missingSignatureLists.first { throw missing }
        let index = OFDMemberIndex(members)
        var plans: [SignaturePlan] = []
        for list in signatureLists {
            let root = try parsePart(list.member, bytes: signatureParts[list.member])
            for signature in root.children(named: "Signature") {
                let written = PythonText.strip(signature.attribute("BaseLoc") ?? "")
                let type = PythonText.strip(signature.attribute("Type") ?? "Seal")
                plans.append(SignaturePlan(
                    id: signature.attribute("ID").map { PythonText.strip($0) },
                    kind: type == "Sign" ? .sign : .seal,
                    list: list,
                    member: index.resolve(base: list.member, location: written),
                    written: written))
            }
        }
        if plans.isEmpty { return [] }

        // Signature.xml parts outside the signature folders (rare) are read in a first pass.
        let missingXML = Set(plans.compactMap { $0.member }.filter { signatureParts[$0] == nil })
        var parts = signatureParts
        if !missingXML.isEmpty {
            let package = try OFDPackage.scan(path: path, file: fileName, limits: limits, keep: { missingXML.contains($0) })
            parts.merge(package.kept) { old, _ in old }
        }
        for position in plans.indices {
            plans[position] = prepare(plans[position], parts: parts, index: index)
        }

        // One pass: hash every referenced member and keep the signature values and seals.
        let digests = MemberDigests()
        var keep: Set<String> = []
        for plan in plans {
            if let method = plan.checkMethod {
                for reference in plan.references {
                    guard let member = reference.member,
                          !(digests.running[member] ?? []).contains(where: { $0.algorithm.name == method.name }) else { continue }
                    do {
                        digests.running[member, default: []].append(try method.start())
                    } catch {
                        throw OFDError.structure(member: member, problem: "cannot hash: \(error)")
                    }
                }
            }
            if let signedValue = plan.signedValue { keep.insert(signedValue) }
            if let sealFile = plan.sealFile { keep.insert(sealFile) }
        }
        let package = try OFDPackage.scan(path: path, file: fileName, limits: limits, keep: { keep.contains($0) }, observe: { name, chunk in
            digests.running[name]?.forEach { $0.update(chunk) }
        })
        digests.finish()
        let certificates = TrustAnchor.certificates(anchors)
        return plans.map { plan in
            check(plan, digests: digests.results, values: package.kept, anchors: certificates, checkedAt: checkedAt, moment: moment)
        }
    }

    func parsePart(_ member: String, bytes: [UInt8]?) throws(OFDError) -> XMLElement {
        guard let bytes else { throw OFDError.structure(member: member, problem: "was not kept for the seal check") }
        let loader = OFDLoader(package: OFDPackage(members: members, kept: [member: bytes]), limits: limits, fileName: fileName)
        return try loader.xml(member)
    }

    /// Reads one Signature.xml: its references, check method, signature value and seal file.
    private func prepare(_ plan: SignaturePlan, parts: [String: [UInt8]], index: OFDMemberIndex) -> SignaturePlan {
        var plan = plan
        guard let member = plan.member else {
            plan.problem = "\(plan.list.member): signature \(plan.id ?? "?") names \(plan.written.isEmpty ? "no file" : plan.written), which is not in the package"
            return plan
        }
        let root: XMLElement
        do {
            root = try parsePart(member, bytes: parts[member])
        } catch {
            plan.problem = error.description
            return plan
        }
        plan.root = root
        plan.xml = parts[member]
        guard let signedInfo = root.child("SignedInfo") else {
            plan.problem = "\(member): no SignedInfo"
            return plan
        }
        let references = signedInfo.child("References")
        let method = PythonText.strip(references?.attribute("CheckMethod") ?? "")
        plan.checkMethodText = method.isEmpty ? "SM3" : method
        plan.checkMethod = SignatureDigestAlgorithm(identifier: method.isEmpty ? "SM3" : method)
        for reference in references?.children(named: "Reference") ?? [] {
            let written = PythonText.strip(reference.attribute("FileRef") ?? "")
            let value = reference.childText("CheckValue").flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map { [UInt8]($0) }
            plan.references.append((written, index.resolve(base: member, location: written), value))
        }
        if let written = root.childText("SignedValue") {
            plan.signedValueWritten = written
            plan.signedValue = index.resolve(base: member, location: written)
        }
        if let seal = signedInfo.child("Seal")?.childText("BaseLoc") {
            plan.sealFile = index.resolve(base: member, location: seal)
        }
        return plan
    }

    private func check(_ plan: SignaturePlan, digests: [String: [String: [UInt8]]], values: [String: [UInt8]],
                       anchors: [X509Certificate], checkedAt: String, moment: SignatureTime) -> CheckedSignature {
        var checked = CheckedSignature(
            verdict: SignatureVerdict(format: .ofdSeal, status: .invalid, coversWholeDocument: false, checkedAt: checkedAt),
            location: plan.location)
        guard let root = plan.root, let member = plan.member, let xml = plan.xml else {
            checked.verdict.reason = plan.problem ?? "\(plan.written): unreadable"
            return checked
        }
        var findings = SignatureFindings()
        let signedInfo = root.child("SignedInfo")
        if let provider = signedInfo?.child("Provider"), let name = provider.attribute("ProviderName") {
            let company = provider.attribute("Company").map { PythonText.strip($0) } ?? ""
            checked.provider = company.isEmpty ? name : "\(name) (\(company))"
        }
        let claimedTime = signedInfo?.childText("SignatureDateTime").flatMap { SignatureTime(sealText: $0) }
        let methodLabel = signedInfo?.childText("SignatureMethod")
        checked.verdict.algorithm = methodLabel.flatMap { SealSignatureAlgorithm(identifier: $0)?.label } ?? methodLabel

        // 1. The references: a digest that differs means the member changed after signing.
        let referenced = Set(plan.references.compactMap(\.member))
        let folders = signatureLists.map(\.folder)
        checked.verdict.coversWholeDocument = members.allSatisfy { name in
            referenced.contains(name) || folders.contains { !$0.isEmpty && name.hasPrefix($0) }
        }
        if plan.references.isEmpty {
            findings.add(.invalid, "\(member): signs no files (no References)")
        }
        if let method = plan.checkMethod {
            if method.isWeak {
                findings.add(.indeterminate, "\(member): the CheckMethod \(method.name) is too weak to be accepted")
            }
            for reference in plan.references {
                guard let target = reference.member else {
                    findings.add(.invalid, "\(member): signed file \(reference.written) is not in the package (removed after signing?)")
                    continue
                }
                guard let expected = reference.checkValue else {
                    findings.add(.invalid, "\(member): the CheckValue of \(target) is missing or not base64")
                    continue
                }
                if digests[target]?[method.name] != expected {
                    findings.add(.invalid, "\(target) changed after signing: its \(method.name) digest does not match the CheckValue in \(member)")
                }
            }
        } else {
            findings.add(.indeterminate, "\(member): unknown CheckMethod \"\(plan.checkMethodText ?? "")\"; expected SM3, SHA-1 or SHA-256 (by name or OID)")
        }

        // 2. The signature value, and the signer's chain.
        if let valueMember = plan.signedValue, let value = values[valueMember] {
            let outcome: SignatureOutcome
            switch plan.kind {
            case .seal:
                let check = SealCheck(anchors: anchors, fallbackTime: moment)
                let sealFile = plan.sealFile.flatMap { name in values[name].map { (name: name, bytes: $0) } }
                outcome = check.check(value, valueName: valueMember, sealed: xml, sealedName: member, sealFile: sealFile,
                                      claimedTime: claimedTime)
            case .sign:
                outcome = checkSignedData(value, valueName: valueMember, signatureXML: xml, xmlName: member, anchors: anchors,
                                          moment: moment, claimedTime: claimedTime)
            }
            checked.verdict.signer = outcome.signer
            checked.verdict.algorithm = outcome.algorithm ?? checked.verdict.algorithm
            checked.verdict.trustAnchor = outcome.trustAnchor
            checked.sealName = outcome.sealName
            findings.add(outcome.findings)
            checked.verdict.signedAt = (outcome.signingTime ?? claimedTime)?.rfc3339
        } else {
            findings.add(.invalid, "\(member): the signature value \(plan.signedValueWritten ?? "(no SignedValue)") is not in the package")
            checked.verdict.signedAt = claimedTime?.rfc3339
        }
        checked.verdict.status = findings.status
        checked.verdict.reason = findings.reason
        return checked
    }

    /// A `Type="Sign"` signature value: a PKCS#7/CMS `SignedData` (GB/T 35275 for SM2, the form GM/T
    /// 0099 asks for) whose content is the Signature.xml, its digest, or that digest in base64 —
    /// inside the CMS, or detached (then the Signature.xml itself). A bare signature with no
    /// certificate cannot be checked and is `indeterminate`.
    private func checkSignedData(_ value: [UInt8], valueName: String, signatureXML: [UInt8], xmlName: String,
                                 anchors: [X509Certificate], moment: SignatureTime, claimedTime: SignatureTime?) -> SignatureOutcome {
        var outcome = SignatureOutcome()
        guard CMSSignedData.looksLikeSignedData(value) else {
            let bare = value.count == 64 || DERWriter.signatureSequence(fromRaw: value) == value && value.first == DERElement.sequence
            outcome.add(.indeterminate, bare
                ? "\(valueName): a bare signature with no certificate; the signer's key is unknown, so it cannot be checked"
                : "\(valueName): not a CMS / GB/T 35275 SignedData; this signature format cannot be checked")
            return outcome
        }
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(parsing: value)
        } catch {
            outcome.add(.invalid, "\(valueName): malformed SignedData: \(error.description)")
            return outcome
        }
        guard signedData.signers.count == 1 else {
            outcome.add(.invalid, "\(valueName): the SignedData has \(signedData.signers.count) signers, expected 1")
            return outcome
        }
        let check = CMSSignatureCheck(anchors: anchors, fallbackTime: moment)
        guard let content = signedData.encapsulatedContent else {
            do {
                return try check.check(signedData, encoded: value, signerIndex: 0, content: .detached { (algorithm: SignatureDigestAlgorithm) throws(CryptoError) in
                    try algorithm.digest(signatureXML)
                }, claimedTime: claimedTime)
            } catch {
                outcome.add(.indeterminate, "\(valueName): \(error)")
                return outcome
            }
        }
        outcome = check.check(signedData, encoded: value, signerIndex: 0, content: SignedContent<Never>.encapsulated,
                              claimedTime: claimedTime)
        // The signed content must stand for this Signature.xml.
        if let algorithm = SignatureDigestAlgorithm(oid: signedData.signers[0].digestAlgorithm),
           let digest = try? algorithm.digest(signatureXML),
           content != digest, content != signatureXML, PEM.base64Decode(content[...]) != digest {
            outcome.add(.invalid, "\(xmlName) changed after signing: its \(algorithm.name) digest is not the content signed in \(valueName)")
        }
        return outcome
    }
}
