import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// A minimal, valid OCFL 1.1 object written by hand (one version, `a.txt` and `b/c.txt`), so
/// that each test can break one thing the official fixtures do not cover.
enum MiniObject {
    static let files = ["a.txt": "first file\n", "b/c.txt": "second file\n"]

    static func inventory(files: [String: String] = files) throws -> JSONObject {
        var manifest = JSONObject()
        var state = JSONObject()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let digest = try Hasher.digest(.sha512, of: Array(text.utf8)).hex
            manifest[digest] = [.string("v1/content/\(path)")]
            state[digest] = [.string(path)]
        }
        return [
            "id": "urn:example:mini",
            "type": "https://ocfl.io/1.1/spec/#inventory",
            "digestAlgorithm": "sha512",
            "head": "v1",
            "manifest": .object(manifest),
            "versions": ["v1": ["created": "2024-05-01T10:00:00+08:00", "message": "first", "user": ["name": "A", "address": "mailto:a@example.org"], "state": .object(state)]],
        ]
    }

    /// Writes the object at `path`, after `edit` changed its inventory (root and v1 copy,
    /// with correct sidecars).
    static func write(at path: String, files: [String: String] = files, edit: (inout JSONObject) throws -> Void = { _ in }) throws {
        var inventory = try inventory(files: files)
        try edit(&inventory)
        try writeFile("\(path)/0=ocfl_object_1.1", "ocfl_object_1.1\n")
        for (file, text) in files { try writeFile("\(path)/v1/content/\(file)", text) }
        let bytes = Array(JSONValue.object(inventory).serialized().utf8)
        let sidecar = "\(try Hasher.digest(.sha512, of: bytes).hex)  inventory.json\n"
        for folder in [path, "\(path)/v1"] {
            try writeFile("\(folder)/inventory.json", bytes)
            try writeFile("\(folder)/inventory.json.sha512", sidecar)
        }
    }
}

@Suite("OCFL codes beyond the official fixtures")
struct OCFLObjectCodeTests {
    /// One defect, the code it must bring, and the path it must be reported on.
    struct Defect: CustomStringConvertible, Sendable {
        let name: String
        let code: String
        let path: String
        let edit: @Sendable (inout JSONObject) throws -> Void
        let damage: @Sendable (String) throws -> Void

        init(_ name: String, _ code: String, _ path: String, edit: @escaping @Sendable (inout JSONObject) throws -> Void = { _ in }, damage: @escaping @Sendable (String) throws -> Void = { _ in }) {
            self.name = name
            self.code = code
            self.path = path
            self.edit = edit
            self.damage = damage
        }

        var description: String { name }
    }

    static func version(_ inventory: inout JSONObject, _ change: (inout JSONObject) -> Void) {
        guard case .object(var versions)? = inventory["versions"], case .object(var block)? = versions["v1"] else { return }
        change(&block)
        versions["v1"] = .object(block)
        inventory["versions"] = .object(versions)
    }

