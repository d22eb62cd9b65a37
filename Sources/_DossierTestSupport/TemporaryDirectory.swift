import DossierKit
import Foundation

/// Runs `body` with a new empty directory that is removed afterwards (even when `body` throws).
public func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    let path = try FileSystem.makeTemporaryDirectory(in: base, prefix: "dossier-test-")
    defer { try? FileSystem.removeTree(path) }
    return try body(path)
}

/// The async form of ``withTemporaryDirectory(_:)``.
public func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    let path = try FileSystem.makeTemporaryDirectory(in: base, prefix: "dossier-test-")
    defer { try? FileSystem.removeTree(path) }
    return try await body(path)
}

/// Writes a small file, creating folders as needed.
public func writeFile(_ path: String, _ text: String) throws {
    try writeFile(path, Array(text.utf8))
}

public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try FileSystem.makeDirectories(FileSystem.parent(of: path))
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

public func readText(_ path: String) throws -> String {
    String(decoding: try FileSystem.readFile(path), as: UTF8.self)
}

/// A fingerprint of a whole tree: every path, its type and every file's bytes. Two equal
/// fingerprints mean the tree is byte-for-byte the same.
public func treeFingerprint(_ root: String) throws -> String {
    var lines: [String] = []
    func visit(_ path: String, _ relative: String) throws {
        switch FileSystem.kind(of: path) {
        case .directory:
            lines.append("D \(relative)")
            for name in try FileSystem.contents(of: path) { try visit("\(path)/\(name)", relative.isEmpty ? name : "\(relative)/\(name)") }
        case .regular:
            lines.append("F \(relative) \(try StreamDigester.digest(fileAt: path).sha256.hex)")
        case .symbolicLink:
            lines.append("L \(relative)")
        case .other(let what):
            lines.append("O \(relative) \(what)")
        case .missing:
            break
        }
    }
    try visit(root, "")
    return try Hasher.digest(.sha256, of: Array(lines.joined(separator: "\n").utf8)).hex
}

/// Where the shared outside fixtures are (OCFL, BagIt conformance), from `DOSSIER_FIXTURES`.
/// `nil` when unset or missing; tests that need them must fail loudly in that case.
public var sharedFixtures: String? {
    guard let path = ProcessInfo.processInfo.environment["DOSSIER_FIXTURES"], FileSystem.isDirectory(path) else { return nil }
    return path
}

/// The package's root folder (this file is Sources/_DossierTestSupport/TemporaryDirectory.swift).
public let packageRoot: String = {
    var path = #filePath
    for _ in 0..<3 { path = FileSystem.parent(of: path) }
    return path
}()

/// A folder holding the independent validators (ocfl-validate.py, bagit.py, bdbag,
/// check-jsonschema), from `DOSSIER_VALIDATORS` (set by scripts/test.sh), else `.venv/bin`.
public var validatorsDirectory: String? {
    if let path = ProcessInfo.processInfo.environment["DOSSIER_VALIDATORS"], FileSystem.isDirectory(path) { return path }
    let local = "\(packageRoot)/.venv/bin"
    return FileSystem.isDirectory(local) ? local : nil
}
