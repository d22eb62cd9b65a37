import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The papers people really have, through the CLI: signatures checked at filing against the
/// vault's trust anchors and recorded (R28), pyHanko agreeing; OFD text and seals; scans read by
/// OCR in the index step and found by search; papers that do not open named.
@Suite("papers as they really are: signatures, seals, OFD and scans through the CLI")
struct PapersCLITests {
    static let fixtures = "\(packageRoot)/Tests/Fixtures"
    static let facts = ["--fact", "signedOn=2021-04-20", "--fact", #"parties=["内蒙古工业大学","王芳团队"]"#]

    /// The record's entry for `path` at the head, as `show --json` gives it.
    static func entry(_ vault: CLIVault, _ path: String) throws -> JSONValue? {
        let shown = try JSONValue.parse(try expectSuccess(vault.dossier(["show", "IMUT-2021-0007", "--json"])).stdout)
        return shown["record"]?["documents"]?.arrayValue?.first { $0["path"]?.stringValue == path }
    }

    /// pyHanko's own verdict on each signature of `pdf`, through Tests/Fixtures/signatures/pyhanko_oracle.py.
    static func pyHankoStatuses(_ pdf: String, anchors: [String]) throws -> [String] {
        let oracle = "\(fixtures)/signatures/pyhanko_oracle.py"
        let outcome = try runProgram(try validatorPython(), [oracle, pdf] + anchors.flatMap { ["--anchor", "\(fixtures)/signatures/pki/\($0).pem"] })
        #expect(outcome.status == 0, "pyhanko_oracle.py: \(outcome.stderr)")
        let parsed = try JSONValue.parse(outcome.stdout)
        let verdicts = parsed.arrayValue ?? [parsed]
        return verdicts.map { verdict in
            guard verdict["error"] == nil || verdict["error"] == .null, verdict["intact"] == true, verdict["valid"] == true else { return "invalid" }
            guard verdict["trusted"] == true else { return "untrusted" }
            let coverage = verdict["coverage"]?.stringValue
            return coverage == nil || coverage == "ENTIRE_FILE" ? "valid" : "indeterminate"
        }
    }

    @Test("a PDF signed under a CA added with `trust add` is valid; a byte of its signed range changed is invalid and fails R28; without the CA it is untrusted — as pyHanko says each time")
    func padesVerdicts() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let original = "\(Self.fixtures)/signatures/rsa-pades.pdf"
            // Given the same signed PDF filed before and after its CA is trusted, and a copy with one signed byte changed
            try FileSystem.makeDirectories("\(root)/papers")
            let bytes = try FileSystem.readFile(original)
            try writeFile("\(root)/papers/before-trust.pdf", bytes)
            try writeFile("\(root)/papers/signed.pdf", bytes)
            // One letter of the page text (inside the ByteRange's first range) changed
            let text = Array("Ownership agreement".utf8)
            let at = try #require((0...(bytes.count - text.count)).first { Array(bytes[$0..<($0 + text.count)]) == text })
            var altered = bytes
            altered[at + text.count - 1] = UInt8(ascii: "T")
            try writeFile("\(root)/papers/altered.pdf", altered)

            let untrustedFiling = try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/papers/before-trust.pdf"] + Self.facts))
            #expect(untrustedFiling.stdout.contains("before-trust.pdf: untrusted 不受信任, PDF signature"), "\(untrustedFiling.stdout)")
            let added = try expectSuccess(vault.dossier(["trust", "add", "\(Self.fixtures)/signatures/pki/rsa-ca.pem"]))
            #expect(added.stdout.hasPrefix("trusted "))
            let listed = try JSONValue.parse(try expectSuccess(vault.dossier(["trust", "list", "--json"])).stdout)
            #expect(listed.arrayValue?.count == 1)
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/papers/signed.pdf"] + Self.facts))
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/papers/altered.pdf"] + Self.facts))

            // Then each verdict is recorded in the record, and pyHanko gives the same
            let cases: [(String, String, [String])] = [
                ("before-trust.pdf", "untrusted", []), ("signed.pdf", "valid", ["rsa-ca"]), ("altered.pdf", "invalid", ["rsa-ca"]),
            ]
            for (name, expected, anchors) in cases {
                let signatures = try #require(try Self.entry(vault, "documents/ownership-agreement/\(name)")?["signatures"]?.arrayValue)
                #expect(signatures.map { $0["status"]?.stringValue } == [expected], "\(name)")
                #expect(signatures.first?["format"] == "pades")
                #expect(try Self.pyHankoStatuses("\(root)/papers/\(name)", anchors: anchors) == [expected], "pyHanko on \(name)")
            }
            let valid = try #require(try Self.entry(vault, "documents/ownership-agreement/signed.pdf")?["signatures"]?.arrayValue?.first)
            #expect(valid["trustAnchor"]?.stringValue?.count == 64)
            #expect(valid["coversWholeDocument"] == true)

            // And R28 is an error for the altered paper, a warning for the untrusted one, silent for the valid one
            let validated = try vault.dossier(["validate", "IMUT-2021-0007", "--json"])
            #expect(validated.status == 1)
            let findings = try JSONValue.parse(validated.stdout).arrayValue ?? []
            let r28 = findings.filter { $0["rule"] == "R28" }
            #expect(r28.map { "\($0["severity"]?.stringValue ?? "") \($0["documents"]?.arrayValue?.first?.stringValue ?? "")" }.sorted() == [
                "error documents/ownership-agreement/altered.pdf", "warning documents/ownership-agreement/before-trust.pdf",
            ])
            let shown = try expectSuccess(vault.dossier(["show", "IMUT-2021-0007"])).stdout
            #expect(shown.contains("signature: valid 有效, PDF signature"))
        }
    }

    @Test("a detached SM2 signature (NAME.p7s filed with NAME, GM/T 0009 default signer ID) verifies; with a flipped byte in NAME it does not")
    func detachedSM2() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try expectSuccess(vault.dossier(["trust", "add", "\(Self.fixtures)/signatures/pki/sm2-ca.pem"]))
            for folder in ["good", "bad"] {
                try FileSystem.makeDirectories("\(root)/\(folder)")
                var text = try FileSystem.readFile("\(Self.fixtures)/signatures/sm2-agreement.txt")
                if folder == "bad" { text[3] ^= 0x01 }
                try writeFile("\(root)/\(folder)/sm2-agreement.txt", text)
                try writeFile("\(root)/\(folder)/sm2-agreement.txt.p7s", try FileSystem.readFile("\(Self.fixtures)/signatures/sm2-agreement.txt.p7s"))
            }
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/good/sm2-agreement.txt", "\(root)/good/sm2-agreement.txt.p7s"] + Self.facts))
            let good = try #require(try Self.entry(vault, "documents/ownership-agreement/sm2-agreement.txt")?["signatures"]?.arrayValue)
            #expect(good.map { $0["status"]?.stringValue } == ["valid"])
            #expect(good.first?["format"] == "cms")
            #expect(good.first?["algorithm"]?.stringValue?.contains("SM2") == true)

            // The same names filed again with the changed text: the record's verdict follows the bytes
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/bad/sm2-agreement.txt", "\(root)/bad/sm2-agreement.txt.p7s"] + Self.facts))
            let bad = try #require(try Self.entry(vault, "documents/ownership-agreement/sm2-agreement.txt")?["signatures"]?.arrayValue)
            #expect(bad.map { $0["status"]?.stringValue } == ["invalid"])
        }
    }

    @Test("an OFD whose content changed after sealing is invalid; an OFD with one text object per character is found by its words, as ofdkit reads it")
    func ofd() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try expectSuccess(vault.dossier(["trust", "add", "\(Self.fixtures)/ofd/ca.pem"]))
            let filed = try expectSuccess(vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "ownership-agreement",
                "\(Self.fixtures)/ofd/sealed-changed-content.ofd", "\(Self.fixtures)/ofd/sealed.ofd", "\(Self.fixtures)/ofd/contract-chars.ofd",
            ] + Self.facts))
            #expect(filed.stdout.contains("sealed-changed-content.ofd: invalid 无效, OFD seal"), "\(filed.stdout)")
            #expect(try Self.entry(vault, "documents/ownership-agreement/sealed-changed-content.ofd")?["signatures"]?.arrayValue?.first?["status"] == "invalid")
            #expect(try Self.entry(vault, "documents/ownership-agreement/sealed.ofd")?["signatures"]?.arrayValue?.first?["status"] == "valid")

            // ofdkit's text of the per-character OFD: its Chinese words find the paper
            let ofdkit = try runProgram(try validatorPython(), ["\(packageRoot)/scripts/ofdkit-text.py", "\(Self.fixtures)/ofd/contract-chars.ofd"])
            #expect(ofdkit.status == 0, "ofdkit-text.py: \(ofdkit.stderr)")
            let words = Self.chineseWords(in: ofdkit.stdout)
            #expect(words.count >= 6)
            for word in words.prefix(8) {
                let hits = try JSONValue.parse(try expectSuccess(vault.dossier(["search", word, "--json"])).stdout).arrayValue ?? []
                #expect(hits.contains { $0["path"] == "documents/ownership-agreement/contract-chars.ofd" }, "search \(word)")
            }
        }
    }

    /// Runs of 2–4 Han characters in `text`.
    static func chineseWords(in text: String) -> [String] {
        var words: [String] = []
        var run = ""
        for character in text + " " {
            if character.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }) {
                run.append(character)
            } else {
                if run.count >= 2 { words.append(String(run.prefix(4))) }
                run = ""
            }
        }
        return Array(Set(words)).sorted()
    }

    @Test("a scanned agreement as an image-only PDF and as a TIFF: filing returns before OCR, search says they wait, `dossier index` reads them, and at least 8 of its 10 words find each")
    func scans() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let words = ["技术转让", "收益分配", "合同专用章", "甲方", "乙方", "保密义务", "违约责任", "专利权", "许可使用", "争议解决"]
            let filed = try expectSuccess(vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "ownership-agreement",
                "\(Self.fixtures)/ocr/agreement.pdf", "\(Self.fixtures)/ocr/agreement-2p.tiff",
            ] + Self.facts))
            #expect(filed.stderr.contains("documents/ownership-agreement/agreement.pdf: a scan: `dossier index` reads its text by OCR"), "\(filed.stderr)")

            // Before OCR: no hit by the text, and a note saying why
            let early = try vault.dossier(["search", "收益分配"])
            #expect(early.stdout == "no matches\n")
            #expect(early.stderr.contains("2 scans are still waiting for OCR"), "\(early.stderr)")

            let indexed = try expectSuccess(vault.dossier(["index", "--json"]))
            let report = try JSONValue.parse(indexed.stdout)
            #expect(report["ocr"]?["scansRead"] == 2)
            #expect(report["ocr"]?["awaiting"] == 0)

            var found: [String: Int] = [:]
            for word in words {
                let hits = try JSONValue.parse(try expectSuccess(vault.dossier(["search", word, "--json"])).stdout).arrayValue ?? []
                for hit in hits { found[hit["path"]?.stringValue ?? "", default: 0] += 1 }
            }
            #expect(found["documents/ownership-agreement/agreement.pdf", default: 0] >= 8, "\(found)")
            #expect(found["documents/ownership-agreement/agreement-2p.tiff", default: 0] >= 8, "\(found)")

            // The text is marked as OCR with its confidence; the filed bytes are unchanged
            let shown = try JSONValue.parse(try expectSuccess(vault.dossier(["show", "IMUT-2021-0007", "--json"])).stdout)
            let state = shown["texts"]?["documents/ownership-agreement/agreement.pdf"]
            #expect(state?["source"] == "ocr")
            #expect((state?["confidence"]?.numberValue ?? 0) > 50)
            let copy = "\(root)/copy.pdf"
            try expectSuccess(vault.dossier(["get", "IMUT-2021-0007", "documents/ownership-agreement/agreement.pdf", "-o", copy]))
            #expect(try FileSystem.readFile(copy) == (try FileSystem.readFile("\(Self.fixtures)/ocr/agreement.pdf")))

            // A rebuild keeps what OCR read (nothing waits afterwards)
            let rebuilt = try JSONValue.parse(try expectSuccess(vault.dossier(["index", "--rebuild", "--no-ocr", "--json"])).stdout)
            #expect(rebuilt["ocr"]?["awaiting"] == 0)
        }
    }

    @Test("a paper that does not open is named at filing, by `index --json` (unreadableTexts) and by `show`")
    func unreadablePaper() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/broken.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage with no cross-reference table\n")
            let filed = try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "ownership-agreement", "\(root)/broken.pdf"] + Self.facts))
            #expect(filed.stderr.hasPrefix("dossier: warning: IMUT-2021-0007 documents/ownership-agreement/broken.pdf: does not open: "), "\(filed.stderr)")
            let report = try JSONValue.parse(try expectSuccess(vault.dossier(["index", "--json"])).stdout)
            let unreadable = report["unreadableTexts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(unreadable.contains { $0.hasPrefix("IMUT-2021-0007 documents/ownership-agreement/broken.pdf: ") }, "\(unreadable)")
            let shown = try expectSuccess(vault.dossier(["show", "IMUT-2021-0007"])).stdout
            #expect(shown.contains("no text: "), "\(shown)")
        }
    }
}
