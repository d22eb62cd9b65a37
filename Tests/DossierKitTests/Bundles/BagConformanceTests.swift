import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The Library of Congress BagIt conformance suite (fixtures/bagit-conformance): every bag,
/// as a folder and as tar, tar.gz and zip archives made here, must get the suite's verdict.
@Suite("verify-bundle against the BagIt conformance suite")
struct BagConformanceTests {
    static var suite: String? { sharedFixtures.map { "\($0)/bagit-conformance" } }

    /// Every bag folder in the suite, as `v0.97/valid/basic-bag`; empty without fixtures
    /// (then ``suiteIsPresent()`` fails).
    static let bags: [String] = {
        guard let suite else { return [] }
        var found: [String] = []
        for version in (try? FileSystem.contents(of: suite)) ?? [] where version.hasPrefix("v") {
            for category in (try? FileSystem.contents(of: "\(suite)/\(version)")) ?? [] {
                for bag in (try? FileSystem.contents(of: "\(suite)/\(version)/\(category)")) ?? []
                where FileSystem.isDirectory("\(suite)/\(version)/\(category)/\(bag)") {
                    found.append("\(version)/\(category)/\(bag)")
                }
            }
        }
        return found
    }()

    /// What the suite expects of one bag, and the problems that must be named.
    struct Expectation {
        var valid: Bool
        var errors: [(file: String, text: String)] = []
        var warnings: [(file: String, text: String)] = []
    }

    static let dotSlash = Expectation(valid: true, warnings: [("manifest-md5.txt", "line 5: \"./data/test2.txt\" starts with \"./\"")])

