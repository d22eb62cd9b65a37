import DossierModel
import Testing

/// Values as people type them, in Chinese or English, and the refusals of what is ambiguous.
@Suite("Typed input: dates, sums, lists, choices, kinds")
struct TypedInputTests {
    @Test("dates in every accepted form are stored as YYYY-MM-DD", arguments: [
        "2024-03-02", "2024年3月2日", "2024/3/2", "2024.3.2", "2024年03月02日", "２０２４年３月２日", " 2024/03/02 ",
    ])
    func dates(_ typed: String) throws {
        let date = try TypedInput.date(typed).get()
        #expect(date.description == "2024-03-02")
    }

    @Test("a day-first or month-first date is refused as ambiguous, with the year-first forms to write")
    func ambiguousDate() {
        #expect(throws: TypedInput.Problem("\"3/2/2024\" is ambiguous (day and month could be either way round); write the year first, e.g. 2024-03-02 or 2024年3月2日")) {
            try TypedInput.date("3/2/2024").get()
        }
    }

    @Test("dates that are not dates are refused", arguments: [
        ("2024-02-30", "\"2024-02-30\" is not a day of the calendar (2024-02-30 does not exist)"),
        ("2024年2月30日", "\"2024年2月30日\" is not a day of the calendar (2024-02-30 does not exist)"),
        ("24/3/2", "expected a date such as 2024-03-02, 2024年3月2日, 2024/3/2 or 2024.3.2 (a four-digit year first), got \"24/3/2\""),
        ("2024-3/2", "expected a date such as 2024-03-02, 2024年3月2日, 2024/3/2 or 2024.3.2, got \"2024-3/2\""),
        ("明天", "expected a date such as 2024-03-02, 2024年3月2日, 2024/3/2 or 2024.3.2, got \"明天\""),
    ])
    func badDates(_ typed: String, _ message: String) {
        #expect(throws: TypedInput.Problem(message)) { try TypedInput.date(typed).get() }
    }

    @Test("sums of yuan in every accepted form", arguments: [
        ("1200000", 1_200_000.0), ("120万", 1_200_000), ("1,200,000", 1_200_000), ("1.2亿", 120_000_000), ("¥1200000", 1_200_000),
        ("1200000元", 1_200_000), ("人民币120万元", 1_200_000), ("３０％", 30), ("12.5万", 125_000),
    ])
    func money(_ typed: String, _ value: Double) throws {
        #expect(try TypedInput.number(typed).get() == value)
    }

    @Test("sums with separators out of place or words are refused", arguments: ["1,20,0000", "12,00", "一百万", "", "1200000美元"])
    func badMoney(_ typed: String) {
        #expect(throws: TypedInput.Problem("expected a number such as 1200000, 1,200,000, 120万 or 1.2亿, got \"\(typed)\"")) {
            try TypedInput.number(typed).get()
        }
    }

    @Test("lists separated by commas, 、 or semicolons, or written as JSON", arguments: [
        "赵敏,孙磊", "赵敏、孙磊", "赵敏，孙磊", "赵敏; 孙磊", #"["赵敏","孙磊"]"#, "赵敏、、孙磊",
    ])
    func lists(_ typed: String) {
        #expect(TypedInput.list(typed) == ["赵敏", "孙磊"])
    }

    @Test("yes and no in English and Chinese")
    func bools() throws {
        for yes in ["yes", "是", "true", "有"] { #expect(try TypedInput.bool(yes).get() == true) }
        for no in ["no", "否", "false", "无"] { #expect(try TypedInput.bool(no).get() == false) }
        #expect(throws: TypedInput.Problem("expected yes or no (是 or 否, true or false), got \"也许\"")) { try TypedInput.bool("也许").get() }
    }

    @Test("record fields by id or Chinese name; a near miss is answered with did you mean")
    func recordFields() throws {
        #expect(try RecordInput.grant("所有权").get() == .ownership)
        #expect(try RecordInput.grant("ownership").get() == .ownership)
        #expect(try RecordInput.funding("财政资金").get() == .fiscal)
        #expect(try RecordInput.classification("秘密").get() == .secret)
        let units = [(id: "imut", name: "内蒙古工业大学"), (id: "imu", name: "内蒙古大学")]
        #expect(try RecordInput.unit("内蒙古工业大学", units: units).get() == "imut")
        #expect(try RecordInput.unit("imut", units: units).get() == "imut")
        #expect(throws: TypedInput.Problem("unknown unit \"imutt\"; did you mean imut 内蒙古工业大学?")) { try RecordInput.unit("imutt", units: units).get() }
        #expect(throws: TypedInput.Problem("unknown grant \"ownershp\"; did you mean ownership 所有权?")) { try RecordInput.grant("ownershp").get() }
    }

    @Test("kinds by id, Chinese name or the name without punctuation; typos get did you mean")
    func kinds() throws {
        #expect(try DocumentKind.typed("团队内部协商一致书面约定").get() == .teamConsensus)
        #expect(try DocumentKind.typed("team-consensus").get() == .teamConsensus)
        #expect(try DocumentKind.typed("单位内公示记录").get() == .publicityRecord)
        #expect(throws: TypedInput.Problem("unknown document kind \"team-concensus\"; did you mean team-consensus 团队内部协商一致书面约定? (dossier kinds lists every kind)")) {
            try DocumentKind.typed("team-concensus").get()
        }
        #expect(throws: TypedInput.Problem("unknown document kind \"蛋糕\"; dossier kinds lists every kind with its Chinese name and facts")) {
            try DocumentKind.typed("蛋糕").get()
        }
    }

    @Test("a fact is read by its type from the fact table: signedOn a date, parties a list")
    func factsByType() throws {
        #expect(try FactSchema.read("2024年3月2日", at: "signedOn", kind: .ownershipAgreement) == .string("2024-03-02"))
        #expect(try FactSchema.read("赵敏、孙磊", at: "parties", kind: .ownershipAgreement) == .array([.string("赵敏"), .string("孙磊")]))
    }
}
