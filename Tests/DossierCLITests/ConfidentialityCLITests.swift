import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// Confidentiality as officers and hostile colleagues meet it at the command line: reading a
/// classified paper takes a cleared key kept private and a reason; a damaged stored paper gives
/// one clear line and not one byte; attempts without a key reveal nothing and are each an audit
/// line; the officers' review decides what `flags` shows, with the version.
@Suite("confidentiality through the CLI")
struct ConfidentialityCLITests {
    static let marker = "绝密标记-ZX81-仅供审查"
    static let path = "documents/secrecy-approval/涉密成果转化审批.txt"

    /// A vault with the officer cleared for secret and one secret dossier holding a paper with the marker.
    struct Setting {
        let vault: CLIVault
        let officer: TestIdentity
        let stranger: TestIdentity
        let root: String

        init(_ root: String) throws {
            self.root = root
            vault = try CLIVault(in: root)
            officer = try TestIdentity(at: "\(root)/keys/officer.key")
            stranger = try TestIdentity(at: "\(root)/keys/stranger.key")
            try expectSuccess(vault.dossier(["clearance", "add", "秘密", "保密办公室", officer.recipient]))
            try expectSuccess(vault.dossier([
                "new", "IMUT-2022-0015", "--title", "稀土永磁材料的低温烧结工艺", "--unit", "imut", "--type", "patent",
                "--grant", "ownership", "--funding", "fiscal", "--classification", "secret",
            ]))
            try writeFile("\(root)/papers/涉密成果转化审批.txt", "审批意见：同意。\(ConfidentialityCLITests.marker)\n" + String(repeating: "涉密内容。", count: 40_000))
            try expectSuccess(vault.dossier([
                "file", "IMUT-2022-0015", "--kind", "secrecy-approval", "\(root)/papers/涉密成果转化审批.txt",
                "--fact", "signedOn=2024-01-02", "--fact", #"parties=["内蒙古工业大学"]"#,
            ]))
        }

        func get(_ extra: [String]) throws -> ProcessOutcome {
            try vault.dossier(["get", "IMUT-2022-0015", ConfidentialityCLITests.path] + extra)
        }

        /// The stored (encrypted) file of the paper.
        func storedPaper() throws -> String {
            let files = try filesContaining(Array("age-encryption.org/v1".utf8), under: vault.store)
            return try #require(files.first { $0.hasSuffix("涉密成果转化审批.txt") })
        }

        func auditLines() throws -> [JSONValue] {
            try readText("\(vault.vault)/audit.log").split(separator: "\n").map { try JSONValue.parse(String($0)) }
        }
    }

    @Test("the cleared officer reads the paper exactly, with a reason, and the read is an audit line naming the document and why")
    func clearedRead() throws {
        try withTemporaryDirectory { root in
            let setting = try Setting(root)
            let read = try expectSuccess(setting.get(["--identity", setting.officer.path, "--reason", "年度保密审查"]))
            #expect(read.stdout == (try readText("\(root)/papers/涉密成果转化审批.txt")))
            let line = try #require(try setting.auditLines().last)
            #expect(line["action"] == "read")
            #expect(line["dossier"] == "IMUT-2022-0015")
            #expect(line["reason"] == "年度保密审查")
            #expect("\(line)".contains("涉密成果转化审批.txt"))
        }
    }

    @Test("without an identity, with a stranger's key, or without a reason: refused, nothing of the paper on stdout, each an audit line")
    func refusedReads() throws {
        try withTemporaryDirectory { root in
            let setting = try Setting(root)
            let attempts: [([String], Int32, String)] = [
                ([], 2, "is classified secret (秘密)"),
                (["--identity", setting.stranger.path, "--reason", "好奇"], 2, "no key in it is cleared in this vault"),
                (["--identity", setting.officer.path], 2, "give --reason"),
            ]
            for (extra, status, message) in attempts {
                let before = try setting.auditLines().count
                let outcome = try setting.get(extra)
                #expect(outcome.status == status, "\(extra): \(outcome.stderr)")
                #expect(outcome.stdout.isEmpty)
                #expect(outcome.stderr.hasPrefix("dossier: error: "))
                #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
                #expect(outcome.stderr.split(separator: "\n").count == 1)
                let after = try setting.auditLines()
                #expect(after.count == before + 1, "\(extra)")
                #expect(after.last?["action"] == "refused")
            }
            // search and export without a key reveal nothing of the paper either
            let search = try setting.vault.dossier(["search", "ZX81"])
            #expect(!search.stdout.contains(Self.marker))
            #expect(search.stdout == "no matches\n")
            let before = try setting.auditLines().count
            let export = try setting.vault.dossier(["export", "IMUT-2022-0015", "-o", "\(root)/out.zip"])
            #expect(export.status == 2)
            #expect(!FileSystem.exists("\(root)/out.zip"))
            #expect(try setting.auditLines().count == before + 1)
            #expect(try filesContaining(Array(Self.marker.utf8), under: setting.vault.vault).isEmpty)
        }
    }