    /// Bags whose verdict comes with named problems; every other valid bag must have none.
    static let expectations: [String: Expectation] = [
        "v0.96/valid/bag-with-leading-dot-slash-in-manifest": dotSlash,
        "v0.97/valid/bag-with-leading-dot-slash-in-manifest": dotSlash,
        "v0.97/warning/duplicate-file-with-different-case": Expectation(valid: true, warnings: [
            ("data/HELLO.txt", "beside data/hello.txt, which differs only in case"),
            ("data/hello.txt", "listed 2 times in manifest-sha512.txt (lines 1, 2) with the same checksum"),
        ]),
        "v0.97/warning/made-with-md5sum-tools": Expectation(valid: true, warnings: [
            ("manifest-md5.txt", "line 1: the \"*\" before data/hello.txt is md5sum's binary-mode marker"),
            ("tagmanifest-md5.txt", "line 1: the \"*\" before bag-info.txt"),
            ("tagmanifest-md5.txt", "line 2: the \"*\" before bagit.txt"),
            ("tagmanifest-md5.txt", "line 3: the \"*\" before manifest-md5.txt"),
        ]),
        "v0.97/warning/relative-path": Expectation(valid: true, warnings: [("manifest-sha512.txt", "line 1: \"./data/hello.txt\" starts with \"./\"")]),
        "v0.97/warning/same-filename-listed-twice-with-different-normalization": Expectation(valid: true, warnings: [
            ("data/Nu\u{301}n\u{303}ez", "in Unicode form NFD, while the file's name is in NFC"),
            ("data/N\u{FA}\u{F1}ez", "listed 2 times in manifest-sha512.txt (lines 1, 2) with the same checksum"),
        ]),
        "v0.97/warning/same-filename-listed-twice-with-the-same-hash": Expectation(valid: true, warnings: [
            ("data/README", "listed 2 times in manifest-sha256.txt (lines 1, 2) with the same checksum"),
        ]),
        // The suite's README: this bag lacks its .DS_Store in Git. A listed but missing
        // operating-system file is a warning, and Payload-Oxum may count it.
        "v0.97/warning/special-system-files": Expectation(valid: true, warnings: [
            ("data/.DS_Store", "listed in manifest-sha512.txt but missing; it is an operating-system metadata file"),
            ("bag-info.txt", "Payload-Oxum 0.2 counts the 1 missing operating-system metadata file"),
            ("data/Thumbs.db", "is an operating-system metadata file, not content"),
        ]),
        "v0.97/invalid/bom-in-bagit.txt": Expectation(valid: false, errors: [("bagit.txt", "begins with a byte-order mark")]),
        "v0.97/invalid/corrupt-tag-file": Expectation(valid: false, errors: [
            ("bag-info.txt", "md5 mismatch: tagmanifest-md5.txt line 1 says deadbeefe555f031"),
            ("bagit.txt", "md5 mismatch: tagmanifest-md5.txt line 2 says deadbeefe0d29adc"),
            ("manifest-md5.txt", "md5 mismatch: tagmanifest-md5.txt line 3 says deadbeef4b6c69eb"),
        ]),
        "v0.97/invalid/invalid-version-number": Expectation(valid: false, errors: [("bagit.txt", "BagIt-Version \".97\" is not a version number M.N")]),
        "v0.97/invalid/missing-bagit.txt": Expectation(valid: false, errors: [("bagit.txt", "missing; a bag declares itself")]),
        "v0.97/invalid/out-of-scope-file-paths-using-dot-notation-for-fetch": Expectation(valid: false, errors: [
            ("fetch.txt", "line 1: \"../../../README.md\" is not a path inside the bag"),
        ]),
        // windows-only/ is meant for Windows; on Linux these paths are simply not under
        // data/, so the bags are invalid here too.
        "v0.97/windows-only/out-of-scope-file-paths-using-absolute-path": Expectation(valid: false, errors: [
            ("manifest-md5.txt", "line 3: lists C:\\Windows\\System32\\setx.exe, which is outside the payload folder data/"),
        ]),
        "v0.97/windows-only/out-of-scope-file-paths-using-absolute-path-for-fetch": Expectation(valid: false, errors: [
            ("fetch.txt", "line 1: \"C:\\Windows\\System32\\setx.exe\" is outside the payload folder data/"),
        ]),
        "v0.97/windows-only/out-of-scope-file-paths-using-shortcut": Expectation(valid: false, errors: [
            ("manifest-md5.txt", "line 3: lists %HomeDrive%\\Windows\\System32\\setx.exe, which is outside the payload folder data/"),
        ]),
        "v0.97/windows-only/out-of-scope-file-paths-using-shortcut-for-fetch": Expectation(valid: false, errors: [
            ("fetch.txt", "line 1: \"%HomeDrive%\\Windows\\System32\\setx.exe\" is outside the payload folder data/"),
        ]),
        "v0.97/windows-only/out-of-scope-file-paths-using-unc": Expectation(valid: false, errors: [
            ("manifest-md5.txt", "line 3: lists \\\\?\\UNC\\server\\Windows\\System32\\setx.exe, which is outside the payload folder data/"),
        ]),
        "v0.97/windows-only/out-of-scope-file-paths-using-unc-for-fetch": Expectation(valid: false, errors: [
            ("fetch.txt", "line 1: \"\\\\?\\UNC\\server\\Windows\\System32\\setx.exe\" is outside the payload folder data/"),
        ]),
        "v1.0/invalid/bagit-with-invalid-whitespace": Expectation(valid: false, errors: [
            ("bagit.txt", "line 1: expected \"BagIt-Version: value\""),
            ("bagit.txt", "line 2: expected \"Tag-File-Character-Encoding: value\""),
        ]),
        "v1.0/invalid/notAllManifestsListAllFiles": Expectation(valid: false, errors: [
            ("data/missingFromManifest.txt", "not listed in manifest-sha512.txt"),
        ]),
        "v1.0/invalid/same-filename-listed-twice-with-different-hashes": Expectation(valid: false, errors: [
            ("bagit.txt", "got \"BagIt-Version: 1.0 \""),
            ("data/README", "listed 2 times in manifest-sha256.txt (lines 1, 2) with different checksums"),
        ]),
        "v1.0/invalid/same-filename-listed-twice-with-the-same-hash": Expectation(valid: false, errors: [
            ("data/README", "listed 2 times in manifest-sha256.txt (lines 1, 2); BagIt 1.0 lists each file once"),
        ]),
    ]

    static func expectation(for bag: String) -> Expectation {
        if let known = expectations[bag] { return known }
        return Expectation(valid: bag.contains("/valid/"))
    }

    static func check(_ report: BagReport, against expected: Expectation, _ label: String) {
        #expect(report.isValid == expected.valid, "\(label): errors \(report.errors)")
        if expected.valid {
            #expect(report.errors.isEmpty, "\(label)")
        }
        for (file, text) in expected.errors {
            #expect(report.errors.contains { $0.file == file && $0.problem.contains(text) }, "\(label): no error \(file): …\(text)… in \(report.errors)")
        }
        #expect(report.warnings.count == expected.warnings.count, "\(label): warnings \(report.warnings)")
        for (file, text) in expected.warnings {
            #expect(report.warnings.contains { $0.file == file && $0.problem.contains(text) }, "\(label): no warning \(file): …\(text)… in \(report.warnings)")
        }
    }

