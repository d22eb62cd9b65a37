import DossierKit
import DossierModel
import Foundation
import Testing
import _DossierTestSupport

/// `dossier kinds` and `dossier template` come from the fact table (FactSchema), the same one
/// the schema is generated from; a template read back is a facts file.
@Suite("kinds and template against the fact table")
struct KindsTemplateTests {
    @Test("kinds --json lists every kind with its Chinese name and exactly the fact table's facts, types and requirements")
    func kindsJSON() throws {
        let outcome = try expectSuccess(runDossier(["kinds", "--json"]))
        let kinds = try #require(try JSONValue.parse(outcome.stdout).arrayValue)
        #expect(kinds.compactMap { $0["id"]?.stringValue } == DocumentKind.allCases.map(\.rawValue))
        for (entry, kind) in zip(kinds, DocumentKind.allCases) {
            #expect(entry["name_zh"]?.stringValue == kind.chineseName)
            let facts = entry["facts"]?.arrayValue ?? []
            // Groups (counterparty) are listed member by member, by dotted path.
            let table = FactSchema.flatFields(for: kind)
            #expect(facts.compactMap { $0["name"]?.stringValue } == table.map(\.path), "\(kind.rawValue)")
            for (fact, (_, field)) in zip(facts, table) {
                #expect(fact["type"]?.stringValue == field.type.name, "\(kind.rawValue).\(field.name)")
                #expect(fact["required"] == .bool(field.required), "\(kind.rawValue).\(field.name)")
                let allowed = fact["values"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                #expect(allowed == field.type.allowedValues, "\(kind.rawValue).\(field.name)")
            }
            // What the rules need is marked, from the same table.
            for (path, rule) in FactSchema.needed(for: kind) {
                let marked = facts.first { $0["name"]?.stringValue == path }?["neededBy"]?.stringValue ?? ""
                #expect(marked.contains(rule), "\(kind.rawValue).\(path) needed by \(rule), marked \(marked)")
            }
        }
    }

    @Test("template prints a facts file for each kind that reads back, filled in, as canonical facts", arguments: DocumentKind.allCases)
    func templateReadsBack(_ kind: DocumentKind) throws {
        let text = try expectSuccess(runDossier(["template", kind.chineseName])).stdout
        let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }.map { $0.split(separator: "=")[0].trimmingCharacters(in: .whitespaces) }
        #expect(Set(keys).isSuperset(of: ["signedOn", "parties"]), "\(kind.rawValue)")
        // Empty, it is no facts; with a date and a list filled in, canonical values.
        #expect(try FactsFile.read(text, file: "t", kind: kind).isEmpty)
        let filled = text.replacingOccurrences(of: "\nsignedOn =\n", with: "\nsignedOn = 2024年3月2日\n").replacingOccurrences(of: "\nparties =\n", with: "\nparties = 赵敏、孙磊\n")
        let facts = try FactsFile.read(filled, file: "t", kind: kind)
        #expect(facts["signedOn"] == .string("2024-03-02"))
        #expect(facts["parties"] == .array([.string("赵敏"), .string("孙磊")]))
        let json = try expectSuccess(runDossier(["template", kind.rawValue, "--format", "json"])).stdout
        #expect(try JSONValue.parse(json).objectValue != nil)
    }

    @Test("an unknown kind gets did you mean, in English and in Chinese")
    func unknownKind() throws {
        let english = try runDossier(["template", "team-concensus"])
        #expect(english.status == 2)
        #expect(english.stderr.contains("did you mean team-consensus 团队内部协商一致书面约定?"), "\(english.stderr)")
        let chinese = try runDossier(["template", "team-concensus"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
        #expect(chinese.status == 2)
        #expect(chinese.stderr.hasPrefix("dossier: 错误: "), "\(chinese.stderr)")
    }
}
