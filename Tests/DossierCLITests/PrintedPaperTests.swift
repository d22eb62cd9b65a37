import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// What a reader sees: the bag's 说明.html and the annual report, rendered and printed by
/// headless Chromium, read back with poppler (pdftotext, pdftoppm).
@Suite("Papers as Chromium prints them: the bag's summary and the annual report")
struct PrintedPaperTests {
    @Test("说明.html in a bag shows the dossier, its versions, papers, facts, findings and how to verify; a classified bag's names its papers and withholds their facts")
    func summaryInChromium() throws {
        try withTemporaryDirectory { directory in
            // Given the demo vault, an open dossier exported, and the secret one exported for an auditor
            var environment = try SealCommandTests.demoVault(directory)
            try writeFile("\(directory)/officer.key", try FileSystem.readFile("\(packageRoot)/Demo/keys/demo-officer.key"))
            chmod("\(directory)/officer.key", 0o600)
            let auditor = try TestIdentity(at: "\(directory)/auditor.key")
            let fingerprint = try SealPublicKey(pem: try FileSystem.readFile("\(directory)/seal.pem")).fingerprint
            #expect(try runDossier(["export", "IMUT-2022-0031", "-o", "\(directory)/open.tar", "--as-of", SealCommandTests.asOf], environment: environment).status == 0)
            environment["DOSSIER_IDENTITY"] = "\(directory)/officer.key"
            let secret = try runDossier(
                ["export", "IMUT-2022-0015", "-o", "\(directory)/secret.tar", "--reason", "审计抽查", "--to", auditor.recipient, "--as-of", SealCommandTests.asOf],
                environment: environment)
            #expect(secret.status == 0, "\(secret.stderr)")
            try unpackArchive("\(directory)/open.tar", into: "\(directory)/open")
            try unpackArchive("\(directory)/secret.tar", into: "\(directory)/secret")
            // When Chromium prints each bag's 说明.html
            try PrintedPage.printToPDF("\(directory)/open/IMUT-2022-0031-v6/说明.html", "\(directory)/open.pdf")
            try PrintedPage.printToPDF("\(directory)/secret/IMUT-2022-0015-v7/说明.html", "\(directory)/secret.pdf")
            // (Compared without white space: a table cell wraps its text where the column ends.)
            let open = PrintedPaperTests.squeezed(try PrintedPage.text("\(directory)/open.pdf", layout: false))
            let closed = PrintedPaperTests.squeezed(try PrintedPage.text("\(directory)/secret.pdf", layout: false))
            // Then the open dossier's page shows its identity, versions and who filed them
            for text in ["档案说明", "Dossier summary", "IMUT-2022-0031", "高效煤化工催化剂及其制备方法", "in order 合规", "v6", "刘保密", "演示档案员"] {
                #expect(open.contains(PrintedPaperTests.squeezed(text)), "\(text)")
            }
            // And every paper with its kind, and the facts (a counterparty, a price, a licence number)
            for text in ["技术转让合同.txt", "transfer-contract", "转让/许可/作价投资合同", "Rheinkat Chemie GmbH", "EX-2023-0042", "2023-03-20"] {
                #expect(open.contains(PrintedPaperTests.squeezed(text)), "\(text)")
            }
            // And the findings and flags as of the day, with how to verify the bag and the seal's fingerprint
            for text in ["R20", "EXPORT", "OUT-OF-REGION", "2026-11-28", "bagit.py --validate IMUT-2022-0031-v6", "bdbag --validate full", "openssl pkeyutl -verify -pubin -inkey seal.pem -rawin", String(fingerprint.prefix(30))] {
                #expect(open.contains(PrintedPaperTests.squeezed(text)), "\(text)")
            }
            // And the secret dossier's page names its papers and kinds, says they are encrypted, and shows no fact
            for text in ["IMUT-2022-0015", "许可合同.txt", "涉密成果转化审批.txt", "secrecy-approval", "秘密 secret", "withheld", "papers encrypted to the receiving auditor (age)", "SECRET"] {
                #expect(closed.contains(PrintedPaperTests.squeezed(text)), "\(text)")
            }
            let record = try JSONValue.parse(try FileSystem.readFile("\(directory)/secret/IMUT-2022-0015-v7/metadata/dossier.json"))
            let contract = try #require(record["documents"]?.arrayValue?.first { $0["kind"] == "transfer-contract" })
            let counterparty = try #require(contract["facts"]?["counterparty"]?["name"]?.stringValue)
            let signedOn = try #require(contract["facts"]?["signedOn"]?.stringValue)
            #expect(!closed.contains(PrintedPaperTests.squeezed(counterparty)), "\(counterparty)")
            #expect(!closed.contains(signedOn), "\(signedOn)")
            // And what Chromium shows is what the page says: the bag's tag manifest lists the page
            #expect(try readText("\(directory)/open/IMUT-2022-0031-v6/tagmanifest-sha512.txt").contains("  说明.html\n"))
        }
    }

