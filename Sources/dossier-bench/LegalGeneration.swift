import DossierKit
import Foundation
import _DossierTestSupport

// The --legal mode and the search queries of scripts/bench-index.sh (see Legal.swift for the corpus).

func generateLegalOne(_ number: Int, vault: Vault, agent: Agent, arguments: Arguments) throws {
    let grants: [GrantKind] = [.ownership, .ownership, .ownership, .ownership, .ownership, .ownership, .ownership, .longTermUse, .longTermUse, .none]
    let counterpartyKinds = ["non-state", "non-state", "non-state", "non-state", "non-state", "wholly-state-owned", "wholly-state-owned", "wholly-state-owned", "individual", "individual"]
    var generator = SeededGenerator(seed: UInt64(number) &* 7919)
    // swift-format-ignore: NeverForceUnwrap
    let id = DossierID(String(format: "BENCH-%06d", number))!
    let subjects = LegalCorpus.subjects
    let suffixes = LegalCorpus.suffixes
    let topics = (0..<2).map { _ in subjects[LegalCorpus.skewed(&generator, count: subjects.count)] + suffixes[Int(generator.next() % UInt64(suffixes.count))] }
    let people = (0..<(2 + Int(generator.next() % 3))).map { _ in LegalCorpus.name(&generator) }
    let company = LegalCorpus.company(&generator, topic: subjects[Int(generator.next() % UInt64(subjects.count))])
    let grant = grants[Int(generator.next() % UInt64(grants.count))]
    let type = AchievementType.planTypes[LegalCorpus.skewed(&generator, count: AchievementType.planTypes.count)].0
    let year = 2020 + Int(generator.next() % 5)
    // swift-format-ignore: NeverForceUnwrap
    let applied = LocalDate(year: year, month: 1 + Int(generator.next() % 10), day: 1 + Int(generator.next() % 28))!
    func day(_ offset: Int) -> String { LocalDate(dayNumber: applied.dayNumber + offset).description }
    let contractDay = 60 + Int(generator.next() % 400)
    let counterpartyKind = counterpartyKinds[Int(generator.next() % UInt64(counterpartyKinds.count))]
    let price = Double((generator.next() % 300 + 5) * 10000)
    let record = DossierRecord(
        id: id, title: "一种\(topics[0])及其\(topics[1])", unit: number % 2 == 0 ? "imut" : "imaaahs",
        type: type, funding: .fiscal, grant: grant,
        completers: people.enumerated().map { Completer(name: $0.element, share: $0.offset == 0 ? 100 - Double(people.count - 1) * 10 : 10, representative: $0.offset == 0) })
    let plan: [(DocumentKind, String, JSONObject)] = [
        (.grantApplication, "txt", ["signedOn": .string(day(0)), "parties": [.string(people[0])], "applicant": .string(people[0]), "appliedOn": .string(day(0))]),
        (.unitApproval, "txt", ["signedOn": .string(day(20)), "parties": ["内蒙古工业大学"], "decision": "approved", "approvedOn": .string(day(20))]),
        (.publicityRecord, "txt", ["issuedOn": .string(day(38)), "parties": ["内蒙古工业大学"], "startsOn": .string(day(21)), "endsOn": .string(day(37)), "objections": "none"]),
        (grant == .longTermUse ? .useRightAgreement : .ownershipAgreement, "docx", ["signedOn": .string(day(45)), "parties": ["内蒙古工业大学", .string("\(people[0])团队")]]),
        (.transferContract, "pdf", [
            "signedOn": .string(day(contractDay)), "parties": ["内蒙古工业大学", .string(company)], "mode": "transfer",
            "counterparty": ["name": .string(company), "kind": .string(counterpartyKind), "country": "CN", "inRegion": true],
            "pricing": "agreement", "price": .number(price), "effectiveOn": .string(day(contractDay)),
        ]),
        (.conversionPlan, "txt", ["signedOn": .string(day(10)), "parties": [.string(people[0])]]),
    ]
    try vault.withStaging { staging in
        var documents: [IncomingDocument] = []
        for index in 0..<arguments.documents {
            let (kind, format, facts) = plan[index % plan.count]
            let text = LegalCorpus.text(&generator, heading: "\(kind.chineseName) \(record.title)", topics: topics, people: people, company: company, size: arguments.size)
            let bytes: [UInt8] = switch format {
            case "pdf": MinimalPDF.make(text)
            case "docx": MinimalDOCX.make(text)
            default: Array(text.utf8)
            }
            let path = "\(staging)/source-\(index)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            documents.append(IncomingDocument(
                kind: kind, fileName: "\(kind.chineseName.filter { $0 != "/" })\(index).\(format)", facts: facts,
                content: try vault.stage(fileAt: path, into: staging), origin: path))
        }
        _ = try vault.apply(DossierChange(target: .create(record), documents: documents, user: agent, source: "dossier-bench"), to: id, staging: staging)
    }
}

/// 100 queries: 1-, 2- and 3+-character Chinese, mixed Chinese and Latin, names, and filters.
func writeQueries(to path: String) throws {
    var lines: [String] = []
    let subjects = LegalCorpus.subjects
    // One character: the first of common and rare subjects.
    for subject in ["玉米", "稀土", "羊绒", "马铃薯", "氢能", "沙棘", "骆驼", "芯片", "柠条", "蘑菇"] { lines.append(String(subject.prefix(1))) }
    // Two characters: subjects and boilerplate words.
    for subject in subjects.filter({ $0.count == 2 }).prefix(20) { lines.append(subject) }
    for word in ["甲方", "仲裁", "保密", "违约", "公示"] { lines.append(word) }
    // Three and more: subject terms and phrases.
    for (offset, subject) in subjects.enumerated().prefix(25) { lines.append(subject + LegalCorpus.suffixes[offset % LegalCorpus.suffixes.count]) }
    for phrase in ["呼和浩特仲裁委员会", "技术秘密承担保密义务", "成果转化收益", "知识产权维护费用", "职务科技成果"] { lines.append(phrase) }
    // Mixed Chinese and Latin, and numbers.
    for mixed in ["NMG-2021", "NMG-2023 经费", "BENCH-000123", "CN 玉米", "transfer 转让", "non-state 非国有", "ownership 所有权", "NMG 稀土", "2022 公示", "price 1200000"] { lines.append(mixed) }
    // Names (two and three characters).
    for name in ["王芳", "李强", "张伟", "刘敏", "陈静"] { lines.append(name) }
    // With filters.
    let filtered = [
        "非国有\tkind=transfer-contract\tsince=2022-01-01\tuntil=2022-12-31", "玉米\tunit=imaaahs", "稀土\tunit=imut\ttype=patent",
        "公示\tkind=publicity-record", "转让\tkind=transfer-contract\tsince=2023-01-01", "马铃薯\tkind=transfer-contract",
        "羊绒\tsince=2021-01-01\tuntil=2021-12-31", "保密\tstatus=not validated", "储能\ttype=software-copyright", "牧草\tunit=imaaahs\tkind=ownership-agreement",
        "甲方\tkind=unit-approval\tuntil=2020-06-30", "催化剂\tunit=imut", "疫苗\tkind=conversion-plan", "光伏 储能\tsince=2022-06-01",
        "王\tunit=imut", "草原\ttype=plant-variety", "无人机\tkind=ownership-agreement", "锂电池\tsince=2024-01-01", "枸杞\tunit=imaaahs\tsince=2021-01-01", "遥感",
    ]
    lines += filtered
    try Data((lines.prefix(100).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
}