    static let defects: [Defect] = [
        Defect("an unknown inventory key", "E102", "inventory.json", edit: { $0["note"] = "hello" }),
        Defect("a message that is a number", "E094", "inventory.json", edit: { version(&$0) { $0["message"] = 3 } }),
        Defect("a user without a name", "E054", "inventory.json", edit: { version(&$0) { $0["user"] = ["address": "mailto:a@example.org"] } }),
        Defect("a user without an address", "W008", "inventory.json", edit: { version(&$0) { $0["user"] = ["name": "A"] } }),
        Defect("a created date without seconds", "E049", "inventory.json", edit: { version(&$0) { $0["created"] = "2024-05-01T10:00+08:00" } }),
        Defect("an inventory type of another spec", "E038", "inventory.json", edit: { $0["type"] = "https://ocfl.io/1.0/spec/#inventory" }),
        Defect("a sha1 content digest algorithm", "E025", "inventory.json", edit: { $0["digestAlgorithm"] = "sha1" }),
        Defect("an id that is not a URI", "W005", "inventory.json", edit: { $0["id"] = "mini" }),
        Defect("a fixity block that is an array", "E111", "inventory.json", edit: { $0["fixity"] = [] }),
        Defect("an unknown fixity algorithm", "E056", "inventory.json", edit: { $0["fixity"] = ["crc32": [:]] }),
        Defect("a content path outside the content folder", "E021", "inventory.json", edit: { inventory in
            guard case .object(var manifest)? = inventory["manifest"], let key = manifest.keys.first else { return }
            manifest[key] = ["v1/data/a.txt"]
            inventory["manifest"] = .object(manifest)
        }),
        Defect("a file beside the inventory in a version folder", "E015", "v1/notes.txt", damage: { try writeFile("\($0)/v1/notes.txt", "x") }),
        Defect("a folder beside the content folder", "W002", "v1/extra", damage: { try FileSystem.makeDirectories("\($0)/v1/extra") }),
        Defect("an empty folder in the content folder", "E024", "v1/content/empty", damage: { try FileSystem.makeDirectories("\($0)/v1/content/empty") }),
        Defect("a file in the content folder the manifest lacks", "E023", "v1/content/extra.txt", damage: { try writeFile("\($0)/v1/content/extra.txt", "x") }),
        Defect("a symbolic link in the content folder", "E090", "v1/content/link", damage: {
            try FileManager.default.createSymbolicLink(atPath: "\($0)/v1/content/link", withDestinationPath: "a.txt")
        }),
        Defect("a file in the object's extensions folder", "E067", "extensions/readme.txt", damage: { try writeFile("\($0)/extensions/readme.txt", "x") }),
        Defect("a sidecar that is not DIGEST inventory.json", "E061", "inventory.json.sha512", damage: { try writeFile("\($0)/inventory.json.sha512", "not a digest\n") }),
        Defect("a missing sidecar", "E058", "inventory.json.sha512", damage: { try FileSystem.removeFile("\($0)/inventory.json.sha512") }),
        Defect("a sidecar named for another algorithm", "E059", "inventory.json.md5", damage: {
            try FileSystem.rename("\($0)/inventory.json.sha512", to: "\($0)/inventory.json.md5")
        }),
        Defect("an inventory that is not JSON", "E033", "inventory.json", damage: { try writeFile("\($0)/inventory.json", "{\"id\": ") }),
        Defect("a version folder the inventory lacks", "E046", "v2", damage: { try FileSystem.makeDirectories("\($0)/v2/content") }),
        Defect("a missing version folder", "E046", "v1", damage: { try FileSystem.removeTree("\($0)/v1") }),
        Defect("a declaration with the wrong text", "E007", "0=ocfl_object_1.1", damage: { try writeFile("\($0)/0=ocfl_object_1.1", "ocfl_object_1.1") }),
        Defect("a declaration of an unknown version", "E004", "0=ocfl_object_2.0", damage: {
            try FileSystem.rename("\($0)/0=ocfl_object_1.1", to: "\($0)/0=ocfl_object_2.0")
        }),
        Defect("a missing content folder", "E016", "v1/content", damage: { try FileSystem.removeTree("\($0)/v1/content") }),
    ]

    @Test("each defect is reported with its code on its path, and makes the object invalid only when it is an error", arguments: defects)
    func defect(_ defect: Defect) throws {
        try withTemporaryDirectory { directory in
            // Given a minimal valid object with one defect
            let object = "\(directory)/object"
            try MiniObject.write(at: object, edit: defect.edit)
            try defect.damage(object)
            // When it is validated
            let report = try OCFLValidator.validate(paths: [object])
            // Then the defect's code is reported on the defect's path
            let listing = report.findings.map(\.description).joined(separator: "\n")
            #expect(report.findings.contains { $0.code.rawValue == defect.code && $0.path == defect.path }, "\(listing)")
            #expect(report.isValid == defect.code.hasPrefix("W"), "\(listing)")
        }
    }

    @Test("paths are compared by their bytes: a name that differs only in Unicode normalization is another file")
    func pathsAreBytes() throws {
        try withTemporaryDirectory { directory in
            // Given an object whose manifest has "é.txt" (NFC), and a second file "é.txt" in NFD
            // (e + combining acute accent), which Swift strings would call equal
            let object = "\(directory)/object"
            let composed = "\u{E9}.txt"
            let decomposed = "e\u{301}.txt"
            try MiniObject.write(at: object, files: [composed: "composed\n"])
            try writeFile("\(object)/v1/content/\(decomposed)", "decomposed\n")
            // When it is validated
            let report = try OCFLValidator.validate(paths: [object])
            // Then the NFD file is a file the manifest does not list, and nothing else is wrong
            #expect(report.findings.map(\.code.rawValue) == ["E023"])
            #expect(report.findings.first.map { Array($0.path.utf8) } == Array("v1/content/\(decomposed)".utf8))
        }
    }

