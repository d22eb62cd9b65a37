import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// ocfl-py (an independent implementation, from PyPI) and our validator must agree on what the
/// vault writes.
@Suite("Agreement with ocfl-py")
struct OcflPyAgreementTests {
    /// Every object folder of a store, found by its declaration.
    static func objectFolders(_ store: String) throws -> [String] {
        var found: [String] = []
        func walk(_ folder: String) throws {
            let names = try FileSystem.contents(of: folder)
            if names.contains("0=ocfl_object_1.1") { return found.append(folder) }
            for name in names where FileSystem.isDirectory("\(folder)/\(name)") && name != "extensions" { try walk("\(folder)/\(name)") }
        }
        try walk(store)
        return found
    }

    @Test("on a store written by the vault, both find every object valid, without warnings; after damage, both reject the same object")
    func agreeOnVaultStore() throws {
        let validators = try #require(validatorsDirectory, "the validators are missing: run `bash scripts/setup.sh --validators` (scripts/test.sh does)")
        let ocflValidate = "\(validators)/ocfl-validate.py"
        try #require(FileSystem.exists(ocflValidate), "\(ocflValidate) is missing")
        try withTemporaryDirectory { directory in
            // Given a vault with three dossiers of two versions each
            let ids = ["IMUT-2021-0007", "IMAAAHS-2022-0001", "IMUT-2022-0003"]
            let vault = try SampleVault.create(at: "\(directory)/Vault", ids: ids)
            let objects = try Self.objectFolders(vault.store.path)
            #expect(objects.count == 3)

            // When both validate it
            let theirs = try runProgram(ocflValidate, objects)
            let ours = try OCFLValidator.validate(paths: objects)
            // Then both say valid, with nothing to warn about
            #expect(theirs.status == 0, "\(theirs.stdout)\(theirs.stderr)")
            #expect(theirs.stdout.components(separatedBy: "is VALID").count - 1 == 3)
            #expect(!theirs.stdout.contains("[W"), "\(theirs.stdout)")
            #expect(ours.findings.isEmpty, "\(ours.findings.map(\.description))")

            // When a document of the second dossier changes
            let damaged = vault.store.objectRoot(for: try #require(DossierID(ids[1])))
            try SampleVault.flipByte(in: "\(damaged)/v2/content/documents/unit-approval/单位审批意见.pdf")
            let theirsAfter = try runProgram(ocflValidate, objects)
            let oursAfter = try OCFLValidator.validate(paths: objects)
            // Then both reject exactly that object, for a manifest digest mismatch (E092)
            #expect(theirsAfter.status == 1)
            let invalidLines = theirsAfter.stdout.split(separator: "\n").filter { $0.hasSuffix("is INVALID") }
            #expect(invalidLines.count == 1 && invalidLines.first?.contains(FileSystem.lastComponent(of: damaged)) == true, "\(theirsAfter.stdout)")
            #expect(theirsAfter.stdout.contains("[E092"))
            #expect(Set(oursAfter.findings.filter { $0.severity == .error }.map(\.object)) == [damaged])
            #expect(oursAfter.codes.contains(.E092))
        }
    }
}