    @Test("the suite is present, with its 48 bags in every category")
    func suiteIsPresent() throws {
        // Given DOSSIER_FIXTURES (scripts/test.sh sets it)
        let suite = try #require(BagConformanceTests.suite, "DOSSIER_FIXTURES is not set or missing; run scripts/test.sh")
        // Then every bag of the suite is found
        #expect(FileSystem.isDirectory(suite))
        #expect(BagConformanceTests.bags.count == 48)
        let categories = Set(BagConformanceTests.bags.map { $0.split(separator: "/").dropFirst().first.map(String.init) ?? "" })
        #expect(categories == ["valid", "invalid", "warning", "windows-only"])
        // And every named expectation refers to a bag that exists
        for bag in BagConformanceTests.expectations.keys {
            #expect(BagConformanceTests.bags.contains(bag), "\(bag) is not in the suite")
        }
    }

    @Test("each bag folder gets the suite's verdict, and is not modified", arguments: BagConformanceTests.bags)
    func folderVerdict(_ bag: String) throws {
        // Given one of the suite's bags, as it is in the fixtures
        let suite = try #require(BagConformanceTests.suite)
        let path = "\(suite)/\(bag)"
        let before = try treeFingerprint(path)
        // When it is verified in place
        let report = try BagVerifier.verify(path)
        // Then the verdict and the named problems are the suite's
        BagConformanceTests.check(report, against: BagConformanceTests.expectation(for: bag), bag)
        // And nothing in the folder changed
        #expect(try treeFingerprint(path) == before)
    }

    @Test("each bag as tar, tar.gz and zip gets the same report as the folder, read in place", arguments: BagConformanceTests.bags)
    func archiveVerdict(_ bag: String) throws {
        let suite = try #require(BagConformanceTests.suite)
        try withTemporaryDirectory { directory in
            // Given the bag written into archives (entries in byte order: data/ before the
            // manifests, so md5 bags need the second pass)
            let folderReport = try BagVerifier.verify("\(suite)/\(bag)")
            let name = FileSystem.lastComponent(of: bag)
            for format in ArchiveFormat.allCases {
                let archive = "\(directory)/\(name).\(format.rawValue)"
                try archiveFolder("\(suite)/\(bag)", format: format, to: archive, topFolder: name)
                let before = try fileSHA256(archive)
                let listing = try FileSystem.contents(of: directory)
                // When the archive is verified
                let report = try BagVerifier.verify(archive)
                // Then it says exactly what the folder said
                #expect(report.errors == folderReport.errors, "\(bag) as \(format.rawValue)")
                #expect(report.warnings == folderReport.warnings, "\(bag) as \(format.rawValue)")
                #expect(report.root == name)
                BagConformanceTests.check(report, against: BagConformanceTests.expectation(for: bag), "\(bag) as \(format.rawValue)")
                // And the archive is untouched, with nothing unpacked beside it
                #expect(try fileSHA256(archive) == before)
                #expect(try FileSystem.contents(of: directory) == listing)
            }
        }
    }

    @Test("special-system-files with its .DS_Store restored: valid, warning about both system files only")
    func systemFilesRestored() throws {
        let suite = try #require(BagConformanceTests.suite)
        try withTemporaryDirectory { directory in
            // Given a copy of the bag with the empty .DS_Store its manifest lists (sha512 of nothing)
            let copy = "\(directory)/special-system-files"
            for name in ["bag-info.txt", "bagit.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt", "data/Thumbs.db"] {
                try writeFile("\(copy)/\(name)", try FileSystem.readFile("\(suite)/v0.97/warning/special-system-files/\(name)"))
            }
            try writeFile("\(copy)/data/.DS_Store", [UInt8]())
            // When it is verified
            let report = try BagVerifier.verify(copy)
            // Then it is valid, and warns about the two system files, not about Payload-Oxum
            #expect(report.errors.isEmpty)
            #expect(report.warnings == [
                BagProblem(file: "data/.DS_Store", problem: "is an operating-system metadata file, not content"),
                BagProblem(file: "data/Thumbs.db", problem: "is an operating-system metadata file, not content"),
            ])
        }
    }
}
