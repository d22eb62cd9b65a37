import DossierKit
import Foundation
import Testing
import _DossierTestSupport

@Suite("dossier verify")
struct VerifyCommandTests {
    static let id = "IMUT-2021-0007"

    static func documentPath(_ vault: Vault) throws -> String {
        "\(vault.store.objectRoot(for: try #require(DossierID(id))))/v1/content/documents/team-consensus/团队约定.pdf"
    }

    @Test("a sound vault: exit 0 and a one-line verdict")
    func soundVault() throws {
        try withTemporaryDirectory { directory in
            // Given a vault written by the library
            try SampleVault.create(at: "\(directory)/Vault")
            // When it is verified
            let outcome = try runDossier(["verify", "--vault", "\(directory)/Vault"])
            // Then it is valid, every file was hashed, and nothing else is said
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("valid: 1 object, 5 files (") == true, "\(outcome.stdout)")
            #expect(outcome.stderr.isEmpty)
        }
    }

    @Test("a changed document: exit 1, and a line naming code, dossier, file and what is wrong")
    func changedDocument() throws {
        try withTemporaryDirectory { directory in
            // Given one flipped byte in a v1 document
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            try SampleVault.flipByte(in: try Self.documentPath(vault))
            // When the vault, or just that dossier, is verified
            let whole = try runDossier(["verify", "--vault", "\(directory)/Vault"])
            let named = try runDossier(["verify", "--vault", "\(directory)/Vault", Self.id])
            // Then both exit 1 with the sha512 (E092) and sha256 fixity (E093) findings
            for outcome in [whole, named] {
                #expect(outcome.status == 1)
                let lines = outcome.stdout.split(separator: "\n").map(String.init)
                #expect(lines.count == 3, "\(outcome.stdout)")
                #expect(lines[0].hasPrefix("E092 IMUT-2021-0007 v1/content/documents/team-consensus/团队约定.pdf: its sha512 is "))
                #expect(lines[0].hasSuffix("the file has changed"))
                #expect(lines[1].hasPrefix("E093 IMUT-2021-0007 v1/content/documents/team-consensus/团队约定.pdf: its sha256 is "))
                #expect(lines[2].hasPrefix("INVALID: 1 object, 5 files ("))
                #expect(lines[2].hasSuffix("; 2 errors, 0 warnings"))
            }
        }
    }

    @Test("--no-digests checks structure only")
    func noDigests() throws {
        try withTemporaryDirectory { directory in
            // Given a changed document
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            try SampleVault.flipByte(in: try Self.documentPath(vault))
            // When verified without digests
            let outcome = try runDossier(["verify", "--vault", "\(directory)/Vault", "--no-digests"])
            // Then the structure is sound and no digest was computed
            #expect(outcome.status == 0)
            #expect(outcome.stdout.hasPrefix("valid: 1 object, structure only, no digests recomputed in "))
        }
    }

    @Test("--json: one object with the verdict, the counts and each finding's code, severity, object, path, version and message")
    func jsonShape() throws {
        try withTemporaryDirectory { directory in
            // Given a changed document
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            try SampleVault.flipByte(in: try Self.documentPath(vault))
            // When verified with --json
            let outcome = try runDossier(["verify", "--vault", "\(directory)/Vault", "--json"])
            // Then stdout is exactly that JSON
            #expect(outcome.status == 1)
            let report = try JSONValue.parse(outcome.stdoutBytes)
            let object = try #require(report.objectValue)
            #expect(object.keys == ["valid", "objects", "filesHashed", "bytesHashed", "errors", "warnings", "findings"])
            #expect(report["valid"] == false)
            #expect(report["objects"] == 1)
            #expect(report["filesHashed"] == 5)
            #expect(report["errors"] == 2)
            #expect(report["warnings"] == 0)
            let findings = try #require(report["findings"]?.arrayValue)
            #expect(findings.count == 2)
            let first = try #require(findings.first?.objectValue)
            #expect(first.keys == ["code", "severity", "object", "path", "version", "message"])
            #expect(first["code"] == "E092")
            #expect(first["severity"] == "error")
            #expect(first["object"] == "IMUT-2021-0007")
            #expect(first["path"] == "v1/content/documents/team-consensus/团队约定.pdf")
            #expect(first["version"] == "v1")
            #expect(first["message"]?.stringValue?.hasPrefix("its sha512 is ") == true)
        }
    }

    @Test("--ocfl validates any object or storage root given")
    func ocflPaths() throws {
        try withTemporaryDirectory { directory in
            // Given a vault's storage root and one of its objects
            let vault = try SampleVault.create(at: "\(directory)/Vault")
            let object = vault.store.objectRoot(for: try #require(DossierID(Self.id)))
            // When both are validated as plain OCFL
            let outcome = try runDossier(["verify", "--ocfl", vault.store.path, object])
            // Then both are valid: the root with its one object, and the object itself
            #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("valid: 2 objects, 10 files ("))
            // And a damaged object makes its storage root invalid too
            try SampleVault.flipByte(in: try Self.documentPath(vault))
            let root = try runDossier(["verify", "--ocfl", vault.store.path])
            #expect(root.status == 1)
            #expect(root.stdout.hasPrefix("E092 \(vault.store.path)/"))
        }
    }

    @Test("exit 2 when it cannot run, 64 for a wrong command line", arguments: [
        (["verify", "--vault", "NOVAULT"], Int32(2), "no vault at"),
        (["verify", "NOPE-1"], Int32(2), "NOPE-1: no such dossier"),
        (["verify", "bad id"], Int32(2), "expected a dossier id"),
        (["verify", "--ocfl", "/nonexistent/object"], Int32(2), "/nonexistent/object: no such file or folder"),
        (["verify", "--ocfl"], Int32(64), "--ocfl needs at least one"),
    ])
    func cannotRun(_ arguments: [String], _ status: Int32, _ message: String) throws {
        try withTemporaryDirectory { directory in
            // Given a vault (for the arguments that need one)
            try SampleVault.create(at: "\(directory)/Vault")
            // When verify is run with arguments it cannot act on
            let outcome = try runDossier(arguments, environment: ["DOSSIER_VAULT": "\(directory)/Vault"], directory: directory)
            // Then it exits with the status and says why on stderr, nothing on stdout
            #expect(outcome.status == status, "\(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
        }
    }
}
