import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// A vault made through the CLI with one dossier, IMUT-2021-0007 at v1, for tests to file into.
struct CLIVault {
    let root: String
    var vault: String { "\(root)/Vault" }
    var store: String { "\(vault)/store" }

    init(in root: String) throws {
        self.root = root
        try expectSuccess(runDossier(["init", "--vault", vault]))
        try expectSuccess(runDossier([
            "new", "IMUT-2021-0007", "--vault", vault, "--title", "一种风光互补储能系统的控制方法", "--unit", "imut",
            "--type", "patent", "--grant", "ownership", "--funding", "fiscal",
            "--completer", "王芳:60:representative", "--completer", "李强:40",
        ]))
    }

    func dossier(_ arguments: [String]) throws -> ProcessOutcome {
        try runDossier(arguments + ["--vault", vault])
    }

    /// Leftovers of a filing in the staging area (there must be none once a command ends).
    func stagingLeftovers() throws -> [String] {
        FileSystem.isDirectory("\(vault)/tmp") ? try FileSystem.contents(of: "\(vault)/tmp") : []
    }
}

@discardableResult
func expectSuccess(_ outcome: ProcessOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> ProcessOutcome {
    #expect(outcome.status == 0, "exit \(outcome.status): \(outcome.stderr)", sourceLocation: sourceLocation)
    return outcome
}

/// A filing bundle folder: filing.json (as text, so tests can write malformed JSON) plus files.
func makeBundleFolder(_ path: String, filing: String, files: [String: String] = [:]) throws {
    try writeFile("\(path)/filing.json", filing)
    for (name, text) in files { try writeFile("\(path)/\(name)", text) }
}

/// One entry of an archive crafted by Tests/Fixtures/craft-archive.py.
struct CraftedEntry: Encodable {
    var name: String?
    var nameHex: String?
    var type = "file"
    var data: String?
    var target: String?

    static func file(_ name: String, _ data: String) -> CraftedEntry { CraftedEntry(name: name, data: data) }
}

/// Writes an archive with exactly these entries, hostile ones included.
func craftArchive(_ path: String, format: String, entries: [CraftedEntry]) throws {
    let spec = try JSONEncoder().encode(entries)
    let outcome = try runProgram("/usr/bin/env", ["python3", "\(packageRoot)/Tests/Fixtures/craft-archive.py", path, format], stdin: Array(spec))
    guard outcome.status == 0 else { throw CraftError(message: outcome.stderr) }
}

struct CraftError: Error { var message: String }

/// A filing.json for IMUT-2021-0007 that files `files` as publicity records.
func publicityFiling(_ files: [String], dossier: String = "IMUT-2021-0007") -> String {
    let documents = files.map {
        #"{"kind": "publicity-record", "file": "\#($0)", "facts": {"signedOn": "2021-03-01", "parties": ["内蒙古工业大学"], "startsOn": "2021-03-01", "endsOn": "2021-03-16", "objections": "none"}}"#
    }
    return #"{"dossier": "\#(dossier)", "message": "公示记录", "documents": [\#(documents.joined(separator: ", "))]}"#
}
