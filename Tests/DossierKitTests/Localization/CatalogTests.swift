import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// The message catalog and the profile's rule templates: every text has both languages, and
/// every text the CLI asks for is in the catalog.
@Suite("Localisation: the catalog and the rules' templates")
struct CatalogTests {
    @Test("every catalog entry has an English and a Chinese text with the same {names}, and the Chinese one is Chinese")
    func entriesComplete() {
        for entry in MessageCatalog.entries {
            #expect(!entry.en.isEmpty && !entry.zh.isEmpty, "empty text: \(entry)")
            #expect(Self.namesAgree(entry.en, entry.zh), "names differ: \(entry.en)")
            // A command line (`dossier template {kind}`) is the same in both languages.
            #expect(entry.zh != entry.en || entry.en.hasPrefix("dossier ") || Template.isChineseOrNeutral(entry.en), "not translated: \(entry.en)")
        }
    }

    @Test("the catalog gives each English text one Chinese form")
    func noConflicts() {
        var seen: [String: String] = [:]
        for entry in MessageCatalog.entries {
            if let earlier = seen[entry.en] { #expect(earlier == entry.zh, "two Chinese forms for \(entry.en)") }
            seen[entry.en] = entry.zh
        }
    }

    @Test("every L(\"…\") text in the CLI's sources has a Chinese form in the catalog")
    func cliTextsInCatalog() throws {
        let keys = try Self.cliKeys()
        #expect(keys.count > 250)
        let missing = keys.filter { MessageCatalog.chinese[$0] == nil }
        #expect(missing.isEmpty, "no Chinese form for: \(missing.joined(separator: " | "))")
    }

    @Test("every rule of the built-in profile has an en and a zh template for each message its code uses")
    func ruleTemplatesComplete() {
        let profile = Profile.nmg2020
        #expect(Set(RuleEngine.messageKeys.keys) == Set(RuleID.allCases))
        for rule in RuleID.allCases {
            let keys = RuleEngine.messageKeys[rule] ?? []
            #expect(!keys.isEmpty, "\(rule.rawValue) lists no message keys")
            let messages = profile.rules[rule]?.messages ?? RuleMessages()
            for key in keys {
                let en = messages.template(key, .en)
                let zh = messages.template(key, .zh)
                #expect(en?.isEmpty == false, "\(rule.rawValue).\(key) has no en template")
                #expect(zh?.isEmpty == false, "\(rule.rawValue).\(key) has no zh template")
                if let en, let zh {
                    #expect(Self.namesAgree(en, zh), "\(rule.rawValue).\(key): names differ")
                    #expect(Template.isChineseOrNeutral(Self.withoutNames(zh)), "\(rule.rawValue).\(key): zh is not Chinese: \(zh)")
                }
            }
            // No template the code never asks for (a typo in a key would hide a missing one).
            #expect(Set(messages.templates.keys).isSubset(of: Set(keys)), "\(rule.rawValue): unused templates \(Set(messages.templates.keys).subtracting(keys))")
        }
    }

    @Test("R28's findings render in both languages from the profile's templates")
    func r28Rendered() {
        let messages = Profile.nmg2020.rules[.r28]?.messages ?? RuleMessages()
        let what = MessageValue.message("signed-by", ["what": .message("pades", [:]), "signer": .text("内蒙古工业大学")])
        let values: [String: MessageValue] = ["what": what, "reason": .text("")]
        #expect(messages.render("invalid", values, rule: .r28, language: .en) == "a PDF signature by 内蒙古工业大学 is invalid")
        #expect(messages.render("invalid", values, rule: .r28, language: .zh) == "内蒙古工业大学的PDF签名无效")
        let two: [String: MessageValue] = ["what": .message("ofd-seal-many", ["count": .number(2)]), "reason": .message("reason", ["reason": .text("x")])]
        #expect(messages.render("indeterminate", two, rule: .r28, language: .en) == "2 OFD seals could not be decided: x")
        #expect(messages.render("indeterminate", two, rule: .r28, language: .zh) == "2个OFD电子印章无法判定：x")
    }

    @Test("a profile without R28's templates falls back to the built-in words; a missing template shows as its key")
    func fallback() {
        let empty = RuleMessages()
        #expect(empty.render("invalid", ["what": .message("cms", [:]), "reason": .text("")], rule: .r28, language: .zh) == "分离式CMS签名无效")
        #expect(empty.render("no-such-key", [:], rule: .r28, language: .en) == "⟪R28.no-such-key⟫")
    }

    @Test("messages made in English below the CLI are recognised and rendered in Chinese")
    func translateRefusals() {
        let zh = Localizer(language: .zh, strict: true)
        #expect(zh.translate("trust: no anchor's fingerprint or subject matches \"abc\" (dossier trust list shows them)")
            == "trust：没有信任锚的指纹或主题与“abc”匹配（dossier trust list 列出全部）")
        #expect(zh.text("read {count} {count|scan|scans} by OCR ({pages} {pages|page|pages})", ["count": "2", "pages": "5"]) == "已由 OCR 识别 2 份扫描件（5 页）")
        #expect(Localizer(language: .en).text("read {count} {count|scan|scans} by OCR ({pages} {pages|page|pages})", ["count": "1", "pages": "1"]) == "read 1 scan by OCR (1 page)")
        #expect(zh.translate("something nobody wrote down") == "\(Localizer.untranslatedMark) something nobody wrote down")
    }