    @Test("an identity file readable by the group is refused, naming the fix")
    func groupReadableIdentity() throws {
        try withTemporaryDirectory { root in
            let setting = try Setting(root)
            chmod(setting.officer.path, 0o640)
            let outcome = try setting.get(["--identity", setting.officer.path, "--reason", "审查"])
            #expect(outcome.status == 2)
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr == "dossier: error: \(setting.officer.path): the identity file is readable or writable by others (mode 640); keep it to yourself: chmod 600 \(setting.officer.path)\n")
        }
    }

    /// The stored paper damaged four ways; each read gives one error line and no byte, to stdout and to -o.
    @Test("a truncated, chunk-swapped or bit-flipped stored paper gives one clear error and no output bytes", arguments: ["truncate", "swap", "flip-payload", "flip-header"])
    func tampered(damage: String) throws {
        try withTemporaryDirectory { root in
            let setting = try Setting(root)
            let stored = try setting.storedPaper()
            var bytes = try FileSystem.readFile(stored)
            let headerEnd = try #require((0..<(bytes.count - 4)).first { bytes[$0] == UInt8(ascii: "-") && Array(bytes[$0..<($0 + 4)]) == Array("--- ".utf8) })
            let payload = try #require(bytes[headerEnd...].firstIndex(of: UInt8(ascii: "\n"))) + 1 + 16
            switch damage {
            case "truncate": bytes.removeLast(1000)
            case "swap":
                let chunk = 65536 + 16
                let first = Array(bytes[payload..<(payload + chunk)])
                bytes.replaceSubrange(payload..<(payload + chunk), with: bytes[(payload + chunk)..<(payload + 2 * chunk)])
                bytes.replaceSubrange((payload + chunk)..<(payload + 2 * chunk), with: first)
            case "flip-payload": bytes[payload + 70_000] ^= 0x01
            default: bytes[headerEnd - 10] ^= 0x01
            }
            chmod(stored, 0o644)
            try FileSystem.replaceFile(stored, bytes)
            let toStdout = try setting.get(["--identity", setting.officer.path, "--reason", "审查"])
            #expect(toStdout.status != 0)
            #expect(toStdout.stdout.isEmpty, "\(damage): \(toStdout.stdout.utf8.count) bytes written")
            #expect(toStdout.stderr.hasPrefix("dossier: error: "), "\(toStdout.stderr)")
            #expect(toStdout.stderr.split(separator: "\n").count == 1, "\(toStdout.stderr)")
            let toFile = try setting.get(["--identity", setting.officer.path, "--reason", "审查", "-o", "\(root)/copy.txt"])
            #expect(toFile.status != 0)
            #expect(!FileSystem.exists("\(root)/copy.txt"))
            #expect(try setting.vault.stagingLeftovers().isEmpty)
        }
    }

    @Test("approve, reject and needs-info each change what flags shows, with the version; a later filing reopens the review; a version that does not exist is refused")
    func review() throws {
        try withTemporaryDirectory { root in
            let setting = try Setting(root)
            func queue() throws -> String {
                let flags = try JSONValue.parse(try expectSuccess(setting.vault.dossier(["flags", "--json"])).stdout)
                let entry = try #require(flags.arrayValue?.first { $0["dossier"] == "IMUT-2022-0015" })
                let state = entry["review"]?["state"]?.stringValue ?? "?"
                return [state, entry["review"]?["reviewedVersion"]?.stringValue].compactMap { $0 }.joined(separator: " ")
            }
            #expect(try queue() == "pending")
            for (decision, shown) in [("needs-info", "needs-info"), ("不同意", "rejected"), ("approve", "approved")] {
                // Each review covers the head it was filed on, and is itself the next version
                let filed = try expectSuccess(setting.vault.dossier(["review", "IMUT-2022-0015", "--decision", decision, "--note", "审查意见", "--by", "保密办公室"]))
                let version = try #require(filed.stdout.firstMatch(of: /^IMUT-2022-0015 v(\d+): filed the review/)?.1).description
                let reviewed = "v\((Int(version) ?? 0) - 1)"
                #expect(try queue() == "\(shown) \(reviewed)")
                #expect(try expectSuccess(setting.vault.dossier(["flags"])).stdout.contains("— \(shown) \(reviewed)"))
            }
            // A later filing reopens the review
            try writeFile("\(root)/papers/补充.txt", "补充材料")
            try expectSuccess(setting.vault.dossier(["file", "IMUT-2022-0015", "--kind", "secrecy-approval", "\(root)/papers/补充.txt", "--fact", "signedOn=2024-02-01", "--fact", #"parties=["内蒙古工业大学"]"#]))
            #expect(try queue() == "pending")
            let refused = try setting.vault.dossier(["review", "IMUT-2022-0015", "--decision", "approve", "--version", "v99", "--note", "x"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("v99"), "\(refused.stderr)")
        }
    }
}
