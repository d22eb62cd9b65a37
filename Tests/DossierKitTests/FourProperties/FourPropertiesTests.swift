import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// The four-properties check of a dossier in the vault: a clean dossier passes every item, and a
/// dossier made to fail one item fails it and nothing else but what follows from it.
@Suite("Four-properties check of a dossier (DA/T 70)")
struct FourPropertiesTests {
    typealias C = CleanDossier
    typealias F = FourPropertiesFixtures

    @Test("a clean dossier passes every item (A4 by the inventory digests its audit lines recorded; S4 not applicable: not classified)")
    func clean() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([], in: report)
            #expect(report.items.map(\.item) == CheckItem.allCases)
            #expect(report.kind == .dossier)
            #expect(report.version == "v3")
            #expect(report.result(.A2)?.summary == "2 signed documents: 2 passed", "\(C.lines(report))")
            #expect(report.result(.S2)?.summary == "6 documents: 6 passed")
            #expect(report.result(.A4)?.summary == "3 versions unchanged since filed: each inventory.json hashes to the sha512 its audit line recorded", "\(C.lines(report))")
            // Each document's format is named, by content.
            let formats = report.result(.U2)?.details.map(\.description) ?? []
            #expect(formats.contains("documents/unit-approval/单位审批意见.pdf: PDF 1.4"))
            #expect(formats.contains("documents/ownership-change-record/权属变更登记.ofd: OFD package (GB/T 33190)"))
        }
    }

    @Test("A1: one flipped byte in a stored document fails A1 and nothing else")
    func flippedByte() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            // 'a' in "60%"'s neighbourhood stays text: flip the low bit of the final newline's predecessor.
            let file = try StoreForgery.contentFile(builder.vault, C.id, "documents/team-consensus/团队协商一致书.txt")
            try SampleVault.flipByte(in: file, at: -2)
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.A1], in: report)
            let details = report.result(.A1)?.details.map(\.reason) ?? []
            #expect(details.count == 2)
            #expect(details.allSatisfy { $0.hasPrefix("E092: its sha512") || $0.hasPrefix("E093: its sha256") })
            #expect(report.result(.A1)?.details.first?.file == "v1/content/documents/team-consensus/团队协商一致书.txt")
        }
    }

    @Test("A2: a signed PDF changed after signing (filed as it is) fails A2 and nothing else")
    func alteredSignedPDF() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v3: { papers in
                papers[0].bytes = TestBytes.replacing("Ownership agreement", with: "Ownership agreemenT", in: papers[0].bytes)
            })
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.A2], in: report)
            let detail = try #require(report.result(.A2)?.details.first { $0.outcome == .failed })
            #expect(detail.file == "documents/ownership-agreement/赋权协议.pdf")
            #expect(detail.reason.hasPrefix("pades invalid"), "\(detail.reason)")
        }
    }

    @Test("A3: a record whose size disagrees with the stored file (inventory forged to match) fails A3, and A4 as follows")
    func sizeDisagrees() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            try StoreForgery.rewriteHeadRecord(builder.vault, C.id) { record in
                guard var documents = record["documents"]?.arrayValue, var first = documents[0].objectValue else { return }
                first["size"] = .number((first["size"]?.numberValue ?? 0) + 1)
                documents[0] = .object(first)
                record["documents"] = .array(documents)
            }
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.A3, .A4], in: report)
            // A4: the forged head inventory no longer hashes to what its filing line recorded
            #expect(report.result(.A4)?.details.map(\.file) == ["v3/inventory.json"], "\(C.lines(report))")
            #expect(report.result(.A4)?.details.first?.reason.contains("when it was filed: the version changed since") == true)
            let reasons = report.result(.A3)?.details.map(\.reason) ?? []
            #expect(reasons.count == 1)
            #expect(reasons.first?.hasPrefix("D008: gives documents/team-consensus/团队协商一致书.txt the size ") == true, "\(reasons)")
        }
    }

    @Test("I3: a grant without its publicity record fails I3 and nothing else")
    func missingPaper() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers.removeAll { $0.kind == .publicityRecord } })
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.I3], in: report)
            let reasons = report.result(.I3)?.details.map(\.reason) ?? []
            #expect(reasons.count == 1)
            #expect(reasons.first?.hasPrefix("R03: ") == true)
            #expect(reasons.first?.contains("publicity-record") == true, "\(reasons)")
        }
    }

    @Test("I4: a version removed from the object (inventory forged to match) fails I4, and A4 as follows")
    func missingVersion() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            try StoreForgery.removeVersion(builder.vault, C.id, "v2")
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.A4, .I4], in: report)
            let reasons = report.result(.I4)?.details.map(\.description) ?? []
            #expect(reasons.contains { $0.contains("E010") && $0.contains("v2 missing") }, "\(reasons)")
            #expect(reasons.contains { $0.hasPrefix("audit.log: line ") && $0.hasSuffix("records the filing of v2, which the dossier does not have") }, "\(reasons)")
        }
    }

    @Test("U2: a PNG named .pdf fails U2, and U3 as follows (an image with no text, no OCR)")
    func pngNamedPDF() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[2].bytes = F.png })
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.U2, .U3], in: report)
            let u2 = try #require(report.result(.U2)?.details.first { $0.outcome == .failed })
            #expect(u2.file == "documents/unit-approval/单位审批意见.pdf")
            #expect(u2.reason.hasPrefix("its name says PDF, but its bytes are PNG image (PNG image data, 1 x 1"), "\(u2.reason)")
            let u3 = try #require(report.result(.U3)?.details.first { $0.outcome == .failed })
            #expect(u3.reason.hasSuffix("with no text layer, and no OCR engine is configured to read it"))
        }
    }

    @Test("U4: a password-protected PDF fails U4, and U3 as follows; its scripts and signatures cannot be looked at (not run)")
    func passwordProtected() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[2].bytes = try F.bytes("encrypted.pdf") })
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.U3, .U4], in: report, notRun: [.A2, .S1])
            #expect(report.result(.U4)?.details.first { $0.outcome == .failed }?.reason == "the PDF is encrypted and needs a password to open")
            #expect(report.result(.U3)?.details.first { $0.outcome == .failed }?.reason == "needs a password to open, so no text can be read")
        }
    }

    @Test("S1: a PDF with JavaScript fails S1 and nothing else; so do a launch action, an embedded program and macros")
    func javaScript() throws {
        let cases: [(String, String, String)] = [
            ("javascript.pdf", "单位审批意见.pdf", "JavaScript in object 9 (an action /S /JavaScript)"),
            ("launch.pdf", "单位审批意见.pdf", "launch actions in object 9 (an action /S /Launch)"),
            ("embedded-exe.pdf", "单位审批意见.pdf", "embedded programs: tool.exe (ELF 64-bit"),
            ("macro.docm", "单位审批意见.docm", "macros (VBA): word/vbaProject.bin"),
        ]
        for (fixture, name, expected) in cases {
            try withTemporaryDirectory { root in
                let builder = try C.build(at: root, v1: { papers in
                    papers[2].bytes = try F.bytes(fixture)
                    papers[2].name = name
                })
                let report = try C.check(builder.vault, scratch: root)
                if fixture == "macro.docm" {
                    // A DOCX is accepted with a warning (U2).
                    #expect(C.items(report, .failed) == [.S1], "\(C.lines(report))")
                    #expect(C.items(report, .warning) == [.U2])
                } else {
                    C.expectOnly([.S1], in: report)
                }
                let reason = report.result(.S1)?.details.first { $0.outcome == .failed }?.reason ?? ""
                #expect(reason.hasPrefix(expected), "\(fixture): \(reason)")
            }
        }
    }

    @Test("S1: an embedded XML file (PDF/A-3 style) is a warning, not a failure")
    func embeddedData() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[2].bytes = try F.bytes("embedded-xml.pdf") })
            let report = try C.check(builder.vault, scratch: root)
            #expect(C.items(report, .failed) == [])
            #expect(C.items(report, .warning) == [.S1])
            #expect(report.result(.S1)?.details.first { $0.outcome == .warning }?.reason == "embedded files: invoice.xml")
        }
    }

    @Test("S2: the EICAR file, scanned with the test database, fails S2 and nothing else; without a database S2 is not run")
    func eicar() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[1].bytes = F.eicar })
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.S2], in: report)
            let detail = try #require(report.result(.S2)?.details.first { $0.outcome == .failed })
            #expect(detail.file == "documents/grant-application/赋权申请书.txt")
            #expect(detail.reason == "ClamAV found Eicar-Test-Signature.UNOFFICIAL")

            var options = try C.options(scannerIn: nil)
            options.stage = .filing
            let unscanned = try #require(try builder.vault.check([C.dossierID], options: options, by: builder.agent).reports.first)
            #expect(unscanned.result(.S2)?.outcome == .notRun)
            #expect(unscanned.result(.S2)?.summary == "no virus signature database was given (--clamav-db DIR); Debian ships none offline")
        }
    }

    @Test("S3: an edited audit line fails S3 and nothing else")
    func editedAuditLine() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            let log = "\(builder.vault.home)/audit.log"
            let text = try readText(log)
            // Lines 1 and 2 add the trust anchors; line 3 opens the dossier, the first with a message.
            try writeFile(log, text.replacingOccurrences(of: "\"message\":\"", with: "\"message\":\"(edited) "))
            let report = try C.check(builder.vault, scratch: root)
            C.expectOnly([.S3], in: report)
            let reasons = report.result(.S3)?.details.map(\.description) ?? []
            #expect(reasons.first?.hasPrefix("audit.log: line 3 was changed after it was written") == true, "\(reasons)")
        }
    }

    @Test("the storage stage runs its nine items; its periodic run over the whole vault is an audit line")
    func storageStage() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            var options = try C.options(stage: .storage, scannerIn: nil)
            let run = try builder.vault.check([], options: options, by: builder.agent)
            let report = try #require(run.reports.first)
            #expect(report.items.map(\.item) == [.A1, .A4, .A6, .I1, .I4, .U1, .U3, .S3, .S4])
            #expect(C.items(report, .passed) == [.A1, .A4, .A6, .I1, .I4, .U1, .U3, .S3])
            // U3 takes what the index read from the same bytes.
            #expect(report.result(.U3)?.details.allSatisfy { $0.reason.hasPrefix("text read when it was indexed") } == true, "\(C.lines(report))")
            let line = try #require(run.auditLine)
            let record = try #require(try builder.vault.auditLog.records().last)
            #expect(record.line == line)
            #expect(record.action == .check)
            #expect(record.fields["dossiers"] == 1)
            #expect(record.fields["passed"] == 1)
            #expect(record.fields["notRun"] == nil || record.fields["notRun"] == [:], "\(record.fields)")
            // Named dossiers, or another stage, are not the periodic job: no line.
            options.stage = .storage
            #expect(try builder.vault.check([C.dossierID], options: options, by: builder.agent).auditLine == nil)
            #expect(try builder.vault.auditLog.records().count == record.line)
            // --reread reads the text again.
            options.rereadText = true
            let reread = try #require(try builder.vault.check([C.dossierID], options: options, by: builder.agent).reports.first)
            #expect(reread.result(.U3)?.details.allSatisfy { $0.reason.hasSuffix("characters of text (UTF-8 text)") || $0.reason.contains("characters of text (") } == true)
            #expect(reread.result(.U3)?.outcome == .passed)
        }
    }

    @Test("a document changed behind the index's back is read again for U3, not taken from the index")
    func staleIndex() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            // The index is built and records the text of every document.
            _ = try C.check(builder.vault, stage: .storage, scratch: root)
            let file = try StoreForgery.contentFile(builder.vault, C.id, "documents/publicity-record/公示记录.txt")
            try writeFile(file, [UInt8](repeating: 0xFF, count: 40))
            let report = try C.check(builder.vault, stage: .storage, scratch: root)
            #expect(C.items(report, .failed) == [.A1, .U3], "\(C.lines(report))")
        }
    }

    @Test("a classified dossier: S4 passes (encrypted at rest, reads logged); content is checked only with a cleared identity, and that read is logged")
    func classified() throws {
        try withTemporaryDirectory { root in
            var builder = try VaultBuilder(root: root)
            try C.trustAnchors(builder)
            let officer = try TestIdentity(at: "\(root)/officer.key")
            builder.vault = try builder.vault.clearing("保密办公室", .secret, officer)
            var record = VaultBuilder.record(C.id)
            record.classification = .secret
            record.secrecy = Secrecy(level: .secret, classifiedOn: LocalDate("2024-01-01"), until: LocalDate("2030-12-31"), readers: ["保密办公室"])
            try builder.vault.withStaging { staging in
                var incoming: [IncomingDocument] = []
                for (index, paper) in try (C.v1Papers() + C.v3Papers()).enumerated() {
                    let source = "\(staging)/source-\(index)"
                    try writeFile(source, paper.bytes)
                    var plaintextSize: Int64 = 0
                    let staged = try builder.vault.filer.stage(
                        fileAt: source, into: staging, encryptingFor: [officer.identity.recipient], plaintextSize: &plaintextSize)
                    var facts = VaultBuilder.baseFacts
                    if paper.kind == .unitApproval { facts["decision"] = "approved" }
                    incoming.append(IncomingDocument(
                        kind: paper.kind, fileName: paper.name, facts: facts, content: staged, origin: paper.name,
                        encryption: DocumentEncryption(readers: ["保密办公室"], size: plaintextSize)))
                }
                _ = try builder.vault.apply(DossierChange(target: .create(record), documents: incoming, user: builder.agent, source: "test"), to: C.dossierID, staging: staging)
            }
            // Without a key: S4 passes, content items are not run for the classified papers.
            let blind = try C.check(builder.vault, scratch: root)
            #expect(blind.result(.S4)?.outcome == .passed, "\(C.lines(blind))")
            #expect(blind.result(.S4)?.summary.hasPrefix("classified secret: 6 papers in 1 versions stored encrypted (age)") == true, "\(C.lines(blind))")
            #expect(C.items(blind, .failed) == [])
            #expect(C.items(blind, .notRun) == [.A2, .U2, .U3, .S1, .S2], "\(C.lines(blind))")
            #expect(blind.result(.U4)?.outcome == .passed)
            #expect(blind.result(.U4)?.details.first?.reason.hasPrefix("stored encrypted by the vault (age, to 保密办公室) for its classification") == true)
            // With the officer's identity: every content item runs, and each paper's read is an audit line.
            let lines = try builder.vault.auditLog.records().count
            let access = try ReadAccess.load(identityFile: officer.path, reason: "年度四性检测", settings: builder.vault.settings)
            let options = try C.options(scannerIn: root)
            let run = try builder.vault.check([C.dossierID], options: options, access: access, by: builder.agent)
            let seeing = try #require(run.reports.first)
            #expect(C.items(seeing, .failed) == [], "\(C.lines(seeing))")
            #expect(C.items(seeing, .notRun) == [], "\(C.lines(seeing))")
            #expect(seeing.result(.S4)?.outcome == .passed)
            let reads = try builder.vault.auditLog.records().dropFirst(lines)
            #expect(reads.count == 6)
            #expect(reads.allSatisfy { $0.action == .read && $0.fields["read"] == "check" && $0.fields["reason"] == "年度四性检测" })
        }
    }

    @Test("the filing stage runs its thirteen items on a version just filed; a failed one does not refuse the filing")
    func filingStage() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            let filed = try builder.file(C.id, [(.annualReport, "2024年度报告.pdf", F.png)], facts: ["issuedOn": "2025-03-01", "parties": ["内蒙古工业大学"], "year": 2024])
            let report = builder.vault.checkFiling(filed, options: try C.options(scannerIn: root))
            #expect(report.stage == .filing)
            #expect(report.items.map(\.item) == [.A1, .A2, .A3, .A5, .I2, .I3, .I5, .U1, .U2, .U3, .U4, .S1, .S2])
            // U3: an image whose text the index step's OCR has not read yet is a warning at filing.
            #expect(C.items(report, .failed) == [.U2], "\(C.lines(report))")
            #expect(C.items(report, .warning) == [.U3], "\(C.lines(report))")
            #expect(report.result(.A1)?.summary == "sha512 and sha256 of the 1 new file computed as they were copied into the store; the storage-stage check reads them again")
            #expect(report.version == "v4")
        }
    }

    @Test("a report's JSON keeps its keys, and the HTML page holds every item in Chinese and English")
    func renderings() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[2].bytes = try F.bytes("javascript.pdf") })
            let report = try C.check(builder.vault, scratch: root)
            let json = report.json
            #expect(json["subject"] == "IMUT-2024-0001")
            #expect(json["outcome"] == "failed")
            #expect(json["standard"] == "DA/T 70-2018")
            #expect(json["counts"]?["failed"] == 1)
            let s1 = try #require(json["items"]?.arrayValue?.first { $0["item"] == "S1" })
            #expect(s1["property"] == "security")
            #expect(s1["propertyZh"] == "安全性")
            #expect(s1["outcome"] == "failed")
            #expect(s1["details"]?.arrayValue?.contains { $0["file"] == "documents/unit-approval/单位审批意见.pdf" && $0["outcome"] == "failed" } == true)
            let page = FourPropertiesHTML.page(reports: [report], organisation: "内蒙古工业大学", stage: nil, checkedAt: "2026-12-01T10:00:00+08:00", asOf: try #require(LocalDate("2026-12-01")))
            #expect(page.contains("电子档案四性检测报告"))
            for item in CheckItem.allCases {
                #expect(page.contains("<td>\(item.rawValue)</td>"))
                #expect(page.contains(item.chineseTitle))
            }
            #expect(page.contains("检测人 Checked by"))
            #expect(page.contains("JavaScript in object 9"))
            #expect(!page.contains("<script"))
        }
    }
}
