@testable import DossierKit
import Foundation
import Testing

/// Helpers for the age tests, in a namespace so that they cannot clash with the shared test
/// support of the main package.
enum AgeTesting {
    /// The package root (this file is Tests/DossierKitTests/Crypto/AgeTestSupport.swift).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let ageBinary = "/usr/bin/age"
    static let keygenBinary = "/usr/bin/age-keygen"

    struct Outcome {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs a program with standard output and error going to files (no pipe can fill up).
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil) throws -> Outcome {
        try withTemporaryDirectory { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
            _ = FileManager.default.createFile(atPath: "\(directory)/out", contents: nil)
            _ = FileManager.default.createFile(atPath: "\(directory)/err", contents: nil)
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/out"))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/err"))
            process.standardOutput = out
            process.standardError = err
            if let stdin {
                try Data(stdin).write(to: URL(fileURLWithPath: "\(directory)/in"))
                process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: "\(directory)/in"))
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            try process.run()
            process.waitUntilExit()
            try out.close()
            try err.close()
            return Outcome(
                status: process.terminationStatus,
                stdout: Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/out"))),
                stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(directory)/err")), as: UTF8.self))
        }
    }

    /// Runs `body` in a new directory that is removed afterwards.
    static func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
        let path = NSTemporaryDirectory() + "age-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    static func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }
    static func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Deterministic pseudo-random bytes (SplitMix64), so a failure can be replayed.
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBytes { buffer in
            var index = 0
            while index < count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                for shift in 0..<8 where index < count {
                    buffer[index] = UInt8(truncatingIfNeeded: z >> UInt64(8 * shift))
                    index += 1
                }
            }
        }
        return output
    }

    /// A `read` closure over bytes, handing out at most `step` bytes a call (uneven reads).
    final class Reader {
        let bytes: [UInt8]
        var offset = 0
        var steps: [Int]
        var calls = 0

        init(_ bytes: [UInt8], steps: [Int] = [Int.max]) {
            self.bytes = bytes
            self.steps = steps
        }

        func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
            let step = steps[calls % steps.count]
            calls += 1
            let count = min(buffer.count, bytes.count - offset, step)
            if count > 0 {
                bytes.withUnsafeBytes { source in
                    buffer.baseAddress?.copyMemory(from: source.baseAddress! + offset, byteCount: count)
                }
            }
            offset += count
            return count
        }
    }

    /// Encrypts bytes with this module.
    static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], steps: [Int] = [Int.max]) throws -> [UInt8] {
        let reader = Reader(plaintext, steps: steps)
        var output: [UInt8] = []
        try AgeFile.encrypt(to: recipients, read: reader.read, write: { output += $0 })
        return output
    }

    /// Decrypts with this module, returning what reached `write` and the error, if any.
    static func decrypt(_ file: [UInt8], with identities: [AgeIdentity], steps: [Int] = [Int.max]) -> (output: [UInt8], error: (any Error)?) {
        let reader = Reader(file, steps: steps)
        var output: [UInt8] = []
        do {
            try AgeFile.decrypt(with: identities, read: reader.read, write: { output += $0 })
            return (output, nil)
        } catch {
            return (output, error)
        }
    }

    /// Decrypts the file held whole in memory (the path of a mapped stored file).
    static func decryptInMemory(_ file: [UInt8], with identities: [AgeIdentity]) -> (output: [UInt8], error: (any Error)?) {
        var output: [UInt8] = []
        do {
            try file.withUnsafeBytes { contents in
                _ = try AgeFile.decrypt(with: identities, contents: contents, write: { output += $0 })
            }
            return (output, nil)
        } catch {
            return (output, error)
        }
    }

    /// The path meant for pipes: authenticate, rewind, decrypt. Returns what reached `write`.
    static func decryptForPipe(_ file: [UInt8], with identities: [AgeIdentity]) -> (output: [UInt8], error: (any Error)?) {
        let reader = Reader(file)
        var output: [UInt8] = []
        do {
            try AgeFile.decryptAuthenticatedFirst(with: identities, read: reader.read, rewind: { reader.offset = 0 }, write: { output += $0 })
            return (output, nil)
        } catch {
            return (output, error)
        }
    }

    /// Expects equal bytes, reporting sizes and digests when they differ (Swift Testing would
    /// otherwise render megabytes of array in the failure).
    static func expectSameBytes(
        _ actual: [UInt8], _ expected: some Collection<UInt8>, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = Array(expected)
        guard actual != expected else { return }
        Issue.record(
            "bytes differ: got \(actual.count) (sha256 \(sha256Hex(actual).prefix(16))…), expected \(expected.count) (sha256 \(sha256Hex(expected).prefix(16))…) \(comment)",
            sourceLocation: sourceLocation)
    }

    /// The error's one-line description, or "no error".
    static func message(_ error: (any Error)?) -> String {
        guard let error else { return "no error" }
        return String(describing: error)
    }

    /// A running sha256, to check streams too large to keep; read once.
    final class StreamingSHA256 {
        private var hasher: Hasher? = try? Hasher(.sha256)
        func update(_ bytes: UnsafeRawBufferPointer) { hasher?.update(bytes) }
        func hex() -> String { hasher.take()?.finalize().hex ?? "" }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        // swift-format-ignore: NeverForceUnwrap
        try! Hasher.digest(.sha256, of: bytes).hex
    }

    /// Fails the test loudly when Debian's age is missing (run-tests.sh installs it).
    static func requireAge() throws {
        guard FileManager.default.isExecutableFile(atPath: ageBinary), FileManager.default.isExecutableFile(atPath: keygenBinary) else {
            Issue.record("Debian's age is not installed (apt-get install age): the interoperability tests cannot run")
            throw CancellationError()
        }
    }

    /// A key pair made by `age-keygen`: the identity file's path and the recipient it prints.
    static func ageKeygen(in directory: String, name: String = "key.txt") throws -> (path: String, recipient: String) {
        let path = "\(directory)/\(name)"
        let made = try run(keygenBinary, ["-o", path])
        #expect(made.status == 0, "age-keygen: \(made.stderr)")
        let shown = try run(keygenBinary, ["-y", path])
        return (path, String(decoding: shown.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
