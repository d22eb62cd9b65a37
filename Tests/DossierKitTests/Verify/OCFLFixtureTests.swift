import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The official OCFL 1.1 fixtures (OCFL/fixtures, in `DOSSIER_FIXTURES/ocfl-1.1`): our verdict
/// must be theirs.
@Suite("OCFL 1.1 fixtures")
struct OCFLFixtureTests {
    /// Every fixture folder, as `good-objects/name`; a single marker when the fixtures are
    /// missing, so that the test runs and fails loudly instead of silently running nothing.
    static let folders: [String] = {
        guard let root = sharedFixtures else { return [missingMarker] }
        var folders: [String] = []
        for group in ["good-objects", "bad-objects", "warn-objects"] {
            let names = (try? FileSystem.contents(of: "\(root)/ocfl-1.1/\(group)")) ?? []
            folders += names.map { "\(group)/\($0)" }
        }
        return folders.isEmpty ? [missingMarker] : folders
    }()

    static let missingMarker = "DOSSIER_FIXTURES is unset, or has no ocfl-1.1 fixtures"

    /// The codes a fixture's folder name starts with: `E092_E093_content…` → E092, E093.
    static func expectedCodes(_ folder: String) -> [String] {
        let name = FileSystem.lastComponent(of: folder)
        return name.split(separator: "_").map(String.init).prefix { token in
            token.count == 4 && (token.hasPrefix("E") || token.hasPrefix("W")) && token.dropFirst().allSatisfy(\.isNumber)
        }
    }

    @Test("each official fixture gets the official verdict", arguments: folders)
    func fixtureVerdict(_ folder: String) throws {
        let root = try #require(
            sharedFixtures.map { "\($0)/ocfl-1.1" },
            "the OCFL fixtures are missing: set DOSSIER_FIXTURES to the shared fixtures folder (scripts/test.sh sets it to ../shared/fixtures)")
        try #require(folder != Self.missingMarker, "\(Self.missingMarker): nothing to validate")
        try withTemporaryDirectory { temporary in
            // Git cannot hold an empty folder: E003_E063_empty holds a .keep that stands for nothing.
            var path = "\(root)/\(folder)"
            if folder.hasSuffix("E003_E063_empty") {
                path = "\(temporary)/empty"
                try FileSystem.makeDirectory(path)
            }
            // Given an official fixture object
            // When it is validated with every digest recomputed
            let report = try OCFLValidator.validate(paths: [path])
            let reported = Set(report.findings.map(\.code.rawValue))
            let expected = Self.expectedCodes(folder)
            let listing = report.findings.map(\.description).joined(separator: "\n")
            // Then the verdict and the codes are the fixture's
            switch folder.prefix(while: { $0 != "/" }) {
            case "good-objects":
                #expect(report.errorCount == 0, "a good object must have no error:\n\(listing)")
            case "bad-objects":
                #expect(!report.isValid, "a bad object must be invalid")
                #expect(!reported.isDisjoint(with: expected), "expected one of \(expected), got:\n\(listing)")
            default:
                #expect(report.isValid, "a warn object must be valid:\n\(listing)")
                #expect(Set(expected).isSubset(of: reported), "expected the warnings \(expected), got:\n\(listing)")
            }
        }
    }

    @Test("the fixture folder names give their codes")
    func codesFromNames() {
        // Given fixture names with one, two and three codes
        // Then the leading codes are read, and the words after them are not
        #expect(Self.expectedCodes("bad-objects/E092_E093_content_path_does_not_exist") == ["E092", "E093"])
        #expect(Self.expectedCodes("warn-objects/W001_W004_W005_zero_padded_versions") == ["W001", "W004", "W005"])
        #expect(Self.expectedCodes("bad-objects/E036_no_id") == ["E036"])
    }
}