    @Test("the annual report prints on A4 landscape with every row, whole dates, notes, page numbers and the seal block, inside the margins")
    func annualReportInChromium() throws {
        try withTemporaryDirectory { directory in
            // Given imut's 2022 report of the demo vault (a 2023 contract on a 2022 grant among its rows)
            let environment = try SealCommandTests.demoVault(directory)
            let written = try runDossier(["report", "annual", "--unit", "imut", "--year", "2022", "--format", "html", "-o", "\(directory)/report.html"], environment: environment)
            #expect(written.status == 0, "\(written.stderr)")
            let json = try JSONValue.parse(try runDossier(["report", "annual", "--unit", "imut", "--year", "2022", "--format", "json"], environment: environment).stdoutBytes)
            // When Chromium prints it
            try PrintedPage.printToPDF("\(directory)/report.html", "\(directory)/report.pdf")
            let info = try PrintedPage.info("\(directory)/report.pdf")
            let text = try PrintedPage.text("\(directory)/report.pdf")
            let words = PrintedPaperTests.squeezed(text)
            // Then the page is A4 landscape
            #expect(abs(info.width - 841.92) < 1 && abs(info.height - 594.96) < 1, "\(info)")
            // And every row is there, with every date it holds on one line
            let rows = try #require(json["achievements"]?.arrayValue)
            #expect(rows.count == 3)
            for row in rows {
                #expect(text.contains(row["id"]?.stringValue ?? "?"), "\(row["id"] ?? .null)")
                for key in ["appliedOn", "approvedOn", "agreementSignedOn", "publicityStartsOn", "publicityEndsOn"] {
                    if let date = row[key]?.stringValue { #expect(text.contains(date), "\(key) \(date)") }
                }
                for date in row["contractsSignedOn"]?.arrayValue ?? [] { #expect(text.contains(date.stringValue ?? "?")) }
            }
            // And Chinese status and flag names beside the English, the dates it was made and judged as of
            for phrase in ["pending review", "待保密审查", "in order", "合规", "SECRET", "涉密", "EXPORT", "出口", "OUT-OF-REGION", "区外转化", "生成时间 generated", "status and flags as of"] {
                #expect(words.contains(PrintedPaperTests.squeezed(phrase)), "\(phrase)")
            }
            // And the 2023 contract of a 2022 grant is explained, the page numbered, the signature and seal block there
            for phrase in ["① IMUT-2022-0031：合同签订于 2023-03-20", "未计入本年度合计，计入 2023 年度", "第 1 页，共 1 页", "单位负责人（签字）", "单位（盖章）"] {
                #expect(words.contains(PrintedPaperTests.squeezed(phrase)), "\(phrase)")
            }
            // And nothing is printed in the page's left and right margins (10 mm): no column overflows
            try PrintedPaperTests.expectInsideMargins("\(directory)/report.pdf", pages: info.pages)
        }
    }

    /// Text without white space, to find phrases a table cell may have wrapped.
    /// (Hyphens go too: pdftotext joins a word broken after a hyphen at a line's end, dropping it.)
    static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" }.map(Character.init))
    }

    /// Every page's outer 8 mm on the left and right is blank at 60 dpi.
    static func expectInsideMargins(_ pdf: String, pages: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rasters = try PrintedPage.rasters(pdf, dpi: 60)
        #expect(rasters.count == pages, sourceLocation: sourceLocation)
        let strip = 8 * 60 * 10 / 254
        for (number, page) in rasters.enumerated() {
            #expect(page.darkest(columns: 0..<strip) > 200, "page \(number + 1): ink in the left margin", sourceLocation: sourceLocation)
            #expect(page.darkest(columns: (page.width - strip)..<page.width) > 200, "page \(number + 1): ink in the right margin", sourceLocation: sourceLocation)
        }
    }
}
