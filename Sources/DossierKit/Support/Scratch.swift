import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// A work file or folder that must not outlive the process making it: a filing's staging
/// folder, an index being rebuilt, an export being written. A process stopped by Ctrl-C, `kill -9` or a power cut runs
/// no cleanup, and what it leaves can be gigabytes inside the vault; so each scratch name is
/// claimed by an exclusive `flock` in `locks/` *before* anything is created under it, and
/// `sweep(in:prefix:locks:)` removes exactly the scratch whose claim nobody holds any more
/// (`flock` locks vanish with their process).
///
/// ```swift
/// Scratch.sweep(in: stagingPath, prefix: "filing-", locks: locksPath)
/// let scratch = try Scratch(in: stagingPath, prefix: "filing-", locks: locksPath)
/// defer { scratch.remove() }
/// try FileSystem.makeDirectories(scratch.path)
/// ```
public final class Scratch: Sendable {
    /// `<directory>/<prefix><token>`; not created: the caller creates it. Companions named
    /// with it as a prefix (SQLite's `-journal`) belong to it too.
    public let path: String
    private let claimPath: String
    private let claim: FileLock

    public init(in directory: String, prefix: String, locks: String) throws(FileSystemError) {
        let token = Scratch.newToken()
        let claimPath = Scratch.claimPath(token: token, locks: locks)
        do {
            claim = try FileLock(path: claimPath, mode: .exclusive, timeout: 0)
        } catch {
            switch error {
            case .io(let failure): throw failure
            // A fresh random name that someone holds: nothing to wait for, try again later.
            case .busy: throw FileSystemError(operation: "flock", path: claimPath, code: EWOULDBLOCK)
            }
        }
        self.claimPath = claimPath
        path = "\(directory)/\(prefix)\(token)"
    }

    /// Removes the scratch and its companions, then gives up the claim.
    public func remove() {
        Scratch.removeEntries(at: path)
        _ = unlink(claimPath)
        withExtendedLifetime(claim) {}
    }

    /// Removes every scratch in `directory` named with `prefix` whose process is gone. Never
    /// throws: a sweep that cannot finish leaves the rest for the next one.
    static func sweep(in directory: String, prefix: String, locks: String) {
        guard let names = try? FileSystem.contents(of: directory) else { return }
        var tokens = Set<Substring>()
        for name in names where name.hasPrefix(prefix) {
            let token = name.dropFirst(prefix.count).prefix(tokenLength)
            if token.count == tokenLength, token.allSatisfy(\.isHexDigit) { tokens.insert(token) }
        }
        // Claims whose process died before it created its scratch (killed between the two):
        // without a scratch in any folder nothing above finds them, and they pile up in locks/.
        // Only claims older than a minute: a live process creates its claim and locks it in
        // the same moment, so an unlocked claim that old has no owner.
        if let claims = try? FileSystem.contents(of: locks) {
            let cutoff = time(nil) - orphanAgeSeconds
            for name in claims where name.hasPrefix(claimPrefix) && name.hasSuffix(".lock") {
                let token = name.dropFirst(claimPrefix.count).dropLast(".lock".count)
                guard token.count == tokenLength, token.allSatisfy(\.isHexDigit), !tokens.contains(token) else { continue }
                var status = stat()
                guard lstat("\(locks)/\(name)", &status) == 0, status.st_mtim.tv_sec < cutoff else { continue }
                tokens.insert(token)
            }
        }
        for token in tokens.sorted() {
            let claimPath = claimPath(token: String(token), locks: locks)
            guard let claim = try? FileLock(path: claimPath, mode: .exclusive, timeout: 0) else { continue }
            removeEntries(at: "\(directory)/\(prefix)\(token)")
            _ = unlink(claimPath)
            withExtendedLifetime(claim) {}
        }
    }

    private static let tokenLength = 16
    private static let claimPrefix = "scratch-"
    /// How old an unlocked claim with no scratch must be to be removed by a sweep.
    static let orphanAgeSeconds = 60

    private static func newToken() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: tokenLength - hex.count) + hex
    }

    private static func claimPath(token: String, locks: String) -> String { "\(locks)/\(claimPrefix)\(token).lock" }

    private static func removeEntries(at path: String) {
        let directory = FileSystem.parent(of: path)
        let name = FileSystem.lastComponent(of: path)
        for entry in (try? FileSystem.contents(of: directory)) ?? [] where entry.hasPrefix(name) {
            try? FileSystem.removeTree("\(directory)/\(entry)")
        }
    }
}
