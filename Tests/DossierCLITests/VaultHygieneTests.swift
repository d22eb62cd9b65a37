import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The smaller holes of issue 13 (item 8): read-only vaults, claims left by killed filers, a
/// staging folder that points into the store, re-filing identical content.
@Suite("Read-only vaults, orphaned claims, the staging folder, identical re-filing")
struct VaultHygieneTests {
    static func fileReport(_ vault: CLIVault, year: Int, name: String = "report.txt") throws -> ProcessOutcome {
        try writeFile("\(vault.root)/\(name)", "annual report \(year)\n")
        return try vault.dossier([
            "file", "IMUT-2021-0007", "--kind", "annual-report", "\(vault.root)/\(name)", "--fact", "year=\(year)",
            "--fact", "signedOn=\(year + 1)-01-15", "--fact", "parties=[\"内蒙古工业大学\"]",
        ])
    }

    /// Makes `root` read-only for the user `run` runs dossier as: as root (who may write
    /// anything), the tree is given to `nobody` and dossier runs as `nobody`; otherwise the
    /// write bits are taken away. Returns the runner and a function undoing it.
    static func readOnly(_ root: String) throws -> (run: ([String]) throws -> ProcessOutcome, undo: () throws -> Void) {
        if getuid() == 0 {
            #expect(try runProgram("/bin/chown", ["-R", "nobody:nogroup", root]).status == 0)
            #expect(try runProgram("/bin/chmod", ["-R", "a-w", root]).status == 0)
            let run = { (arguments: [String]) throws -> ProcessOutcome in
                try runProgram("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", dossierBinary] + arguments, environment: ["DOSSIER_USER": "测试员"])
            }
            return (run, { _ = try runProgram("/bin/chmod", ["-R", "u+w", root]) })
        }
        #expect(try runProgram("/bin/chmod", ["-R", "a-w", root]).status == 0)
        return ({ try runDossier($0) }, { _ = try runProgram("/bin/chmod", ["-R", "u+w", root]) })
    }

    @Test("a read-only vault with a fresh index answers list and search (index opened read-only); a stale one says so")
    func readOnlyVault() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try expectSuccess(Self.fileReport(vault, year: 2023))
            try expectSuccess(vault.dossier(["list"]))
            let fresh = try FileSystem.readFile("\(vault.vault)/index.sqlite")

            let (run, undo) = try Self.readOnly(directory)
            let list = try run(["list", "--vault", vault.vault])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("IMUT-2021-0007 v2"))
            #expect(!list.stderr.contains("readonly database"))
            let search = try run(["search", "储能", "--vault", vault.vault])
            #expect(search.status == 0, "\(search.stderr)")
            #expect(search.stdout.contains("IMUT-2021-0007"))
            try undo()

            // The store moves on behind an index that cannot follow.
            try expectSuccess(Self.fileReport(vault, year: 2024))
            try FileSystem.replaceFile("\(vault.vault)/index.sqlite", fresh)
            let (runStale, undoStale) = try Self.readOnly(directory)
            let stale = try runStale(["list", "--vault", vault.vault])
            #expect(stale.status != 0)
            #expect(stale.stderr.contains("the index is behind the store (1 dossier changed) and cannot be written (a read-only vault); run dossier index where it can be"), "\(stale.stderr)")
            try undoStale()
        }
    }

    @Test("a claim in locks/ left by a filer killed before it made its scratch is removed by the next filing once a minute old")
    func orphanedClaims() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            let old = "\(vault.vault)/locks/scratch-00000000deadbeef.lock"
            let recent = "\(vault.vault)/locks/scratch-00000000cafebabe.lock"
            try writeFile(old, "")
            try writeFile(recent, "")
            #expect(try runProgram("/usr/bin/touch", ["-d", "2 minutes ago", old]).status == 0)
            try expectSuccess(Self.fileReport(vault, year: 2023))
            #expect(!FileSystem.exists(old))
            // Not yet a minute old: perhaps a filer between making its claim and locking it.
            #expect(FileSystem.exists(recent))
            let claims = try FileSystem.contents(of: "\(vault.vault)/locks").filter { $0.hasPrefix("scratch-") }
            #expect(claims == ["scratch-00000000cafebabe.lock"])
        }
    }

    @Test("a tmp that is a symbolic link (into store/ or anywhere) is refused before anything is staged")
    func stagingSymlink() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try FileSystem.makeDirectories("\(vault.store)/staging-here")
            try? FileSystem.removeTree("\(vault.vault)/tmp")
            #expect(symlink("store/staging-here", "\(vault.vault)/tmp") == 0)
            let outcome = try Self.fileReport(vault, year: 2023)
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "dossier: error: \(vault.vault)/tmp: is a symbolic link; the vault's tmp must be a plain folder outside store/ (remove the link: dossier makes the folder again)\n")
            #expect(try FileSystem.contents(of: "\(vault.store)/staging-here").isEmpty)
            #expect(try vault.dossier(["log", "IMUT-2021-0007"]).stdout.contains("v2") == false)

            // Once the link is gone the filing goes through.
            try FileSystem.removeFile("\(vault.vault)/tmp")
            try expectSuccess(Self.fileReport(vault, year: 2023))
        }
    }

    @Test("re-filing identical content is \"nothing to file\" in the same second and in a later one")
    func identicalRefiling() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try expectSuccess(Self.fileReport(vault, year: 2023))
            let again = try Self.fileReport(vault, year: 2023)
            #expect(again.status == 2)
            #expect(again.stderr.contains("IMUT-2021-0007: nothing to file; the new version would be identical to v2"), "\(again.stderr)")
            // A later clock second: the document's filedAt would differ, the content not.
            let second = Int(Date().timeIntervalSince1970)
            while Int(Date().timeIntervalSince1970) == second { usleep(50_000) }
            let later = try Self.fileReport(vault, year: 2023)
            #expect(later.status == 2)
            #expect(later.stderr.contains("IMUT-2021-0007: nothing to file; the new version would be identical to v2"), "\(later.stderr)")
            // Different facts are a new version.
            try writeFile("\(vault.root)/report.txt", "annual report 2023\n")
            let changed = try vault.dossier([
                "file", "IMUT-2021-0007", "--kind", "annual-report", "\(vault.root)/report.txt", "--fact", "year=2023",
                "--fact", "signedOn=2024-02-01", "--fact", "parties=[\"内蒙古工业大学\"]",
            ])
            expectSuccess(changed)
            #expect(changed.stdout.hasPrefix("IMUT-2021-0007 v3"))
        }
    }
}

