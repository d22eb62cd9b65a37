import DossierModel
import Foundation

/// Where a command writes bytes it produces: standard output, or a file named by `-o`.
public enum OutputDestination: Sendable {
    case standardOutput
    case file(String)

    /// Whether bytes are written where they go as they come (standard output, a pipe, a
    /// device), so that nothing can be taken back once written.
    public var isStream: Bool {
        switch self {
        case .standardOutput: true
        case .file(let path): FileSystem.exists(path) && FileSystem.kind(of: path) != .regular
        }
    }

    /// Runs `body` with a descriptor to write to. For a regular file (new or existing), the
    /// bytes go to a temporary file beside it that is renamed over it only when `body`
    /// returns: a failed check leaves what was there before. A device or a pipe (`/dev/null`,
    /// a FIFO) is written directly: there is nothing to rename.
    /// - Parameters:
    ///   - durable: `fsync` the file before it appears, as `export --sync` does. Off by
    ///     default, as for `cp` or `age -d`: the vault keeps the original, so a copy lost to a
    ///     power cut can be made again, and flushing a large copy costs seconds of writeback.
    ///   - body: writes the bytes to the descriptor it is given.
    public func write<R>(durable: Bool = false, _ body: (FileDescriptor) throws -> R) throws -> R {
        switch self {
        case .standardOutput:
            return try body(FileDescriptor(rawValue: 1, path: "standard output"))
        case .file(let path):
            if case .regular = FileSystem.kind(of: path) {} else if FileSystem.exists(path) {
                let sink = try FileDescriptor.open(path, .replace)
                defer { sink.closeQuietly() }
                return try body(sink)
            }
            let temporary = "\(FileSystem.parent(of: path))/.\(FileSystem.lastComponent(of: path)).partial-\(getpid())"
            let sink = try FileDescriptor.open(temporary, .replace)
            let result: R
            do {
                result = try body(sink)
                if durable { try sink.sync() }
            } catch {
                sink.closeQuietly()
                try? FileSystem.removeFile(temporary)
                throw error
            }
            do {
                try sink.close()
                try FileSystem.rename(temporary, to: path)
            } catch {
                try? FileSystem.removeFile(temporary)
                throw error
            }
            return result
        }
    }
}
