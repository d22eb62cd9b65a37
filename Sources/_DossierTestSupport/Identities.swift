import DossierKit
import Foundation

/// An age key pair for tests: the identity file (mode 0600, as `age-keygen` writes it) and
/// its public key.
public struct TestIdentity: Sendable {
    public let path: String
    public let recipient: String
    public let identity: AgeIdentity

    /// Makes a new key pair and writes its identity file at `path`.
    public init(at path: String) throws {
        identity = try AgeIdentity.generate()
        recipient = identity.recipient.encoded
        self.path = path
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        try FileSystem.writeNewFile(path, Array(identity.fileText(created: "2026-12-06T00:00:00+08:00").utf8))
        chmod(path, 0o600)
    }
}

extension Vault {
    /// The vault with `name` cleared for `level` through `identity`.
    public func clearing(_ name: String, _ level: Classification, _ identity: TestIdentity) throws -> Vault {
        try addClearance(Clearance(name: name, level: level, recipient: identity.recipient), by: Agent(name: "管理员", email: "admin@example.org"))
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in the bytes.
    public func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

/// Every regular file under `root` whose bytes contain `marker`: the byte search that shows a
/// classified paper left no trace in the clear.
public func filesContaining(_ marker: [UInt8], under root: String) throws -> [String] {
    var found: [String] = []
    func walk(_ path: String) throws {
        switch FileSystem.kind(of: path) {
        case .directory:
            for name in try FileSystem.contents(of: path) { try walk("\(path)/\(name)") }
        case .regular:
            if try FileSystem.readFile(path, limit: 1 << 32).contains(subsequence: marker) { found.append(path) }
        default:
            break
        }
    }
    try walk(root)
    return found
}

extension Vault {
    /// Puts a new seal key where the vault looks for it (mode 600), as `dossier seal init` does
    /// but without its audit line, so that tests counting audit lines count only their own.
    @discardableResult
    public func installTestSealKey(_ algorithm: SealAlgorithm = .ed25519) throws -> SealKey {
        let key = try SealKey.generate(algorithm)
        try FileSystem.makeDirectories(FileSystem.parent(of: sealKeyPath))
        chmod(FileSystem.parent(of: sealKeyPath), 0o700)
        let file = try FileDescriptor.open(sealKeyPath, .createNew, permissions: 0o600)
        try file.write(Array(key.pem.utf8))
        try file.close()
        return key
    }
}