    /// The same values in both texts: a `{name}` of one is a name of the other; a name used only
    /// for an English plural (`{count|clause|clauses}`) needs no place in the Chinese text.
    static func namesAgree(_ en: String, _ zh: String) -> Bool {
        let enAll = Set(Template.placeholders(en))
        let zhAll = Set(Template.placeholders(zh))
        return zhAll.isSubset(of: enAll) && plainNames(en).isSubset(of: zhAll)
    }

    static func plainNames(_ text: String) -> Set<String> {
        Set(Template.placeholders(text.replacing(/\{[^{}|]*\|[^{}]*\}/, with: "")))
    }

    static func withoutNames(_ text: String) -> String {
        text.replacing(/\{[^{}]*\}/, with: "")
    }

    /// The English texts of `L("…")` and `L("""…""")` in Sources/dossier, as Swift reads them.
    static func cliKeys() throws -> [String] {
        var keys: [String] = []
        let folder = "\(packageRoot)/Sources/dossier"
        let paths = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        #expect(!paths.isEmpty)
        for path in paths where path.hasSuffix(".swift") {
            let source = try String(contentsOfFile: "\(folder)/\(path)", encoding: .utf8)
            keys += literals(in: source)
        }
        return Array(Set(keys)).sorted()
    }

    static func literals(in source: String) -> [String] {
        var keys: [String] = []
        var rest = Substring(source)
        while let range = rest.range(of: "L(\"") {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            if let before, before.isLetter || before.isNumber || before == "_" { continue }
            if rest.hasPrefix("\"\"") {
                // A multi-line literal: lines up to the closing """, less its indentation.
                rest = rest.dropFirst(2)
                guard let close = rest.range(of: "\"\"\"") else { break }
                var lines = rest[..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let indent = lines.last ?? ""
                lines = Array(lines.dropFirst().dropLast())
                let text = lines.map { $0.hasPrefix(indent) ? String($0.dropFirst(indent.count)) : $0 }.joined(separator: "\n")
                keys.append(unescape(text.replacingOccurrences(of: "\\\n", with: "")))
                rest = rest[close.upperBound...]
            } else {
                var literal = ""
                var escaped = false
                for character in rest {
                    if escaped { literal.append("\\"); literal.append(character); escaped = false; continue }
                    if character == "\\" { escaped = true; continue }
                    if character == "\"" || character == "\n" { break }
                    literal.append(character)
                }
                rest = rest.dropFirst(literal.count + 1)
                keys.append(unescape(literal))
            }
        }
        return keys
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else { out.append(character); continue }
            switch next {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "(": out += "\\("
            default: out.append(next)
            }
        }
        return out
    }
}
