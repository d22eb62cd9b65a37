import DossierModel
import Foundation

/// The certificates the vault trusts to end signature chains (R28): one PEM file per
/// certificate, `trust/<sha256 of its DER>.pem`, outside `store/`. What a filing was checked
/// against is in each verdict (`trustAnchor`, the certificate's sha256), so removing an anchor
/// later never changes what the record says was valid when it was filed.
public struct TrustStore: Sendable {
    public let folder: String

    /// Every anchor, in the order of their fingerprints.
    /// - Throws: ``VaultError`` naming a file in `trust/` that is not one certificate.
    public func anchors() throws(VaultError) -> [TrustAnchor] {
        guard FileSystem.exists(folder) else { return [] }
        var anchors: [TrustAnchor] = []
        do {
            for entry in try FileSystem.entries(of: folder).sorted(by: { $0.name < $1.name }) where entry.name.hasSuffix(".pem") {
                let path = "\(folder)/\(entry.name)"
                let loaded = try TrustAnchor.load(contentsOfFile: path)
                guard loaded.count == 1, "\(loaded[0].fingerprint).pem" == entry.name else {
                    throw VaultError.invalid("\(path): expected the one certificate whose sha256 names the file; `dossier trust add` writes them")
                }
                anchors += loaded
            }
        } catch {
            throw .wrap(error)
        }
        return anchors
    }

    /// Writes the anchors not yet trusted; returns them.
    func add(_ candidates: [TrustAnchor]) throws(VaultError) -> [TrustAnchor] {
        let known = Set(try anchors().map(\.fingerprint))
        var added: [TrustAnchor] = []
        do {
            try FileSystem.makeDirectories(folder)
            for anchor in candidates where !known.contains(anchor.fingerprint) && !added.contains(anchor) {
                try FileSystem.replaceFile("\(folder)/\(anchor.fingerprint).pem", Array(Self.pem(anchor.der).utf8))
                added.append(anchor)
            }
        } catch {
            throw .wrap(error)
        }
        return added
    }

    /// Removes the anchors whose fingerprint starts with `selector` (8 hex digits at least) or
    /// whose subject contains it; returns them.
    func remove(matching selector: String) throws(VaultError) -> [TrustAnchor] {
        let all = try anchors()
        let lowered = selector.lowercased()
        let isFingerprint = lowered.utf8.count >= 8 && lowered.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        let chosen = all.filter { isFingerprint ? $0.fingerprint.hasPrefix(lowered) : $0.subject.contains(selector) }
        guard !chosen.isEmpty else {
            throw .invalid("trust: no anchor's fingerprint or subject matches \"\(selector)\" (dossier trust list shows them)")
        }
        do {
            for anchor in chosen { try FileSystem.removeFile("\(folder)/\(anchor.fingerprint).pem") }
        } catch {
            throw .wrap(error)
        }
        return chosen
    }

    /// A certificate as a PEM block (RFC 7468): base64 in lines of 64.
    static func pem(_ der: [UInt8]) -> String {
        var rest = Substring(Data(der).base64EncodedString())
        var lines: [Substring] = []
        while !rest.isEmpty {
            lines.append(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        return "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
    }
}

extension Vault {
    /// `trust/`: the certificates signature chains may end at.
    public var trustPath: String { "\(home)/trust" }
    public var trust: TrustStore { TrustStore(folder: trustPath) }

    /// Trusts the certificates in a PEM or DER file for checking signatures filed from now on.
    /// - Returns: those not already trusted.
    public func addTrustAnchors(fromFile path: String, by agent: Agent) throws(VaultError) -> [TrustAnchor] {
        let candidates: [TrustAnchor]
        do { candidates = try TrustAnchor.load(contentsOfFile: path) } catch { throw .invalid(error.description) }
        let added = try trust.add(candidates)
        if !added.isEmpty { try recordTrust(added, change: "added", by: agent) }
        return added
    }

    /// Stops trusting the anchors matching `selector` (a fingerprint prefix, or part of a subject).
    public func removeTrustAnchors(matching selector: String, by agent: Agent) throws(VaultError) -> [TrustAnchor] {
        let removed = try trust.remove(matching: selector)
        try recordTrust(removed, change: "removed", by: agent)
        return removed
    }

    private func recordTrust(_ anchors: [TrustAnchor], change: String, by agent: Agent) throws(VaultError) {
        var details = JSONObject()
        details[change] = .array(anchors.map { ["fingerprint": .string($0.fingerprint), "subject": .string($0.subject)] })
        do { try audit.record(AuditEvent(action: .trust, by: agent, details: details)) } catch { throw .wrap(error) }
    }
}
