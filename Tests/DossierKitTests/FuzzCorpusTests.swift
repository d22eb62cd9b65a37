import DossierModel
import Foundation
import Testing
import _DossierTestSupport

@testable import DossierKit

/// The fuzzers' seed corpora (Tests/Fixtures/fuzz-corpus, age-header-corpus) replayed through
/// the same entry points libFuzzer drives (scripts/fuzz.sh): every seed runs without a crash,
/// and the seeds that are meant to be valid are accepted (so the fuzzer starts from inputs
/// that reach deep into each parser, not from ones refused at the first byte).
@Suite("Fuzzing: seed corpora replay through every target")
struct FuzzCorpusTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func seeds(_ target: FuzzTarget) throws -> [String] {
        let folder = target == .ageHeader ? "\(fixtures)/age-header-corpus" : "\(fixtures)/fuzz-corpus/\(target.rawValue)"
        return try FileSystem.contents(of: folder).filter { !$0.hasSuffix(".sh") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test("each target's seeds run without a crash", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let seeds = try Self.seeds(target)
        #expect(seeds.count >= 2, "\(target.rawValue) has \(seeds.count) seeds")
        try withTemporaryDirectory { scratch in
            for seed in seeds { target.run(try FileSystem.readFile(seed), scratch: scratch) }
        }
    }

    @Test("the valid seeds are accepted: filing.json decodes, inventories decode, the bundles survey, the bag verifies")
    func validSeeds() throws {
        for seed in try Self.seeds(.filingJSON) {
            #expect(throws: Never.self) { try FilingManifest.decode(try FieldReader.parse(file: seed, data: try FileSystem.readFile(seed))) }
        }
        let inventories = try Self.seeds(.ocflInventory).filter {
            (try? Inventory.decode(try FieldReader.parse(file: $0, data: try FileSystem.readFile($0)))) != nil
        }
        #expect(inventories.count >= 2)
        for seed in try Self.seeds(.bundle) {
            #expect(throws: Never.self) { _ = try FilingBundle.survey(seed, limits: FilingLimits()) }
        }
        let bag = try FileSystem.readFile(try #require(try Self.seeds(.bagit).first))
        try withTemporaryDirectory { scratch in
            FuzzTarget.bagit.run(bag, scratch: scratch)
            let report = try BagVerifier.verify("\(scratch)/bag")
            #expect(report.errors == [], "\(report.errors)")
        }
    }
}
