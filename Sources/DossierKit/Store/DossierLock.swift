import DossierModel
/// An exclusive lock on one dossier, held through `flock` on `locks/<id>.lock`.
///
/// The lock lives outside `store/` (OCFL forbids stray files there); see ``FileLock``.
public final class DossierLock {
    public let id: DossierID
    private let lock: FileLock

    /// Takes the lock, waiting up to `timeout` seconds for another process to release it.
    /// - Parameters:
    ///   - id: the dossier.
    ///   - directory: the vault's `locks/` folder.
    ///   - timeout: seconds to wait for another holder.
    ///   - onWait: called once, with the holder's description, if the lock is busy.
    /// - Throws: ``StoreError/locked(_:holder:waitedSeconds:)`` when the wait runs out.
    public init(id: DossierID, directory: String, timeout: Double, onWait: (String) -> Void = { _ in }) throws(StoreError) {
        do {
            lock = try FileLock(path: "\(directory)/\(id.rawValue).lock", mode: .exclusive, timeout: timeout, onWait: onWait)
        } catch {
            switch error {
            case .busy(let holder, let waited): throw .locked(id, holder: holder, waitedSeconds: waited)
            case .io(let problem): throw .io(problem)
            }
        }
        self.id = id
    }
}

/// Where the dossiers' locks are and how long to wait for one: what a process needs to take
/// a dossier's lock.
public struct DossierLocks: Sendable {
    public let directory: String
    public let timeout: Double

    public init(directory: String, timeout: Double) {
        self.directory = directory
        self.timeout = timeout
    }

    /// Takes one dossier's lock (see ``DossierLock``).
    public func lock(_ id: DossierID, onWait: (String) -> Void = { _ in }) throws(StoreError) -> DossierLock {
        try DossierLock(id: id, directory: directory, timeout: timeout, onWait: onWait)
    }
}
