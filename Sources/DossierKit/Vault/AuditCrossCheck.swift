import DossierModel
import Foundation

/// The store and the audit log vouching for each other (the `A` codes of ``ValidationCode``).
///
/// Every line that records a version — a filing, rename, withdrawal, classification's new
/// version — carries the sha512 of that version's `inventory.json` (`inventory`) and of the
/// root inventory it replaced (`replacedInventory`); a rewrite of the object (classify, rekey)
/// carries each version's old and new digest (`versions`). So:
///
/// - every version folder in the store must have its line, with the digest its
///   `inventory.json` has now (A001, A002) — a version's record, message or user edited
///   together with its manifest, fixity and sidecars changes that digest;
/// - every version and dossier the log records must be in the store (A003) — a dossier's
///   object deleted, or a dossier rolled back a version, leaves lines naming what is gone;
/// - a log that is missing or empty while the store holds versions is a failure (A004).
///
/// A change whose line a stopped process left to recovery (its journal is in `locks/`) is
/// reported as pending (A005, a warning), not as damage. Lines written before the log carried
/// digests (no `inventory` key) vouch for the version's presence only.
struct AuditCrossCheck {
    /// What the log says a version's `inventory.json` hashes to, and the line that says it.
    struct Expectation {
        var digest: String?
        var line: Int
    }

    let store: StorageRoot
    let journal: CommitJournal

    /// Reads the log's expectations: dossier → version → digest and line.
    static func expectations(_ records: [AuditRecord]) -> [String: [VersionNumber: Expectation]] {
        var expected: [String: [VersionNumber: Expectation]] = [:]
        for record in records {
            guard let action = record.action, let dossier = record.fields["dossier"]?.stringValue else { continue }
            switch action {
            case .filing:
                guard let version = record.fields["version"]?.stringValue.flatMap(VersionNumber.init) else { continue }
                expected[dossier, default: [:]][version] = Expectation(digest: record.fields["inventory"]?.stringValue, line: record.line)
            case .classify, .rekey:
                for entry in record.fields["versions"]?.arrayValue ?? [] {
                    guard let version = entry["version"]?.stringValue.flatMap(VersionNumber.init), let digest = entry["new"]?.stringValue else { continue }
                    expected[dossier, default: [:]][version] = Expectation(digest: digest, line: record.line)
                }
            default:
                continue
            }
        }
        return expected
    }

