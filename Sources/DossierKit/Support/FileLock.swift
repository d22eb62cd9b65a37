import DossierModel
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A `flock` on one file under `locks/`, shared or exclusive.
///
/// `flock` locks vanish with the process, so a crash never leaves anything locked. An
/// exclusive holder writes who it is into the file, for the message another process prints
/// while it waits. The lock is released when the object is released.
public final class FileLock: Sendable {
    public enum Mode: Sendable {
        case shared, exclusive
    }

    /// Why a lock was not taken.
    public enum Failure: Error, Sendable {
        /// Another process held it for the whole wait.
        case busy(holder: String, waitedSeconds: Double)
        case io(FileSystemError)
    }

    public let path: String
    public let mode: Mode
    private let descriptor: Int32

    /// Takes the lock, waiting up to `timeout` seconds for other processes to release it.
    /// - Parameters:
    ///   - path: the lock file, created when missing.
    ///   - mode: shared or exclusive.
    ///   - timeout: seconds to wait for other holders.
    ///   - onWait: called once, with the holder's description, if the lock is busy.
    public init(path: String, mode: Mode, timeout: Double, onWait: (String) -> Void = { _ in }) throws(Failure) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty {
            do { try FileSystem.makeDirectories(directory) } catch { throw .io(error) }
        }
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, FileDescriptor.filePermissions)
        guard descriptor >= 0 else { throw .io(FileSystemError(operation: "open", path: path, code: errno)) }
        let operation = mode == .exclusive ? LOCK_EX : LOCK_SH
        let start = Date()
        var announced = false
        while flock(descriptor, operation | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                Glibc.close(descriptor)
                throw .io(FileSystemError(operation: "flock", path: path, code: code))
            }
            let holder = FileLock.holder(of: path)
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout {
                Glibc.close(descriptor)
                throw .busy(holder: holder, waitedSeconds: waited)
            }
            if !announced {
                onWait(holder)
                announced = true
            }
            usleep(useconds_t(min(20_000 + Int.random(in: 0..<10_000), Int(max(0, timeout - waited) * 1_000_000))))
        }
        self.path = path
        self.mode = mode
        self.descriptor = descriptor
        if mode == .exclusive {
            let note = Array("pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date()))\n".utf8)
            _ = ftruncate(descriptor, 0)
            _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        if mode == .exclusive { _ = ftruncate(descriptor, 0) }
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }

    private static func holder(of path: String) -> String {
        let text = (try? FileSystem.readFile(path, limit: 4096)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "a process reading or starting" : trimmed
    }
}
