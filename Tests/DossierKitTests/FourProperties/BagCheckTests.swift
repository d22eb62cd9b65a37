import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// The transfer stage: every export carries the check of its version, and a bag as received —
/// ours or another system's — is checked without a vault.
@Suite("Four-properties check of an export and of a received bag")
struct BagCheckTests {
    typealias C = CleanDossier
    typealias F = FourPropertiesFixtures

    /// Exports the clean dossier's head as a tar.gz into `root/out`.
    static func export(_ builder: VaultBuilder, root: String, asOf: String = "2026-12-01") throws -> (ExportResult, String) {
        try FileSystem.makeDirectories("\(root)/out")
        let output = "\(root)/out/\(C.id)-v3.tar.gz"
        var request = ExportRequest(id: C.dossierID, version: nil, format: .tarGzip, output: output, clearance: nil, reason: nil, user: builder.agent)
        request.asOf = LocalDate(asOf)
        if !FileSystem.exists(builder.vault.sealKeyPath) { try builder.vault.installTestSealKey() }
        return (try builder.vault.exporter.export(request), output)
    }

    /// The tag file `name` of a bag archive, parsed.
    static func tagFile(_ archive: String, _ name: String, root: String) throws -> JSONValue {
        let folder = "\(root)/unpacked-\(UUID().uuidString)"
        try unpackArchive(archive, into: folder)
        return try JSONValue.parse(try FileSystem.readFile("\(folder)/\(C.id)-v3/\(name)"))
    }

    @Test("every export carries the transfer-stage check of its version in metadata/four-properties.json, the same in each export as of the same day but for the audit log's length")
    func exportCarriesTheCheck() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            let (result, archive) = try Self.export(builder, root: root)
            let report = try #require(result.fourProperties)
            #expect(report.stage == .transfer)
            #expect(report.version == "v3")
            #expect(report.checkedAt == nil)
            #expect(C.items(report, .failed) == [], "\(C.lines(report))")
            #expect(C.items(report, .notRun) == [.A4, .S2], "\(C.lines(report))")
            #expect(report.result(.A1)?.summary.hasPrefix("every payload file hashed against the store's sha256") == true)
            let json = try Self.tagFile(archive, "metadata/four-properties.json", root: root)
            #expect(json == report.json)
            #expect(json["stage"] == "transfer")
            #expect(json["asOf"] == "2026-12-01")
            // A second export of the same version as of the same day carries the same results, but
            // for S3, which reports the audit log as it is then (the first export added a line).
            let again = try Self.export(builder, root: "\(root)/second")
            let second = try #require(again.0.fourProperties)
            #expect(second.items.filter { $0.item != .S3 } == report.items.filter { $0.item != .S3 })
            #expect(second.result(.S3)?.outcome == .passed)
            // The bag is still one bagit.py and our verifier accept.
            #expect(try BagVerifier.verify(archive).isValid)
        }
    }

    @Test("an export of a dossier that fails an item says so in its bag")
    func exportCarriesAFailure() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root, v1: { papers in papers[2].bytes = try F.bytes("javascript.pdf") })
            let (result, archive) = try Self.export(builder, root: root)
            #expect(result.fourProperties.map { C.items($0, .failed) } == [.S1])
            let json = try Self.tagFile(archive, "metadata/four-properties.json", root: root)
            #expect(json["outcome"] == "failed")
        }
    }

    @Test("our export, received: every item runs on the bag; a flipped payload byte fails A1 and nothing else")
    func ourBagReceived() throws {
        try withTemporaryDirectory { root in
            let builder = try C.build(at: root)
            let (_, archive) = try Self.export(builder, root: root)
            let options = try C.options(stage: .transfer, scannerIn: root)
            let report = try BagCheck.check(bagAt: archive, options: options)
            #expect(report.kind == .dossierBag)
            #expect(report.version == "v3")
            #expect(C.items(report, .failed) == [], "\(C.lines(report))")
            #expect(C.items(report, .warning) == [], "\(C.lines(report))")
            // No seal over the tag manifest and no audit head in the bag yet (sealed exports, issue 17).
            #expect(C.items(report, .notRun) == [.A4, .S3], "\(C.lines(report))")
            #expect(C.items(report, .notApplicable) == [.S4])
            #expect(report.result(.I3)?.outcome == .passed)
            #expect(report.result(.A2)?.summary == "2 signed documents: 2 passed")
            // Unpacked, with one byte of a text flipped: A1 fails naming the file.
            let folder = "\(root)/unpacked"
            try unpackArchive(archive, into: folder)
            let bag = "\(folder)/\(C.id)-v3"
            try SampleVault.flipByte(in: "\(bag)/data/documents/team-consensus/团队协商一致书.txt", at: 0)
            let damaged = try BagCheck.check(bagAt: bag, options: options)
            #expect(C.items(damaged, .failed) == [.A1], "\(C.lines(damaged))")
            #expect(damaged.result(.A1)?.details.allSatisfy { $0.file == "data/documents/team-consensus/团队协商一致书.txt" } == true, "\(C.lines(damaged))")
        }
    }

    @Test("a bag made by bagit-python is checked with the items that apply; the rest are not applicable")
    func bagitPythonBag() throws {
        let validators = try #require(validatorsDirectory, "no validators: run `bash scripts/setup.sh --validators` (scripts/test.sh does)")
        try withTemporaryDirectory { root in
            let bag = "\(root)/received"
            try FileSystem.makeDirectories(bag)
            try writeFile("\(bag)/会议纪要.txt", Array("会议纪要：同意转化。\n".utf8))
            try writeFile("\(bag)/approval.pdf", try F.bytes("clean.pdf"))
            let made = try runProgram("\(validators)/bagit.py", ["--contact-name", "档案馆", bag])
            try #require(made.status == 0, "\(made.stderr)")
            let options = try C.options(stage: .transfer, scannerIn: root)
            let report = try BagCheck.check(bagAt: bag, options: options)
            #expect(report.kind == .bag)
            #expect(C.items(report, .failed) == [], "\(C.lines(report))")
            #expect(C.items(report, .passed) == [.A1, .A5, .I1, .U1, .U2, .U3, .U4, .S1, .S2], "\(C.lines(report))")
            #expect(C.items(report, .notApplicable) == [.A2, .A3, .A4, .A6, .I2, .I3, .I4, .I5, .S3, .S4], "\(C.lines(report))")
            #expect(report.result(.I3)?.summary == BagItems.foreign)
            // Another bag from bagit.py with the EICAR file beside them: S2 fails, nothing else.
            try FileSystem.makeDirectories("\(root)/again")
            try writeFile("\(root)/again/eicar.txt", F.eicar)
            for name in ["会议纪要.txt", "approval.pdf"] {
                try writeFile("\(root)/again/\(name)", try FileSystem.readFile("\(bag)/data/\(name)"))
            }
            #expect(try runProgram("\(validators)/bagit.py", ["\(root)/again"]).status == 0)
            let infected = try BagCheck.check(bagAt: "\(root)/again", options: options)
            #expect(C.items(infected, .failed) == [.S2], "\(C.lines(infected))")
            #expect(infected.result(.S2)?.details.contains { $0.file == "data/eicar.txt" && $0.reason.hasPrefix("ClamAV found Eicar-Test-Signature") } == true, "\(C.lines(infected))")
        }
    }
}
