import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Bad input never loses data: one clear line naming the file and the field, exit 2, and a
/// store that is byte-for-byte what it was.
@Suite("refused filings")
struct RefusedFilingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Builds the bundle inside the test folder and returns its path.
        var build: @Sendable (String) throws -> String
        var expected: String
        var testDescription: String { name }
    }

    static let validFacts = #""facts": {"signedOn": "2021-03-01", "parties": ["内蒙古工业大学"]}"#

    static func folder(_ filing: String, files: [String: String] = ["公示.txt": "公示内容"]) -> @Sendable (String) throws -> String {
        { root in
            try makeBundleFolder("\(root)/bundle", filing: filing, files: files)
            return "\(root)/bundle"
        }
    }

    static func archive(_ name: String, _ format: String, _ entries: [CraftedEntry]) -> @Sendable (String) throws -> String {
        { root in
            try craftArchive("\(root)/\(name)", format: format, entries: entries)
            return "\(root)/\(name)"
        }
    }

    static let filingForOneFile = publicityFiling(["公示.txt"])

    static let cases: [Case] = [
        Case(
            name: "malformed JSON",
            build: folder("{\"dossier\": \"IMUT-2021-0007\",\n \"documents\": [}"),
            expected: "bundle: filing.json: not valid JSON at line 2, column 16: unexpected character '}'"),
        Case(
            name: "unknown field in filing.json",
            build: folder(#"{"dossier": "IMUT-2021-0007", "colour": "red", "documents": []}"#, files: [:]),
            expected: "bundle: filing.json: colour: unknown field; expected one of: dossier, create, update, message, filedBy, documents"),
        Case(
            name: "unknown fact",
            build: folder(#"{"dossier": "IMUT-2021-0007", "documents": [{"kind": "publicity-record", "file": "公示.txt", "facts": {"signedOn": "2021-03-01", "parties": ["x"], "duration": 15}}]}"#),
            expected: "bundle: filing.json: documents[0].facts.duration: unknown field; expected one of: signedOn, issuedOn, parties, notes, startsOn, endsOn, objections"),
        Case(
            name: "document kind not in RULES.md",
            build: folder(#"{"dossier": "IMUT-2021-0007", "documents": [{"kind": "contract", "file": "公示.txt", \#(validFacts)}]}"#),
            expected: "bundle: filing.json: documents[0].kind: unknown document kind \"contract\"; expected one of the kinds in RULES.md: "
                + DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")),
        Case(
            name: "a date that does not exist",
            build: folder(#"{"dossier": "IMUT-2021-0007", "documents": [{"kind": "publicity-record", "file": "公示.txt", "facts": {"signedOn": "2021-02-30", "parties": ["x"]}}]}"#),
            expected: "bundle: filing.json: documents[0].facts.signedOn: expected a date YYYY-MM-DD, got \"2021-02-30\""),
        Case(
            name: "a date in another format",
            build: folder(#"{"dossier": "IMUT-2021-0007", "documents": [{"kind": "publicity-record", "file": "公示.txt", "facts": {"signedOn": "2021-03-01", "parties": ["x"], "endsOn": "2021年3月16日"}}]}"#),
            expected: "bundle: filing.json: documents[0].facts.endsOn: expected a date YYYY-MM-DD, got \"2021年3月16日\""),
        Case(
            name: "a share that is not a number",
            build: folder(#"{"dossier": "IMUT-2021-0009", "create": {"title": "新成果", "unit": "imut", "type": "patent", "funding": "fiscal", "grant": "ownership", "completers": [{"name": "王芳", "share": "六十"}]}}"#, files: [:]),
            expected: "bundle: filing.json: create.completers[0].share: expected a number, got a string \"六十\""),
        Case(
            name: "a share fact that is not a number",
            build: folder(#"{"dossier": "IMUT-2021-0007", "documents": [{"kind": "ownership-agreement", "file": "公示.txt", "facts": {"signedOn": "2021-03-01", "parties": ["x"], "unitShare": "30%"}}]}"#),
            expected: "bundle: filing.json: documents[0].facts.unitShare: expected a number, got a string \"30%\""),
        Case(
            name: "a dossier id that does not match the pattern",
            build: folder(#"{"dossier": "imut-2021-7", "documents": []}"#, files: [:]),
            expected: "bundle: filing.json: dossier: expected a dossier id matching [A-Z0-9][A-Z0-9._-]{0,63}, got \"imut-2021-7\""),
        Case(
            name: "a create block naming another dossier",
            build: folder(#"{"dossier": "IMUT-2021-0009", "create": {"id": "IMUT-2021-0010", "title": "新成果", "unit": "imut", "type": "patent", "funding": "fiscal", "grant": "none"}}"#, files: [:]),
            expected: "bundle: filing.json: create.id: expected \"IMUT-2021-0009\" (the dossier being opened), got \"IMUT-2021-0010\""),
        Case(
            name: "create for an existing dossier",
            build: folder(#"{"dossier": "IMUT-2021-0007", "create": {"title": "重复", "unit": "imut", "type": "patent", "funding": "fiscal", "grant": "none"}}"#, files: [:]),
            expected: "IMUT-2021-0007: the dossier already exists; file into it with an update instead of create"),
        Case(
            name: "update for a missing dossier",
            build: folder(#"{"dossier": "IMUT-2021-0099", "update": {"title": "不存在"}}"#, files: [:]),
            expected: "bundle: filing.json: dossier IMUT-2021-0099 does not exist; open it with `dossier new` or a create block"),
        Case(
            name: "a member not named in filing.json",
            build: folder(filingForOneFile, files: ["公示.txt": "公示", "草稿.txt": "draft"]),
            expected: "bundle: member 草稿.txt: is not named in filing.json"),
        Case(
            name: "a file named in filing.json but missing",
            build: folder(publicityFiling(["公示.txt", "缺失.txt"])),
            expected: "bundle: filing.json: documents[1].file: names \"缺失.txt\", which is not in the bundle"),
        Case(
            name: "an empty document in a folder bundle",
            build: folder(filingForOneFile, files: ["公示.txt": ""]),
            expected: "bundle: filing.json: documents[0] (公示.txt): the document is empty (0 bytes); expected the bytes of the signed paper"),
        Case(
            name: "an empty document in a zip",
            build: archive("bundle.zip", "zip", [.file("filing.json", filingForOneFile), .file("公示.txt", "")]),
            expected: "bundle.zip: filing.json: documents[0] (公示.txt): the document is empty (0 bytes); expected the bytes of the signed paper"),
        Case(
            name: "two members that would be filed under one name",
            build: archive("bundle.tar", "tar", [.file("filing.json", publicityFiling(["甲/公示.txt", "乙/公示.txt"])), .file("甲/公示.txt", "甲"), .file("乙/公示.txt", "乙")]),
            expected: "bundle.tar: filing.json: documents[1] and documents[0] would both be filed as documents/publicity-record/公示.txt"),
        Case(
            name: "a symbolic link in a folder bundle",
            build: { root in
                try makeBundleFolder("\(root)/bundle", filing: publicityFiling(["公示.txt"]))
                try FileManager.default.createSymbolicLink(atPath: "\(root)/bundle/公示.txt", withDestinationPath: "/etc/passwd")
                return "\(root)/bundle"
            },
            expected: "bundle: member 公示.txt: is a symbolic link; only regular files may be filed"),
        Case(
            name: "a name that is not UTF-8 (folder)",
            build: { root in
                try makeBundleFolder("\(root)/bundle", filing: publicityFiling(["公示.txt"]), files: ["公示.txt": "公示"])
                let name: [UInt8] = Array("\(root)/bundle/".utf8) + [0xB9, 0xAB, 0xCA, 0xBE] + Array(".txt".utf8)
                let descriptor = name.withUnsafeBufferPointer { buffer in
                    (Array(buffer) + [0]).withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
                }
                close(descriptor)
                return "\(root)/bundle"
            },
            expected: "bundle: member \\xB9\\xAB\\xCA\\xBE.txt: name is not valid UTF-8"),
        Case(
            name: "a FIFO in a folder bundle",
            build: { root in
                try makeBundleFolder("\(root)/bundle", filing: publicityFiling(["公示.txt"]), files: [:])
                mkfifo("\(root)/bundle/公示.txt", 0o644)
                return "\(root)/bundle"
            },
            expected: "bundle: member 公示.txt: is a FIFO; only regular files may be filed"),
        Case(
            name: "a symbolic link in a tar",
            build: archive("bundle.tar", "tar", [.file("filing.json", filingForOneFile), CraftedEntry(name: "公示.txt", type: "symlink", target: "/etc/passwd")]),
            expected: "bundle.tar: member 公示.txt: is a symbolic link; only regular files may be filed"),
        Case(
            name: "a symbolic link in a zip",
            build: archive("bundle.zip", "zip", [.file("filing.json", filingForOneFile), CraftedEntry(name: "公示.txt", type: "symlink", target: "/etc/passwd")]),
            expected: "bundle.zip: member 公示.txt: is a symbolic link; only regular files may be filed"),
        Case(
            name: "a hard link in a tar",
            build: archive("bundle.tar", "tar", [.file("filing.json", filingForOneFile), CraftedEntry(name: "公示.txt", type: "hardlink", target: "filing.json")]),
            expected: "bundle.tar: member 公示.txt: is a hard link; only regular files may be filed"),
        Case(
            name: "a character device in a tar",
            build: archive("bundle.tar", "tar", [.file("filing.json", filingForOneFile), CraftedEntry(name: "公示.txt", type: "chr")]),
            expected: "bundle.tar: member 公示.txt: is a character device; only regular files may be filed"),
        Case(
            name: "a FIFO in a tar.gz",
            build: archive("bundle.tar.gz", "tar.gz", [.file("filing.json", filingForOneFile), CraftedEntry(name: "公示.txt", type: "fifo")]),
            expected: "bundle.tar.gz: member 公示.txt: is a FIFO; only regular files may be filed"),
        Case(
            name: "an absolute path",
            build: archive("bundle.tar", "tar", [.file("filing.json", filingForOneFile), .file("/tmp/公示.txt", "x")]),
            expected: "bundle.tar: member /tmp/公示.txt: absolute path; members must be relative to the bundle"),
        Case(
            name: "a path with ..",
            build: archive("bundle.zip", "zip", [.file("filing.json", filingForOneFile), .file("../公示.txt", "x")]),
            expected: "bundle.zip: member ../公示.txt: path leaves the bundle (..)"),
        Case(
            name: "a name that is not UTF-8 (tar)",
            build: archive("bundle.tar", "tar", [.file("filing.json", filingForOneFile), CraftedEntry(nameHex: "b9abcabe2e747874", data: "GBK 公示")]),
            expected: "bundle.tar: member \\xB9\\xAB\\xCA\\xBE.txt: name is not valid UTF-8"),
        Case(
            // Read as GB18030 the name is 公示.txt, which filing.json does not name (it names
            // 公告.txt): a zip from Chinese Windows is accepted only when the reading matches.
            name: "a name that is not UTF-8 (zip), nor GB18030 matching filing.json",
            build: archive("bundle.zip", "zip", [.file("filing.json", publicityFiling(["公告.txt"])), CraftedEntry(nameHex: "b9abcabe2e747874", data: "GBK 公示")]),
            expected: "bundle.zip: member \\xB9\\xAB\\xCA\\xBE.txt: name is not valid UTF-8 (nor GB18030 matching filing.json)"),
        Case(
            name: "names equal after NFC",
            build: archive("bundle.tar", "tar", [
                .file("filing.json", publicityFiling(["caf\u{E9}.txt"])), .file("caf\u{E9}.txt", "composed"), .file("cafe\u{301}.txt", "decomposed"),
            ]),
            expected: "bundle.tar: member cafe\u{301}.txt: appears twice (names are compared after Unicode NFC normalisation)"),
        Case(
            name: "a truncated tar.gz",
            build: { root in
                try craftArchive("\(root)/whole.tar.gz", format: "tar.gz", entries: [
                    .file("filing.json", filingForOneFile), .file("公示.txt", String(repeating: "公示内容，不可压缩的随机性：", count: 2000) + UUID().uuidString),
                ])
                let bytes = try FileSystem.readFile("\(root)/whole.tar.gz")
                try writeFile("\(root)/bundle.tar.gz", Array(bytes.prefix(bytes.count / 2)))
                return "\(root)/bundle.tar.gz"
            },
            expected: "bundle.tar.gz: truncated or corrupt archive: truncated gzip input"),
        Case(
            name: "a corrupt zip",
            build: { root in
                try writeFile("\(root)/bundle.zip", Array("PK\u{03}\u{04} this is not really a zip archive".utf8))
                return "\(root)/bundle.zip"
            },
            expected: "bundle.zip: truncated or corrupt archive: Truncated ZIP file header"),
        Case(
            name: "a file that is no archive",
            build: { root in
                try writeFile("\(root)/bundle.pdf", "%PDF-1.4 not an archive")
                return "\(root)/bundle.pdf"
            },
            expected: "bundle.pdf: not a zip, tar or tar.gz archive (libarchive: Unrecognized archive format)"),
    ]

    @Test("is refused with one exact line, exit 2, and an unchanged store", arguments: cases)
    func refused(_ testCase: Case) throws {
        try withTemporaryDirectory { root in
            // Given a vault with one dossier, and its store's fingerprint
            let vault = try CLIVault(in: root)
            let before = try treeFingerprint(vault.store)
            let bundle = try testCase.build(root)
            // When the bad bundle is filed
            let outcome = try vault.dossier(["file", bundle])
            // Then it is refused with exactly one line naming the file and the field
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == ["dossier: error: \(testCase.expected)"])
            #expect(outcome.stdout.isEmpty)
            // And the store is byte-for-byte what it was, with nothing left in the staging area
            #expect(try treeFingerprint(vault.store) == before)
            #expect(try vault.stagingLeftovers().isEmpty)
        }
    }

    @Test("is refused in Chinese under zh_CN.UTF-8 too: one line, every word in the catalog", arguments: cases)
    func refusedInChinese(_ testCase: Case) throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let before = try treeFingerprint(vault.store)
            let bundle = try testCase.build(root)
            let outcome = try runDossier(
                ["file", bundle, "--vault", vault.vault], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "DOSSIER_L10N_STRICT": "1"])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines.count == 1)
            #expect(outcome.errorLines.first?.hasPrefix("dossier: 错误: ") == true, "\(outcome.stderr)")
            #expect(!outcome.stderr.contains(Localizer.untranslatedMark), "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
            #expect(try treeFingerprint(vault.store) == before)
        }
    }

    @Test("a malformed id on the command line is refused like one in filing.json")
    func malformedIDOnCommandLine() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let before = try treeFingerprint(vault.store)
            try writeFile("\(root)/公示.txt", "公示")
            let outcome = try vault.dossier(["file", "imut 7", "--kind", "publicity-record", "--incomplete", "\(root)/公示.txt", "--fact", "signedOn=2021-03-01", "--fact", #"parties=["x"]"#])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == [#"dossier: error: command line: ID: expected a dossier id matching [A-Z0-9][A-Z0-9._-]{0,63} (e.g. IMUT-2021-0007), got "imut 7""#])
            #expect(try treeFingerprint(vault.store) == before)
        }
    }

    @Test("a fact given on the command line is checked like one in filing.json")
    func badFactOnCommandLine() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let before = try treeFingerprint(vault.store)
            try writeFile("\(root)/公示.txt", "公示")
            let outcome = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "publicity-record", "--incomplete", "\(root)/公示.txt", "--fact", "signedOn=2021-03-01", "--fact", #"parties=["x"]"#, "--fact", "startsOn=next monday"])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == [#"dossier: error: command line: --fact startsOn: expected a date such as 2024-03-02, 2024年3月2日, 2024/3/2 or 2024.3.2, got "next monday""#])
            #expect(try treeFingerprint(vault.store) == before)
        }
    }

    @Test("an empty file on the command line is refused, naming it")
    func emptyFileOnCommandLine() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            let before = try treeFingerprint(vault.store)
            try writeFile("\(root)/公示.txt", "公示")
            try writeFile("\(root)/扫描.pdf", "")
            let outcome = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "publicity-record", "--incomplete", "\(root)/公示.txt", "\(root)/扫描.pdf", "--fact", "signedOn=2021-03-01", "--fact", #"parties=["x"]"#])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == ["dossier: error: command line: \(root)/扫描.pdf: the document is empty (0 bytes); expected the bytes of the signed paper"])
            #expect(try treeFingerprint(vault.store) == before)
            #expect(try vault.stagingLeftovers().isEmpty)
        }
    }

    @Test("an unknown kind on the command line names the option")
    func unknownKindOnCommandLine() throws {
        try withTemporaryDirectory { root in
            let vault = try CLIVault(in: root)
            try writeFile("\(root)/x.txt", "x")
            let outcome = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "agreement", "\(root)/x.txt"])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == [#"dossier: error: command line: --kind: unknown document kind "agreement"; did you mean ownership-agreement 赋权（共有）协议? (dossier kinds lists every kind)"#])
            // and one like nothing known says where the kinds are listed
            let far = try vault.dossier(["file", "IMUT-2021-0007", "--kind", "xyz", "\(root)/x.txt"])
            #expect(far.status == 2)
            #expect(far.errorLines == [#"dossier: error: command line: --kind: unknown document kind "xyz"; dossier kinds lists every kind with its Chinese name and facts"#])
        }
    }

    @Test("a command without a vault is refused with exit 2")
    func noVault() throws {
        try withTemporaryDirectory { root in
            let outcome = try runDossier(["show", "IMUT-2021-0007", "--vault", "\(root)/nowhere"])
            #expect(outcome.status == 2)
            #expect(outcome.errorLines == ["dossier: error: no vault at \(root)/nowhere (create one with `dossier init --vault \(root)/nowhere`)"])
        }
    }

    @Test("a usage error exits 64")
    func usageError() throws {
        let outcome = try runDossier(["file"])
        #expect(outcome.status == 64)
    }
}
