import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// A dossier that passes every item of the four-properties check, built through the library, and
/// the ways the tests damage it — each made to fail one item.
///
/// v1 files four of the ownership grant's papers (R03), v2 only changes the record's title, v3
/// files the signed agreement (a PAdES PDF by pki/rsa-signer) and the sealed change record (an
/// OFD sealed by the OFD fixtures' CA). Every paper is PDF, OFD or UTF-8 text with text to read.
enum CleanDossier {
    static let id = "IMUT-2024-0001"
    static var dossierID: DossierID { DossierID(id)! }

    struct Paper {
        var kind: DocumentKind
        var name: String
        var bytes: [UInt8]
    }

    static func v1Papers() throws -> [Paper] {
        [
            Paper(kind: .teamConsensus, name: "团队协商一致书.txt", bytes: Array("团队内部协商一致书面约定：王芳 60%，李强 40%。\n".utf8)),
            Paper(kind: .grantApplication, name: "赋权申请书.txt", bytes: Array("赋权申请：申请人王芳，申请所有权。\n".utf8)),
            Paper(kind: .unitApproval, name: "单位审批意见.pdf", bytes: try FourPropertiesFixtures.bytes("clean.pdf")),
            Paper(kind: .publicityRecord, name: "公示记录.txt", bytes: Array("单位内公示：2021年3月1日至3月20日，无异议。\n".utf8)),
        ]
    }