extension VaultHygieneTests {
    /// Runs SQL on the vault's index with Python's sqlite3 (the index is SQLite).
    static func editIndex(_ vault: CLIVault, _ sql: String) throws {
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"
        let outcome = try runProgram("/usr/bin/env", ["python3", "-c", script, "\(vault.vault)/index.sqlite", sql])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test("index --check re-derives dossiers from the store and names a row edited in index.sqlite; --deep names one the store does not hold")
    func indexCheckAgainstStore() throws {
        try withTemporaryDirectory { directory in
            let vault = try CLIVault(in: directory)
            try expectSuccess(Self.fileReport(vault, year: 2023))
            let clean = try vault.dossier(["index", "--check"])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(clean.stdout.contains("store check: 1 dossier re-derived from the store (a sample): ok"), "\(clean.stdout)")

            try Self.editIndex(vault, "UPDATE dossier SET record = replace(record, '一种风光互补储能系统的控制方法', '篡改的标题')")
            // The freshness check watches the store, so list believes the row …
            #expect(try vault.dossier(["list"]).stdout.contains("篡改的标题"))
            // … and the check does not.
            let edited = try vault.dossier(["index", "--check"])
            #expect(edited.status == 1)
            #expect(edited.stdout.contains("store check: 1 dossier re-derived from the store (a sample); rows that differ:\n  IMUT-2021-0007: title\n"), "\(edited.stdout)")
            #expect(edited.stderr.contains("the index differs from the store in 1 dossier; run `dossier index --rebuild`"), "\(edited.stderr)")
            let json = try JSONValue.parse(Array(try vault.dossier(["index", "--check", "--json"]).stdout.utf8))
            #expect(json["storeCheck"]?["differences"]?.arrayValue?.first?["fields"] == .array([.string("title")]))

            try expectSuccess(vault.dossier(["index", "--rebuild"]))
            // A row for a dossier the store does not hold: the freshness check watches the
            // store's objects, so only --deep, listing both sides, sees it.
            try Self.editIndex(vault, """
                CREATE TEMP TABLE copy AS SELECT * FROM dossier;
                UPDATE copy SET id = 'IMUT-2099-0001', record = replace(record, 'IMUT-2021-0007', 'IMUT-2099-0001');
                INSERT INTO dossier SELECT * FROM copy;
                """)
            #expect(try vault.dossier(["list"]).stdout.contains("IMUT-2099-0001"))
            let deep = try vault.dossier(["index", "--deep"])
            #expect(deep.status == 1, "\(deep.stderr)")
            #expect(deep.stdout.contains("store check: 1 dossier re-derived from the store (all); rows that differ:\n  IMUT-2099-0001: not in the store\n"), "\(deep.stdout)")
        }
    }
}
