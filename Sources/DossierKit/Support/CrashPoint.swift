#if canImport(Glibc)
import Glibc
#endif

/// A named moment of the commit path at which a crash can be provoked, for the crash
/// campaign (`scripts/campaign-crash-points.sh`): with `DOSSIER_CRASH_AT=<name>` in the
/// environment, the process kills itself with `SIGKILL` the first time it reaches that moment —
/// no clean-up runs, no buffer is flushed, exactly as a power cut or `kill -9` would leave it.
///
/// Compiled in always, inert unless the variable is set: the environment is read once, and a
/// point not armed costs one comparison. Every rename and `fsync` of a filing's commit (the
/// version folder, the root inventory and its sidecar, a new object), of an object rewrite's
/// exchange, of the commit journal and of the audit log's append has a point before and after.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// The staged version folder is complete and synced.
    case versionBuilt = "commit.version-built"
    /// The commit journal (`locks/<id>.commit`) is about to be written.
    case journalWrite = "journal.write.before"
    /// The commit journal is written and synced.
    case journalWritten = "journal.write.after"
    /// Before the new object's folder is renamed into the store (a dossier's v1).
    case objectRenameBefore = "commit.object-rename.before"
    /// After the new object's folder was renamed, before its parent is synced.
    case objectRenameAfter = "commit.object-rename.after"
    /// After the store's folder holding the new object was synced.
    case objectSynced = "commit.object-sync.after"
    /// Before the version folder is renamed into the object (the commit point).
    case versionRenameBefore = "commit.version-rename.before"
    /// After the version folder was renamed into the object, before the object is synced.
    case versionRenameAfter = "commit.version-rename.after"
    /// After the object folder was synced with the new version in it.
    case versionSynced = "commit.version-sync.after"
    /// Before the root inventory is replaced.
    case inventoryRenameBefore = "commit.inventory-rename.before"
    /// After the root inventory was replaced, before its sidecar.
    case inventoryRenameAfter = "commit.inventory-rename.after"
    /// After the root sidecar was replaced, before the object is synced.
    case sidecarRenameAfter = "commit.sidecar-rename.after"
    /// After the object was synced: the version is complete in the store.
    case committed = "commit.sync.after"
    /// Before an audit line is written.
    case auditWriteBefore = "audit.write.before"
    /// After an audit line was written, before it is synced.
    case auditWriteAfter = "audit.write.after"
    /// After the audit line was synced, before `audit.log.head` is replaced.
    case auditSynced = "audit.sync.after"
    /// After `audit.log.head` was replaced.
    case auditHeadWritten = "audit.head.after"
    /// The commit journal is about to be removed (the audit line is in).
    case journalRemove = "journal.remove.before"
    /// Before a rewritten object is exchanged with the old one.
    case exchangeBefore = "rewrite.exchange.before"
    /// After the exchange, before the store's folder is synced.
    case exchangeAfter = "rewrite.exchange.after"
    /// After the old object (now in staging) was removed.
    case rewriteDone = "rewrite.old-removed.after"

    /// The point armed by `DOSSIER_CRASH_AT`, read once.
    static let armed: CrashPoint? = getenv("DOSSIER_CRASH_AT").flatMap { CrashPoint(rawValue: String(cString: $0)) }

    /// Kills the process, with `SIGKILL`, if this point is the armed one.
    @inline(__always)
    func hit() {
        guard let armed = CrashPoint.armed, armed == self else { return }
        kill(getpid(), SIGKILL)
    }
}
