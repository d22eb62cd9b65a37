@testable import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("Annual report")
struct AnnualReportTests {
    /// imut: one grant approved in 2022 with a contract ("quoted, with a comma"), one granted in
    /// 2021 and converted in 2022, one granted in 2021 only, one without grant; imaaahs: one in 2022.
    static func report(year: Int = 2022) throws -> AnnualReport {
        let index = try DossierIndex.inMemory()
        func approval(_ date: String) -> IndexedDocument {
            IndexSamples.document(.unitApproval, "审批.txt", text: "同意", facts: ["decision": "approved", "approvedOn": .string(date)], date: date)
        }
        func contract(_ date: String, _ name: String, price: Double) -> IndexedDocument {
            IndexSamples.document(.transferContract, "合同\(date).txt", text: "合同", facts: ["counterparty": ["name": .string(name), "kind": "non-state"], "price": .number(price)], date: date)
        }
        try index.replace(IndexSamples.dossier("IMUT-2022-0001", title: "玉米<新品种> & \"蒙玉\"", documents: [
            IndexSamples.document(.grantApplication, "申请.txt", text: "申请", facts: ["appliedOn": "2022-02-01"], date: "2022-02-01"),
            approval("2022-03-01"),
            IndexSamples.document(.publicityRecord, "公示.txt", text: "公示", facts: ["startsOn": "2022-03-02", "endsOn": "2022-03-20"], date: "2022-03-21"),
            IndexSamples.document(.ownershipAgreement, "协议.docx", text: "协议", date: "2022-04-01"),
            contract("2022-06-01", "某公司, \"北方\"分部", price: 1_200_000),
        ], enrichment: IndexEnrichment(status: .pendingReview, flags: [.secret])))
        try index.replace(IndexSamples.dossier("IMUT-2021-0002", title: "稀土抛光粉", grant: .longTermUse, documents: [
            approval("2021-05-01"), contract("2022-09-09", "包头稀土公司", price: 300_000.5),
        ]))
        try index.replace(IndexSamples.dossier("IMUT-2021-0003", title: "储能系统", documents: [approval("2021-06-01")]))
        try index.replace(IndexSamples.dossier("IMUT-2022-0004", title: "未赋权成果", grant: .none, documents: [approval("2022-01-05")]))
        try index.replace(IndexSamples.dossier("IMAAAHS-2022-0005", title: "燕麦", unit: "imaaahs", documents: [approval("2022-07-01")]))
        return AnnualReport(unit: "imut", unitName: "内蒙古工业大学", organisation: "试点", year: year, dossiers: try index.list())
    }

    /// RFC 4180 records: fields split on commas outside quotes, doubled quotes undone, CRLF ends a record.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                record.append(field); field = ""
            } else if scalar == "\r", characters.first == "\n" {
                characters.removeFirst()
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        return records
    }

    @Test("rows: grants approved in the year, and earlier grants converted in it; totals")
    func rows() throws {
        let report = try Self.report()
        #expect(report.rows.map(\.id) == ["IMUT-2022-0001", "IMUT-2021-0002"])
        #expect(report.rows.map(\.basis) == [.granted, .converted])
        let first = report.rows[0]
        #expect(first.appliedOn?.description == "2022-02-01")
        #expect(first.approvedOn?.description == "2022-03-01")
        #expect(first.agreementSignedOn?.description == "2022-04-01")
        #expect(first.publicityStartsOn?.description == "2022-03-02")
        #expect(first.publicityEndsOn?.description == "2022-03-20")
        #expect(first.counterparties == ["某公司, \"北方\"分部（非国有）"])
        #expect(first.price == 1_200_000)
        #expect(first.flags == [.secret])
        #expect(report.totals.achievements == 2)
        #expect(report.totals.contracts == 2)
        #expect(report.totals.contractPrice == 1_500_000.5)
        #expect(report.totals.byGrant.map(\.1) == [1, 0])
        #expect(try Self.report(year: 2021).rows.map(\.id) == ["IMUT-2021-0002", "IMUT-2021-0003"])
    }

    @Test("CSV: UTF-8 byte-order mark, CRLF, RFC 4180 quoting; it parses back to the rows")
    func csv() throws {
        let bytes = try Self.report().rendered(.csv)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        let records = Self.parseCSV(text)
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0.count == 15 })
        #expect(records[0][0] == "成果编号 id")
        #expect(records[0][11] == "合同金额（元） price")
        #expect(records[1][0] == "IMUT-2022-0001")
        #expect(records[1][1] == "玉米<新品种> & \"蒙玉\"")
        #expect(records[1][9] == "某公司, \"北方\"分部（非国有）")
        #expect(records[1][11] == "1200000")
        #expect(records[2][11] == "300000.50")
        #expect(records[3][0] == "合计 total")
        #expect(records[3][11] == "1500000.50")
    }

    @Test("CSV: a title that a spreadsheet would run as a formula is written as text; numbers are not touched")
    func csvFormulaInjection() {
        #expect(AnnualReport.csvField("=HYPERLINK(\"http://x\",\"点击\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\"")
        #expect(AnnualReport.csvField("+86 471") == "'+86 471")
        #expect(AnnualReport.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(AnnualReport.csvField("-500.25") == "-500.25")
        #expect(AnnualReport.csvField("玉米新品种") == "玉米新品种")
    }

    @Test("amounts beyond what cents can count are shown as filed, not a crash")
    func hugeAmount() {
        #expect(AnnualReport.amount(1e20, grouped: true) == "1e+20")
        #expect(AnnualReport.amount(1_200_000, grouped: true) == "1,200,000")
    }

    @Test("HTML: one page, escaped text, inline style, no outside reference")
    func html() throws {
        let page = String(decoding: try Self.report().rendered(.html), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<td>玉米&lt;新品种&gt; &amp; &quot;蒙玉&quot;</td>"))
        #expect(!page.contains("玉米<新品种>"))
        #expect(page.contains("<style>"))
        for reference in ["http:", "https:", "//", "src=", "href=", "<link", "<script", "@import", "url("] {
            #expect(!page.replacingOccurrences(of: "\"http://schemas", with: "").contains(reference), "found \(reference)")
        }
        #expect(page.contains("<td class=\"number\"><span class=\"nb\">1,200,000</span></td>"))
    }

    @Test("JSON: rows and totals")
    func json() throws {
        let value = try JSONValue.parse(try Self.report().rendered(.json))
        #expect(value["year"] == .number(2022))
        #expect(value["achievements"]?.arrayValue?.map { $0["id"]?.stringValue ?? "" } == ["IMUT-2022-0001", "IMUT-2021-0002"])
        #expect(value["totals"]?["contractPrice"] == .number(1_500_000.5))
    }
}