    static func v3Papers() throws -> [Paper] {
        [
            Paper(kind: .ownershipAgreement, name: "赋权协议.pdf", bytes: try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/signatures/rsa-pades.pdf")),
            Paper(kind: .ownershipChangeRecord, name: "权属变更登记.ofd", bytes: try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/ofd/sealed.ofd")),
        ]
    }

    /// Builds the vault in `root/Vault`; `change` may replace or drop papers before they are filed.
    @discardableResult
    static func build(at root: String, v1 change1: (inout [Paper]) throws -> Void = { _ in }, v3 change3: (inout [Paper]) throws -> Void = { _ in }) throws -> VaultBuilder {
        let builder = try VaultBuilder(root: root)
        // The vault trusts the signatures' CAs when the papers are filed (R28 records the verdicts).
        try trustAnchors(builder)
        var first = try v1Papers()
        try change1(&first)
        try builder.create(id, title: "一种风光互补储能系统的控制方法", documents: first.map { ($0.kind, $0.name, $0.bytes) },
            moreFacts: [.unitApproval: ["decision": "approved", "approvedOn": "2021-02-20"]])
        try builder.file(id, [], update: ["title": "一种风光互补储能系统的控制方法及装置"])
        var third = try v3Papers()
        try change3(&third)
        try builder.file(id, third.map { ($0.kind, $0.name, $0.bytes) })
        return builder
    }

    /// Adds the anchors the clean dossier's signatures chain to to the vault's trust store.
    static func trustAnchors(_ builder: VaultBuilder) throws {
        for file in ["signatures/pki/rsa-ca.pem", "ofd/ca.pem"] {
            _ = try builder.vault.addTrustAnchors(fromFile: "\(packageRoot)/Tests/Fixtures/\(file)", by: builder.agent)
        }
    }

    /// The anchors the clean dossier's signatures chain to.
    static func anchors() throws -> [TrustAnchor] {
        try TrustAnchor.load(contentsOfFile: "\(packageRoot)/Tests/Fixtures/signatures/pki/rsa-ca.pem")
            + TrustAnchor.load(contentsOfFile: "\(packageRoot)/Tests/Fixtures/ofd/ca.pem")
    }

    /// Options with every item (the transfer stage's list), the anchors and a scanner that knows EICAR.
    static func options(stage: CheckStage? = nil, scannerIn folder: String?) throws -> FourPropertiesOptions {
        let now = Timestamp.rfc3339(unixSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: 8 * 3600)
        var options = FourPropertiesOptions(stage: stage, asOf: try #require(LocalDate("2026-12-01")), checkedAt: now, signatureTime: now)
        options.anchors = try anchors()
        if let folder { options.scanner = try VirusScanner(databaseAt: try FourPropertiesFixtures.eicarDatabase(in: "\(folder)/clamav-db")) }
        return options
    }

    /// Checks the dossier (every item unless `stage` says otherwise).
    static func check(_ vault: Vault, stage: CheckStage? = nil, scratch: String, reread: Bool = false) throws -> FourPropertiesReport {
        var options = try options(stage: stage, scannerIn: scratch)
        options.rereadText = reread
        let run = try vault.check([dossierID], options: options, by: Agent(name: "档案员", email: "archivist@example.org"))
        return try #require(run.reports.first)
    }

    /// The items whose outcome is `outcome`.
    static func items(_ report: FourPropertiesReport, _ outcome: CheckOutcome) -> [CheckItem] {
        report.items.filter { $0.outcome == outcome }.map(\.item)
    }

    /// What a clean dossier's check says of every item but the failures a test expects: passed,
    /// except S4 (not classified: not applicable).
    static func expectOnly(_ failed: [CheckItem], in report: FourPropertiesReport, notRun extraNotRun: [CheckItem] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(items(report, .failed) == failed, "\(lines(report))", sourceLocation: sourceLocation)
        #expect(items(report, .warning) == [], "\(lines(report))", sourceLocation: sourceLocation)
        #expect(items(report, .notRun) == extraNotRun.sorted(), "\(lines(report))", sourceLocation: sourceLocation)
        #expect(items(report, .notApplicable) == [.S4], sourceLocation: sourceLocation)
    }

    static func lines(_ report: FourPropertiesReport) -> String {
        report.items.map { result in
            "\(result.item.rawValue) \(result.outcome.rawValue): \(result.summary)" + result.details.filter { $0.outcome != .passed }.map { "\n    \($0.outcome.rawValue) \($0.description)" }.joined()
        }.joined(separator: "\n")
    }
}

/// Rewrites objects as a forger with write access to the store would: the changed files, and every
/// inventory and sidecar made consistent with them, so that only the vault's own checks can tell.
enum StoreForgery {
    static func objectRoot(_ vault: Vault, _ id: String) -> String { vault.store.objectRoot(for: DossierID(id)!) }

    static func inventory(_ root: String) throws -> JSONObject {
        try #require(try JSONValue.parse(try FileSystem.readFile("\(root)/inventory.json")).objectValue)
    }

    /// Writes the root inventory and the head version's copy, each with its sidecar.
    static func writeInventory(_ object: JSONObject, root: String) throws {
        let bytes = Array(JSONValue.object(object).serialized().utf8)
        let digest = try NamedHasher.hex("sha512", of: bytes)
        let head = try #require(object["head"]?.stringValue)
        for folder in [root, "\(root)/\(head)"] {
            try writeFile("\(folder)/inventory.json", bytes)
            try writeFile("\(folder)/inventory.json.sha512", "\(digest)  inventory.json\n")
        }
    }

    /// Changes the head version's dossier.json with `transform`, keeping the inventory consistent.
    static func rewriteHeadRecord(_ vault: Vault, _ id: String, _ transform: (inout JSONObject) -> Void) throws {
        let root = objectRoot(vault, id)
        var inventory = try inventory(root)
        let head = try #require(inventory["head"]?.stringValue)
        var versions = try #require(inventory["versions"]?.objectValue)
        var block = try #require(versions[head]?.objectValue)
        var state = try #require(block["state"]?.objectValue)
        let oldDigest = try #require(state.first { $0.value.arrayValue?.contains(.string("dossier.json")) == true }?.key)
        var manifest = try #require(inventory["manifest"]?.objectValue)
        let contentPath = try #require(manifest[oldDigest]?.arrayValue?.first?.stringValue)
        #expect(contentPath.hasPrefix("\(head)/"), "the head's record must be its own file")
        var record = try #require(try JSONValue.parse(try FileSystem.readFile("\(root)/\(contentPath)")).objectValue)
        transform(&record)
        let bytes = Array(JSONValue.object(record).serialized().utf8)
        try writeFile("\(root)/\(contentPath)", bytes)
        let newDigest = try NamedHasher.hex("sha512", of: bytes)
        manifest[oldDigest] = nil
        manifest[newDigest] = [.string(contentPath)]
        state[oldDigest] = nil
        state[newDigest] = ["dossier.json"]
        block["state"] = .object(state)
        versions[head] = .object(block)
        var fixity = try #require(inventory["fixity"]?["sha256"]?.objectValue)
        for (key, value) in fixity where value.arrayValue?.contains(.string(contentPath)) == true { fixity[key] = nil }
        fixity[try NamedHasher.hex("sha256", of: bytes)] = [.string(contentPath)]
        inventory["manifest"] = .object(manifest)
        inventory["versions"] = .object(versions)
        inventory["fixity"] = ["sha256": .object(fixity)]
        try writeInventory(inventory, root: root)
    }

    /// Removes version `name` (one that filed nothing but its record) from the object.
    static func removeVersion(_ vault: Vault, _ id: String, _ name: String) throws {
        let root = objectRoot(vault, id)
        var inventory = try inventory(root)
        var versions = try #require(inventory["versions"]?.objectValue)
        versions[name] = nil
        var manifest = try #require(inventory["manifest"]?.objectValue)
        for (digest, paths) in manifest where paths.arrayValue?.contains(where: { $0.stringValue?.hasPrefix("\(name)/") == true }) == true {
            manifest[digest] = nil
        }
        var fixity = try #require(inventory["fixity"]?["sha256"]?.objectValue)
        for (digest, paths) in fixity where paths.arrayValue?.contains(where: { $0.stringValue?.hasPrefix("\(name)/") == true }) == true {
            fixity[digest] = nil
        }
        inventory["versions"] = .object(versions)
        inventory["manifest"] = .object(manifest)
        inventory["fixity"] = ["sha256": .object(fixity)]
        try FileSystem.removeTree("\(root)/\(name)")
        try writeInventory(inventory, root: root)
    }

    /// The content file of a logical path in the head version.
    static func contentFile(_ vault: Vault, _ id: String, _ logicalPath: String) throws -> String {
        let root = objectRoot(vault, id)
        let inventory = try inventory(root)
        let head = try #require(inventory["head"]?.stringValue)
        let state = try #require(inventory["versions"]?[head]?["state"]?.objectValue)
        let digest = try #require(state.first { $0.value.arrayValue?.contains(.string(logicalPath)) == true }?.key)
        return "\(root)/\(try #require(inventory["manifest"]?[digest]?.arrayValue?.first?.stringValue))"
    }
}
