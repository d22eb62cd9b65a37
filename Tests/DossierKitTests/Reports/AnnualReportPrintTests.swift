@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// A long annual report printed by headless Chromium: pages follow one another with every row,
/// whole dates and nothing past the margins.
@Suite("Annual report printed over several pages")
struct AnnualReportPrintTests {
    @Test("45 rows with long titles and counterparties print on numbered A4 landscape pages, every row and date whole, inside the margins")
    func manyRows() throws {
        try withTemporaryDirectory { directory in
            // Given 45 grants approved in 2022, each with a long title, a long counterparty and a contract (every third in 2023)
            let index = try DossierIndex.inMemory()
            var ids: [String] = []
            for number in 1...45 {
                let id = String(format: "IMUT-2022-%04d", number)
                ids.append(id)
                let contractDate = number % 3 == 0 ? "2023-02-\(String(format: "%02d", number % 28 + 1))" : "2022-11-\(String(format: "%02d", number % 28 + 1))"
                try index.replace(IndexSamples.dossier(id, title: "一种适用于高寒干旱草原地区的复合微生物菌剂及其制备方法与应用第\(number)号", documents: [
                    IndexSamples.document(.grantApplication, "申请.txt", text: "申请", facts: ["appliedOn": "2022-02-01"], date: "2022-02-01"),
                    IndexSamples.document(.unitApproval, "审批.txt", text: "同意", facts: ["decision": "approved", "approvedOn": "2022-03-01"], date: "2022-03-01"),
                    IndexSamples.document(.publicityRecord, "公示.txt", text: "公示", facts: ["startsOn": "2022-03-02", "endsOn": "2022-03-20"], date: "2022-03-21"),
                    IndexSamples.document(.ownershipAgreement, "协议.txt", text: "协议", date: "2022-04-01"),
                    IndexSamples.document(.transferContract, "合同.txt", text: "合同", facts: [
                        "counterparty": ["name": .string("内蒙古某某生物技术股份有限公司呼和浩特分公司第\(number)研究所"), "kind": "non-state"],
                        "price": .number(Double(number) * 123_456.78),
                    ], date: contractDate),
                ], enrichment: IndexEnrichment(status: number % 2 == 0 ? .pendingReview : .inOrder, flags: number % 2 == 0 ? [.outOfRegion, .leaderEquity] : [])))
            }
            var report = AnnualReport(unit: "imut", unitName: "内蒙古工业大学", organisation: "试点", year: 2022, dossiers: try index.list())
            report.generatedAt = "2026-11-28T09:00:00+08:00"
            report.asOf = LocalDate("2026-11-28")
            #expect(report.rows.count == 45)
            try writeFile("\(directory)/report.html", report.rendered(.html))
            // When Chromium prints it
            try PrintedPage.printToPDF("\(directory)/report.html", "\(directory)/report.pdf")
            let info = try PrintedPage.info("\(directory)/report.pdf")
            let text = try PrintedPage.text("\(directory)/report.pdf")
            // Then it takes several A4 landscape pages, each numbered "第 N 页，共 M 页"
            #expect(info.pages >= 3, "\(info)")
            #expect(abs(info.width - 841.92) < 1 && abs(info.height - 594.96) < 1)
            let squeezed = text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)
            let flat = String(squeezed)
            for page in 1...info.pages { #expect(flat.contains("第\(page)页，共\(info.pages)页"), "page \(page)") }
            // And every row is there once (and once more in its note, for a 2023 contract), with its dates whole on a line
            for (offset, id) in ids.enumerated() { #expect(text.components(separatedBy: id).count == ((offset + 1) % 3 == 0 ? 3 : 2), "\(id)") }
            #expect(text.components(separatedBy: "2022-03-02–").count - 1 == 45)
            #expect(text.components(separatedBy: "2022-03-20").count - 1 >= 45)
            // And each contract of 2023 has its note (15 of them)
            #expect(report.notes.count == 15)
            #expect(flat.contains("⑮IMUT-2022-0045：合同签订于2023-02-18"))
            // And nothing is printed in the left or right margin of any page
            let rasters = try PrintedPage.rasters("\(directory)/report.pdf", dpi: 60)
            #expect(rasters.count == info.pages)
            let strip = 8 * 60 * 10 / 254
            for (number, page) in rasters.enumerated() {
                #expect(page.darkest(columns: 0..<strip) > 200, "page \(number + 1): ink in the left margin")
                #expect(page.darkest(columns: (page.width - strip)..<page.width) > 200, "page \(number + 1): ink in the right margin")
            }
        }
    }
}