    @Test("the minimal object itself is valid, with no finding")
    func minimalObjectIsValid() throws {
        try withTemporaryDirectory { directory in
            try MiniObject.write(at: "\(directory)/object")
            let report = try OCFLValidator.validate(paths: ["\(directory)/object"])
            #expect(report.findings.map(\.description) == [])
            #expect(report.filesHashed == 2)
        }
    }

    @Test("version names: zero-padding is a warning; mixing conventions and gaps are errors", arguments: [
        (["v1", "v2"], [String]()),
        (["v01", "v02"], ["W001"]),
        (["v1", "v02"], ["E013"]),
        (["v1", "v02", "v3"], ["E012"]),
        (["v1", "v3"], ["E010"]),
        (["v2"], ["E009"]),
        (["1"], ["E104"]),
        (["v1", "v0"], ["E105"]),
    ])
    func versionNames(_ names: [String], _ expected: [String]) throws {
        // Given an inventory whose versions have these names (all with the same state)
        var inventory = try MiniObject.inventory()
        let block = try #require(inventory["versions"]?["v1"])
        inventory["versions"] = .object(JSONObject(names.map { ($0, block) }))
        inventory["head"] = .string(names.last ?? "v1")
        // When only its version names are looked at
        let codes = try InventoryCodes.of(inventory).filter { ["W001", "E009", "E010", "E011", "E012", "E013", "E104", "E105"].contains($0) }
        // Then exactly the expected codes come out
        #expect(codes == expected)
    }

    @Test("RFC 3339 created values", arguments: [
        ("2024-05-01T10:00:00Z", true), ("2024-05-01T10:00:00.123+08:00", true), ("2024-05-01t10:00:00z", true),
        ("2024-05-01T10:00:00", false), ("2024-05-01T10:00Z", false), ("2024-02-30T10:00:00Z", false),
        ("2024-05-01 10:00:00Z", false), ("2024-05-01T25:00:00Z", false), ("2024-05-01T10:00:00+0800", false),
    ])
    func createdValues(_ created: String, _ valid: Bool) throws {
        var inventory = try MiniObject.inventory()
        OCFLObjectCodeTests.version(&inventory) { $0["created"] = .string(created) }
        #expect(try InventoryCodes.of(inventory).contains("E049") == !valid)
    }
}

/// The codes a validation of a minimal object with this inventory reports on its root
/// inventory (the same inventory, copied into v1, would repeat its errors there).
enum InventoryCodes {
    static func of(_ inventory: JSONObject) throws -> [String] {
        try withTemporaryDirectory { directory in
            try MiniObject.write(at: "\(directory)/object") { $0 = inventory }
            let findings = try OCFLValidator.validate(paths: ["\(directory)/object"]).findings
            return findings.filter { $0.path == "inventory.json" }.map(\.code.rawValue)
        }
    }
}

@Suite("The validation code catalogue")
struct ValidationCodeCatalogueTests {
    @Test("the E and W codes are exactly those of OCFL 1.1's validation codes page")
    func catalogueMatchesSpec() {
        // Given the spec's list: E001–E112 without E065, E068, E086, E109; W001–W016 without W006
        let errors = (1...112).filter { ![65, 68, 86, 109].contains($0) }.map { String(format: "E%03d", $0) }
        let warnings = (1...16).filter { $0 != 6 }.map { String(format: "W%03d", $0) }
        // Then the enum's OCFL codes are exactly those, each with the spec's anchor
        let ours = ValidationCode.allCases.filter { !$0.rawValue.hasPrefix("D") && !$0.rawValue.hasPrefix("A") }
        #expect(ours.map(\.rawValue) == errors + warnings)
        #expect(ValidationCode.E092.reference == "https://ocfl.io/1.1/spec/#E092")
        #expect(ValidationCode.W004.severity == .warning && ValidationCode.E092.severity == .error && ValidationCode.D005.severity == .error)
    }

    @Test("the codes never reported are few, and each says why")
    func unreportedCodesExplained() {
        let unreported = ValidationCode.allCases.filter { !$0.isReported }
        #expect(unreported.map(\.rawValue) == [
            "E002", "E022", "E026", "E027", "E028", "E034", "E044", "E051", "E055", "E062", "E072", "E074", "E075",
            "E082", "E087", "E088", "E091", "E098", "W012",
        ])
        #expect(unreported.allSatisfy { ($0.unreportedReason?.count ?? 0) > 20 })
    }
}
