import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// What a bundle or a name may cost, and stored text printed escaped (issue 13, items 4, 6, 7).
@Suite("Limits on bundles, names and titles; control characters escaped when printed")
struct LimitsAndEscapingTests {
    /// Sets vault.json's `limits`.
    static func setLimits(_ vault: CLIVault, _ limits: JSONObject) throws {
        let path = "\(vault.vault)/vault.json"
        var settings = try #require(try JSONValue.parse(try FileSystem.readFile(path)).objectValue)
        var merged = settings["limits"]?.objectValue ?? JSONObject()
        for (key, value) in limits { merged[key] = value }
        settings["limits"] = .object(merged)
        try FileSystem.replaceFile(path, Array(JSONValue.object(settings).serialized().utf8))
    }

    /// Writes an archive with Python's tarfile/zipfile: `members` are (name, size in bytes of
    /// zeros, or text); filing.json first.
    static func bomb(_ path: String, format: String, filing: String, members: [(String, Int)]) throws {
        let script = """
            import io, sys, tarfile, zipfile, json
            path, fmt, filing, members = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
            class Zeros(io.RawIOBase):
                def __init__(self, n): self.left = n
                def readable(self): return True
                def readinto(self, b):
                    k = min(len(b), self.left); b[:k] = bytes(k); self.left -= k; return k
            if fmt == "zip":
                with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr("filing.json", filing)
                    for name, size in members:
                        with z.open(name, "w", force_zip64=True) as out:
                            left = size
                            while left: k = min(left, 1 << 20); out.write(bytes(k)); left -= k
            else:
                with tarfile.open(path, "w:gz" if fmt == "tar.gz" else "w") as t:
                    data = filing.encode()
                    info = tarfile.TarInfo("filing.json"); info.size = len(data); t.addfile(info, io.BytesIO(data))
                    for name, size in members:
                        info = tarfile.TarInfo(name); info.size = size; t.addfile(info, io.BufferedReader(Zeros(size)))
            """
        let list = "[" + members.map { "[\"\($0.0)\", \($0.1)]" }.joined(separator: ",") + "]"
        let outcome = try runProgram("/usr/bin/env", ["python3", "-c", script, path, format, filing, list])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    static let filing = """
        {"dossier": "IMUT-2021-0007", "documents": [{"kind": "annual-report", "file": "report.pdf", "facts": {"year": 2024, "issuedOn": "2025-01-10", "parties": ["内蒙古工业大学"]}}]}
        """

    /// Files a bundle with every file the process writes capped at `fileSizeLimit` bytes
    /// (RLIMIT_FSIZE): a bomb that reached the disk past the cap would end in EFBIG or SIGXFSZ,
    /// not in the limit's own message.
    static func fileCapped(_ vault: CLIVault, _ bundle: String, fileSizeLimit: Int) throws -> ProcessOutcome {
        try runProgram("/usr/bin/prlimit", ["--fsize=\(fileSizeLimit)", dossierBinary, "file", bundle, "--vault", vault.vault], environment: ["DOSSIER_USER": "测试员"])
    }

    @Test("bombs are refused by the first reading, before a byte of them is written", arguments: [
        ("tar.gz", "an unlisted member of 64 MiB", [("report.pdf", 2_000), ("extra.bin", 64 << 20)]),
        ("tar.gz", "a listed member of 64 MiB of zeros", [("report.pdf", 64 << 20)]),
        ("zip", "a listed member of 64 MiB of zeros", [("report.pdf", 64 << 20)]),
    ])
    func bombs(format: String, what: String, members: [(String, Int)]) throws {
        try withTemporaryDirectory { directory in
            // Given a vault allowing 8 MiB per bundle
            let vault = try CLIVault(in: directory)
            try Self.setLimits(vault, ["bundleBytes": .number(Double(8 << 20))])
            let bundle = "\(directory)/bomb.\(format)"
            try Self.bomb(bundle, format: format, filing: Self.filing, members: members)
            let before = try vault.dossier(["log", "IMUT-2021-0007"]).stdout
            // When it is filed with no file of the process allowed past 1 MiB
            let outcome = try Self.fileCapped(vault, bundle, fileSizeLimit: 1 << 20)
            // Then the limit refuses it (exit 2), naming the member and the setting — not EFBIG
            #expect(outcome.status == 2, "\(what): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("dossier: error: bomb.\(format): member "), "\(what): \(outcome.stderr)")
            #expect(outcome.stderr.contains("vault.json limits."), "\(what): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("File too large"))
            #expect(try vault.stagingLeftovers().isEmpty)
            #expect(try vault.dossier(["log", "IMUT-2021-0007"]).stdout == before)
        }
    }

    @Test("a bundle of more members than limits.members is refused at the first member past it")
    func tooManyMembers() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try Self.setLimits(vault, ["members": .number(20)])
            let bundle = "\(directory)/many.tar"
            try Self.bomb(bundle, format: "tar", filing: Self.filing, members: [("report.pdf", 10)] + (1...30).map { ("m\($0).txt", 1) })
            let outcome = try vault.dossier(["file", bundle])
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "dossier: error: many.tar: member m19.txt: is member 21; a bundle may hold at most 20 (vault.json limits.members)\n")
        }
    }

    @Test("a name of 100,000 characters, or with ESC, is refused by rename before anything is written; the store unchanged")
    func renameLimits() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try writeFile("\(directory)/r.txt", "annual report\n")
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/r.txt", "--fact", "year=2024", "--fact", "issuedOn=2025-01-10", "--fact", "parties=[\"内蒙古工业大学\"]"]))
            let before = try vault.dossier(["log", "IMUT-2021-0007"]).stdout
            // (ASCII: one argument may hold at most 128 KiB, so 100,000 Chinese characters cannot be passed)
            let long = String(repeating: "a", count: 100_000)
            let refused = try vault.dossier(["rename", "IMUT-2021-0007", "documents/annual-report/r.txt", long])
            #expect(refused.status == 2)
            #expect(refused.stderr == "dossier: error: command line: NEW-NAME: the name has a component of 100000 bytes; at most 255 are allowed\n")
            let escape = try vault.dossier(["rename", "IMUT-2021-0007", "documents/annual-report/r.txt", "a\u{1B}[2Jb.txt"])
            #expect(escape.status == 2)
            #expect(escape.stderr == "dossier: error: command line: NEW-NAME: the name holds the control character U+001B; names may not\n")
            // A name whose logical path would pass limits.pathBytes
            try Self.setLimits(vault, ["pathBytes": .number(40)])
            let path = try vault.dossier(["rename", "IMUT-2021-0007", "documents/annual-report/r.txt", "年度报告二〇二四年.txt"])
            #expect(path.status == 2)
            #expect(path.stderr.hasPrefix("dossier: error: command line: NEW-NAME: the name makes the path 55 bytes long (documents/annual-report/年度报告二〇二四年.txt…); at most 40 are allowed"))
            #expect(try vault.dossier(["log", "IMUT-2021-0007"]).stdout == before)
        }
    }

    @Test("titles with control characters, or past limits.titleCharacters, are refused")
    func titleLimits() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            let escape = try vault.dossier(["new", "IMUT-2021-0008", "--title", "标题\u{07}", "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "fiscal"])
            #expect(escape.status == 2)
            #expect(escape.stderr.hasSuffix(": title: the title holds the control character U+0007; titles may not\n"), "\(escape.stderr)")
            try Self.setLimits(vault, ["titleCharacters": .number(10)])
            let long = try vault.dossier(["new", "IMUT-2021-0008", "--title", String(repeating: "长", count: 11), "--unit", "imut", "--type", "patent", "--grant", "ownership", "--funding", "fiscal"])
            #expect(long.status == 2)
            #expect(long.stderr.hasSuffix(": title: the title is 11 characters long; at most 10 are allowed (vault.json limits.titleCharacters)\n"), "\(long.stderr)")
            // The one already there (v1, 14 characters) still takes filings: only a new or changed title is checked
            try writeFile("\(directory)/r.txt", "annual report\n")
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/r.txt", "--fact", "year=2024", "--fact", "issuedOn=2025-01-10", "--fact", "parties=[\"内蒙古工业大学\"]"]))
        }
    }

    @Test("a stored title and message holding ESC, BEL and CR are printed escaped by show, log, list, audit and search")
    func escapedOnPrint() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            // Given a message with escapes (messages are stored as given) …
            try writeFile("\(directory)/r.txt", "annual report\n")
            try expectSuccess(vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/r.txt", "--fact", "year=2024", "--fact", "issuedOn=2025-01-10",
                "--fact", "parties=[\"内蒙古工业大学\"]", "--message", "年报\u{1B}]0;owned\u{07}\r",
            ]))
            // … and a title with ESC written into the store behind the vault's back (as by an older vault)
            try StoreAuditAgreementTests.forgeHead(try StoreAuditAgreementTests.objectRoot(vault), record: { fields in
                fields["title"] = .string("\u{1B}[2J\u{1B}]0;pwned\u{07}风光储能\r")
            })
            let escapedTitle = "\\x1B[2J\\x1B]0;pwned\\x07风光储能\\x0D"
            for command in [["show", "IMUT-2021-0007"], ["list"], ["search", "风光储能"]] {
                let outcome = try vault.dossier(command)
                #expect(outcome.stdout.contains(escapedTitle), "\(command): \(outcome.stdout)")
                #expect(!outcome.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" }, "\(command)")
            }
            for command in [["log", "IMUT-2021-0007"], ["audit"]] {
                let outcome = try vault.dossier(command)
                #expect(outcome.stdout.contains("年报\\x1B]0;owned\\x07\\x0D"), "\(command): \(outcome.stdout)")
                #expect(!outcome.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" }, "\(command)")
            }
            // And --json escapes them as JSON does, C1 included
            let json = try vault.dossier(["show", "IMUT-2021-0007", "--json"])
            #expect(json.stdout.contains("\\u001b[2J\\u001b]0;pwned\\u0007风光储能\\r"))
        }
    }

    @Test("an export refuses a stored name whose path in the bag passes the component limit, before libarchive sees it")
    func exportNameLimit() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try writeFile("\(directory)/r.txt", "annual report\n")
            try expectSuccess(vault.dossier(["file", "IMUT-2021-0007", "--kind", "annual-report", "\(directory)/r.txt", "--fact", "year=2024", "--fact", "issuedOn=2025-01-10", "--fact", "parties=[\"内蒙古工业大学\"]"]))
            try expectSuccess(vault.dossier(["seal", "init"]))
            // Given a vault whose limit is lowered after the filing (as for a name filed before limits existed)
            try Self.setLimits(vault, ["nameComponentBytes": .number(4)])
            for format in ["zip", "tar"] {
                let outcome = try vault.dossier(["export", "IMUT-2021-0007", "--format", format, "-o", "\(directory)/out.\(format)"])
                #expect(outcome.status == 2)
                #expect(outcome.stderr.hasPrefix("dossier: error: IMUT-2021-0007 v2 documents/annual-report/r.txt: cannot be exported: its path in the bag has a component of "), "\(outcome.stderr)")
                #expect(!FileSystem.exists("\(directory)/out.\(format)"))
            }
        }
    }
}
