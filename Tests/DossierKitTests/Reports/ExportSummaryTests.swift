@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// 说明.html as built: what it shows of a dossier, the signature verdicts the record holds, the
/// four-properties section when there is one, and what it withholds for encrypted papers.
@Suite("The bag's summary page")
struct ExportSummaryTests {
    static let id = DossierID("IMUT-2021-0007")!

    static func summary(disclosure: ExportSummary.Disclosure, encrypted: Bool, fourProperties: FourPropertiesSection? = nil) throws -> String {
        let signature = SignatureVerdict(
            format: .pades, status: .valid, signer: "内蒙古工业大学法务签章", signedAt: "2022-06-01T15:00:00+08:00", algorithm: "SM2-SM3",
            coversWholeDocument: true, trustAnchor: nil, checkedAt: "2022-06-02T10:00:00+08:00", reason: nil)
        let contract = DocumentEntry(
            path: "documents/transfer-contract/许可合同.pdf", kind: .transferContract, sha512: try Hasher.digest(.sha512, of: [1]), size: 9_000,
            mediaType: "application/pdf", filedAt: "2022-06-02T10:00:00+08:00", filedBy: "张律师",
            facts: ["signedOn": "2022-06-01", "price": 820_000, "counterparty": ["name": "包头某稀土材料有限公司", "kind": "non-state"]],
            encryption: encrypted ? DocumentEncryption(readers: ["保密办公室"], size: 8_800) : nil, signatures: [signature])
        let record = DossierRecord(
            id: id, title: "稀土永磁材料的低温烧结工艺", unit: "imut", type: .patent, funding: .fiscal, grant: .ownership,
            classification: encrypted ? .secret : .none, completers: [Completer(name: "张伟", share: 70, representative: true)], documents: [contract])
        let ref = DocumentRef(path: contract.path, kind: .transferContract)
        let verdict = Verdict(
            findings: [Finding(rule: .r20, severity: .info, dossier: id, version: VersionNumber(2), documents: [ref], message: "the first conversion goes to 包头某稀土材料有限公司")],
            flags: FlagReport(dossier: id, version: VersionNumber(2), title: record.title, flags: [RaisedFlag(flag: .outOfRegion, reason: "first conversion to 包头某稀土材料有限公司")], review: .pending),
            status: .pendingReview, asOf: LocalDate("2026-11-28")!, profile: "nmg-2020")
        let history = [
            VersionSummary(version: VersionNumber(1), created: "2022-01-10T09:00:00+08:00", user: Agent(name: "演示档案员", email: "archivist@example.org"), message: "开卷", added: [], modified: [], removed: [], renamed: [], recordChanges: ["created"]),
            VersionSummary(version: VersionNumber(2), created: "2022-06-02T10:00:00+08:00", user: Agent(name: "张律师", email: "legal@imut.edu.cn"), message: "许可合同", added: [contract.path], modified: [], removed: [], renamed: [], recordChanges: []),
        ]
        let page = ExportSummary(
            record: record, version: VersionNumber(2), history: history, verdict: verdict, organisation: "试点", unitName: "内蒙古工业大学",
            bagName: "IMUT-2021-0007-v2", classification: record.classification, disclosure: disclosure,
            payloadEncryption: encrypted ? (disclosure == .full ? "none" : "age") : nil, bagPaths: [:],
            fourProperties: fourProperties,
            seal: ExportSummary.Seal(algorithm: .ed25519, fingerprint: "sha256:" + String(repeating: "ab", count: 32)))
        return String(decoding: page.bytes, as: UTF8.self)
    }

    @Test("an open dossier's page shows its papers' facts, their signature verdicts, versions, findings and flags, and the openssl command")
    func openDossier() throws {
        let page = try ExportSummaryTests.summary(disclosure: .full, encrypted: false)
        for text in ["许可合同.pdf", "data/<wbr>documents/<wbr>transfer-contract/<wbr>许可合同.pdf", "包头某稀土材料有限公司", "<span class=\"nb\">2022-06-01</span>", "金额（元） price",
                     "有效 valid", "签署人 signer: 内蒙古工业大学法务签章", "SM2-SM3", "演示档案员", "张律师", "开卷",
                     "R20", "OUT-OF-REGION 区外转化", "pending review 待保密审查",
                     "openssl pkeyutl -verify -pubin -inkey seal.pem -rawin -in IMUT-2021-0007-v2/tagmanifest-sha512.txt -sigfile IMUT-2021-0007-v2/tagmanifest-sha512.txt.sig"] {
            #expect(page.contains(text), "\(text)")
        }
        // No outside reference: the page is read as it is, wherever the bag goes
        for reference in ["http:", "https:", "src=", "href=", "<link", "<script", "@import", "url("] {
            #expect(!page.contains(reference), "\(reference)")
        }
        #expect(!page.contains("four-properties"))
    }

