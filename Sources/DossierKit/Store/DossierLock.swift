#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An exclusive lock on one dossier, held through `flock` on `locks/<id>.lock`.
///
/// The lock lives outside `store/` (OCFL forbids stray files there). `flock` locks vanish
/// with the process, so a crashed filing never leaves a dossier locked forever. The file
/// records who holds it, for the message another process prints while it waits.
public final class DossierLock {
    public let id: DossierID
    private let descriptor: Int32

    /// Takes the lock, waiting up to `timeout` seconds for another process to release it.
    /// - Parameter onWait: called once, with the holder's description, if the lock is busy.
    /// - Throws: ``StoreError/locked(_:holder:waitedSeconds:)`` when the wait runs out.
    public init(id: DossierID, directory: String, timeout: Double, onWait: (String) -> Void = { _ in }) throws(StoreError) {
        do { try FileSystem.makeDirectories(directory) } catch { throw .io(error) }
        let path = "\(directory)/\(id.rawValue).lock"
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(FileSystemError(operation: "open", path: path, code: errno)) }
        let start = Date()
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                Glibc.close(descriptor)
                throw .io(FileSystemError(operation: "flock", path: path, code: code))
            }
            let holder = DossierLock.holder(of: path)
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout {
                Glibc.close(descriptor)
                throw .locked(id, holder: holder, waitedSeconds: waited)
            }
            if !announced {
                onWait(holder)
                announced = true
            }
            usleep(useconds_t(min(20_000 + Int.random(in: 0..<10_000), Int(max(0, timeout - waited) * 1_000_000))))
        }
        self.id = id
        self.descriptor = descriptor
        let note = Array("pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date()))\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }

    private static func holder(of path: String) -> String {
        let text = (try? FileSystem.readFile(path, limit: 4096)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "a process that is starting" : trimmed
    }
}
