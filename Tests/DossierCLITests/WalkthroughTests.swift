import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The README's walkthroughs, run exactly as written: every `dossier` line of the blocks between
/// `<!-- walkthrough zh|en -->` and `<!-- walkthrough end -->`, each filled-in facts file
/// (a `text` block whose first line `# NAME` names it) written where the person would save it.
@Suite("README walkthrough: an empty vault to a dossier in order")
struct WalkthroughTests {
    enum Step {
        case command([String], output: String?)
        case file(String, String)
    }

    /// The steps of one walkthrough, in order, and the environment its `export` line sets.
    static func steps(_ language: String) throws -> (environment: [String: String], steps: [Step]) {
        let readme = try String(contentsOfFile: "\(packageRoot)/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- walkthrough \(language) -->"))
        let end = try #require(readme.range(of: "<!-- walkthrough end -->", range: start.upperBound..<readme.endIndex))
        var environment: [String: String] = [:]
        var steps: [Step] = []
        var block: (kind: String, lines: [String])?
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let open = block {
                    if open.kind == "text", let first = open.lines.first, first.hasPrefix("# ") {
                        steps.append(.file(String(first.dropFirst(2)), open.lines.joined(separator: "\n") + "\n"))
                    }
                    block = nil
                } else {
                    block = (String(line.dropFirst(3)), [])
                }
                continue
            }
            guard block != nil else { continue }
            block?.lines.append(line)
            guard block?.kind == "sh" else { continue }
            if line.hasPrefix("export ") {
                for pair in line.dropFirst(7).split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    environment[parts[0]] = parts[1]
                }
            } else if line.hasPrefix("dossier ") {
                var words = try Self.words(String(line.dropFirst(8)))
                var output: String?
                if let arrow = words.firstIndex(of: ">") {
                    output = words[arrow + 1]
                    words.removeSubrange(arrow...)
                }
                steps.append(.command(words, output: output))
            }
        }
        return (environment, steps)
    }

    /// Shell words: split at spaces, "…" keeps spaces.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle(); continue }
            if character == " ", !quoted {
                if !current.isEmpty { words.append(current); current = "" }
                continue
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    @Test("the walkthrough runs as written and ends with the dossier in order", arguments: ["zh", "en"])
    func walkthrough(_ language: String) throws {
        try withTemporaryDirectory { root in try Self.run(language, in: root) }
    }

    static func run(_ language: String, in root: String) throws {
        let (exported, steps) = try steps(language)
        var environment = exported.mapValues { $0.replacingOccurrences(of: "$PWD", with: root) }
        environment["LC_ALL"] = environment["LANG"]
        environment["DOSSIER_L10N_STRICT"] = "1"
        #expect(steps.count >= 14)
        // The papers: a small PDF with a text layer, made distinct per name.
        let pdf = try FileSystem.readFile("\(packageRoot)/Tests/Fixtures/ocr/text-layer.pdf")
        var commands: [String] = []
        var last: ProcessOutcome?
        for step in steps {
            switch step {
            case .file(let name, let text):
                try writeFile("\(root)/\(name)", text)
            case .command(let arguments, let output):
                commands.append(arguments[0])
                if arguments[0] == "file" {
                    for paper in arguments where paper.hasSuffix(".pdf") && !FileSystem.exists("\(root)/\(paper)") {
                        try writeFile("\(root)/\(paper)", pdf + Array("\n% \(paper)\n".utf8))
                    }
                }
                let outcome = try runDossier(arguments, environment: environment, directory: root)
                let context = "dossier \(arguments.joined(separator: " ")): exit \(outcome.status)\n\(outcome.stdout)\(outcome.stderr)"
                // validate exits 1 while the dossier lacks papers; everything else succeeds.
                #expect(outcome.status == 0 || (arguments[0] == "validate" && outcome.status == 1), "\(context)")
                #expect(!(outcome.stdout + outcome.stderr).contains(Localizer.untranslatedMark), "\(context)")
                if language == "zh" {
                    #expect(outcome.stdout.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(context)")
                }
                if let output { try writeFile("\(root)/\(output)", outcome.stdout) }
                last = outcome
            }
        }
        // Only the commands the issue names, beyond creating the vault.
        #expect(Set(commands).subtracting(["init"]) == ["new", "kinds", "template", "file", "amend", "validate"])
        // The last validate: no error left.
        let final = try #require(last)
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        #expect(final.stdout.contains(language == "zh" ? "0 条错误" : "0 errors"), "\(final.stdout)")
        // The correction is in the history, field by field.
        let log = try runDossier(["log", "IMUT-2024-0042"], environment: environment, directory: root)
        #expect(log.stdout.contains("signedOn 2023-02-01 → 2023-02-21"), "\(log.stdout)")
        // The filled-in facts were stored in canonical form.
        let show = try runDossier(["show", "IMUT-2024-0042", "--json"], environment: environment, directory: root)
        #expect(show.stdout.contains("\"2023-01-05\""))
        #expect(!show.stdout.contains("2023年"))
    }
}