    /// Cross-checks the dossiers `ids` (all in the store when empty, and then also those the
    /// log names that the store lacks).
    /// - Parameters:
    ///   - known: what a verification just found of each dossier's object (its version folders,
    ///     their inventories' digests); the others are listed and hashed here.
    ///   - listed: every dossier of the store, as that verification's walk found them; walked
    ///     again here when nil.
    func check(
        records: [AuditRecord], logExists: Bool, ids: [DossierID], known: [DossierID: ObjectVersions] = [:], listed: [DossierID]? = nil
    ) throws(StoreError) -> [OCFLFinding] {
        let expected = AuditCrossCheck.expectations(records)
        let all = ids.isEmpty
        let stored: [DossierID]
        if !all {
            stored = ids
        } else if let listed {
            stored = listed
        } else {
            stored = try store.dossierIDs()
        }
        var findings: [OCFLFinding] = []

        // Each dossier's version folders and their inventories' digests, on every core.
        var versionsByDossier: [(DossierID, [(VersionNumber, String?)])] = []
        versionsByDossier.reserveCapacity(stored.count)
        let store = self.store
        try? orderedParallelMap(
            count: stored.count, workers: ProcessInfo.processInfo.activeProcessorCount, window: 256,
            produce: { index in
                let id = stored[index]
                let found = known[id]
                return (id, store.versionInventoryDigests(of: id, folders: found?.folders, known: found?.inventoryDigests ?? [:]))
            },
            consume: { _, result in versionsByDossier.append(result) })

        let totalVersions = versionsByDossier.reduce(0) { $0 + $1.1.count }
        if records.isEmpty, totalVersions > 0 {
            let problem = logExists ? "is empty" : "is missing"
            findings.append(OCFLFinding(
                .A004, object: "audit.log", path: "",
                message: "\(problem), but the store holds \(totalVersions) version\(totalVersions == 1 ? "" : "s") of \(versionsByDossier.count(where: { !$0.1.isEmpty })) dossier\(versionsByDossier.count == 1 ? "" : "s"); the log was deleted or truncated"))
            return findings
        }

        // The journals present, from one listing of locks/: most dossiers have none, and trying
        // to open each one's would cost two failed opens a dossier.
        let journals = Set((try? FileSystem.contents(of: journal.locksPath)) ?? [])
        for (id, versions) in versionsByDossier {
            let lines = expected[id.rawValue] ?? [:]
            var pending: [VersionNumber: String] = [:]
            for kind in CommitJournal.Kind.allCases where journals.contains(FileSystem.lastComponent(of: journal.path(id, kind))) {
                for (version, digest) in journal.read(id, kind)?.expected ?? [:] { pending[version] = digest }
            }
            let held = Set(versions.map(\.0))
            for (version, actual) in versions {
                guard let actual else { continue }  // unreadable: the OCFL checks report it
                let path = "\(version)/inventory.json"
                if pending[version] == actual, lines[version]?.digest != actual {
                    findings.append(OCFLFinding(
                        .A005, object: id.rawValue, path: path, version: version.description,
                        message: "is committed and its audit line is pending: a process was stopped before writing it; the next change to \(id) writes it (marked as written by recovery)"))
                    continue
                }
                guard let line = lines[version] else {
                    findings.append(OCFLFinding(
                        .A001, object: id.rawValue, path: path, version: version.description,
                        message: "\(version) is in the store, but no audit line records it (sha512 \(actual.shortDigest)): the version was added behind the vault's back, or its line removed"))
                    continue
                }
                if let digest = line.digest, digest != actual {
                    findings.append(OCFLFinding(
                        .A002, object: id.rawValue, path: path, version: version.description,
                        message: "hashes to sha512 \(actual.shortDigest), but audit.log line \(line.line) recorded \(digest.shortDigest) when \(version) was filed: the version (its record, documents, message or user) was changed afterwards"))
                }
            }
            for version in lines.keys.sorted() where !held.contains(version) {
                guard let line = lines[version] else { continue }
                let head = versions.map(\.0).max()
                let message = head.map { "\(version) is recorded by audit.log line \(line.line), but the store's object ends at \($0): the dossier was rolled back, or the version removed" }
                    ?? "\(version) is recorded by audit.log line \(line.line), but the store holds no version of it"
                findings.append(OCFLFinding(.A003, object: id.rawValue, path: "\(version)", version: version.description, message: message))
            }
        }

        if all {
            let present = Set(stored.map(\.rawValue))
            for dossier in expected.keys.sorted() where !present.contains(dossier) {
                guard let versions = expected[dossier], let last = versions.keys.max(), let line = versions[last] else { continue }
                findings.append(OCFLFinding(
                    .A003, object: dossier, path: "",
                    message: "audit.log line \(line.line) records its \(last), but the store has no object for it: the dossier was deleted behind the vault's back"))
            }
        }
        return findings
    }
}

extension Vault {
    /// Cross-checks the store and the audit log (the A001–A006 checks): every version has
    /// its line with the digest its inventory has now, every version and dossier the log
    /// records is in the store, and the log is there when the store holds versions.
    /// - Parameter ids: the dossiers to check; all, and those only the log names, when empty.
    /// - Returns: the findings, `A` codes; empty when the two agree.
    public func crossCheckAudit(_ ids: [DossierID] = []) throws(VaultError) -> [OCFLFinding] {
        do {
            let records = try auditLog.records()
            let check = AuditCrossCheck(store: store, journal: CommitJournal(locksPath: locksPath))
            return try check.check(records: records, logExists: FileSystem.exists(auditLog.path), ids: ids)
        } catch {
            throw .wrap(error)
        }
    }

    /// The cross-check, taking what a verification found of the store: each dossier's version
    /// folders and their inventories' digests, and — when it walked the whole store — its dossiers.
    func crossCheckAudit(_ ids: [DossierID], after report: VerificationReport) throws(VaultError) -> [OCFLFinding] {
        let known = report.dossierVersions(in: store)
        // The walk found every object wherever it lies; the dossiers are those at their own place
        // with the object declaration, as StorageRoot.dossierIDs() has them.
        let listed = ids.isEmpty ? known.filter(\.value.declared).keys.sorted() : nil
        do {
            let records = try auditLog.records()
            let check = AuditCrossCheck(store: store, journal: CommitJournal(locksPath: locksPath))
            return try check.check(records: records, logExists: FileSystem.exists(auditLog.path), ids: ids, known: known, listed: listed)
        } catch {
            throw .wrap(error)
        }
    }
}