    @Test("an encrypted paper is named with its kind, and its facts, signer and the findings' wording are withheld; --plaintext shows them")
    func classifiedDossier() throws {
        let page = try ExportSummaryTests.summary(disclosure: .withheld, encrypted: true)
        for text in ["许可合同.pdf", "transfer-contract", "张律师", "8.6 KiB（已加密 encrypted）", "withheld", "秘密 secret", "papers encrypted to the receiving auditor (age)", "R20", "OUT-OF-REGION", "pades: valid 有效"] {
            #expect(page.contains(text), "\(text)")
        }
        for secret in ["包头某稀土材料有限公司", "2022-06-01", "820", "内蒙古工业大学法务签章"] {
            #expect(!page.contains(secret), "\(secret)")
        }
        let plain = try ExportSummaryTests.summary(disclosure: .full, encrypted: true)
        #expect(plain.contains("包头某稀土材料有限公司"))
        #expect(plain.contains("papers exported in the clear (recorded in the audit log)"))
    }

    @Test("the four-properties result, when the check ran, is a section of its own, read from its JSON")
    func fourProperties() throws {
        let json: JSONValue = ["stage": "transfer", "items": [
            ["code": "A1", "property": "真实性 authenticity", "check": "fixity", "result": "passed"],
            ["code": "S2", "property": "安全性 security", "check": "virus scan", "result": "not-run", "detail": "no ClamAV database"],
        ]]
        let section = try #require(FourPropertiesSection(json: json))
        #expect(section.items.map(\.outcome) == [.passed, .notRun])
        #expect(FourPropertiesSection(json: ["items": [["code": "A1", "result": "maybe"]]]) == nil)
        let page = try ExportSummaryTests.summary(disclosure: .full, encrypted: false, fourProperties: section)
        #expect(page.contains("四性检测"))
        #expect(page.contains("通过 passed"))
        #expect(page.contains("未检测 not-run"))
        #expect(page.contains("no ClamAV database"))
    }

    @Test("the verdicts shown are those the record carries through dossier.json; a paper without them shows none")
    func recordedSignatures() throws {
        let page = try ExportSummaryTests.summary(disclosure: .full, encrypted: false)
        #expect(page.contains("签署人 signer: 内蒙古工业大学法务签章"))
        // The record as stored: the verdicts survive its JSON, and a document without any has none
        let verdict: JSONValue = ["format": "cms", "status": "untrusted", "coversWholeDocument": true, "checkedAt": "2022-06-02T10:00:00+08:00"]
        let sha = String(repeating: "ab", count: 64)
        let json: JSONValue = [
            "id": "IMUT-2021-0007", "title": "稀土", "unit": "imut", "type": "patent", "funding": "fiscal", "grant": "ownership",
            "classification": "none", "completers": [],
            "documents": [
                ["path": "documents/transfer-contract/x.txt", "kind": "transfer-contract", "sha512": .string(sha), "size": 3, "mediaType": "text/plain",
                 "filedAt": "2022-06-02T10:00:00+08:00", "filedBy": "张律师", "facts": [:], "signatures": [verdict]],
                ["path": "documents/transfer-contract/y.txt", "kind": "transfer-contract", "sha512": .string(sha), "size": 3, "mediaType": "text/plain",
                 "filedAt": "2022-06-02T10:00:00+08:00", "filedBy": "张律师", "facts": [:]],
            ]]
        let record = try RecordCodec.decodeRecord(FieldReader(file: "dossier.json", value: json))
        #expect(record.documents.map(\.signatures.count) == [1, 0])
        #expect(record.documents.first?.signatures.first?.status == .untrusted)
    }
}
