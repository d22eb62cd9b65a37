import DossierModel
import Foundation

/// The vault: a home folder with settings, an OCFL store, an audit log, an index, locks and a
/// staging area. Coordinates the parts — the store writes and reads, the bundles read, the
/// rules judge, the index answers — with one method per thing a person asks of it.
///
/// ## Topics
/// ### Opening
/// - ``initialize(at:settings:)``
/// - ``open(at:)``
/// ### Filing
/// - ``filer``
/// - ``apply(_:to:staging:)``
/// ### Reading
/// - ``snapshot(of:version:)``
/// - ``history(of:)``
/// - ``copyDocument(of:path:version:to:progress:)``
/// ### Judging
/// - ``judge(asOf:)``
/// - ``judgeEach(_:_:)``
/// ### Index, export, verify
/// - ``index``
/// - ``exporter``
/// - ``verify(_:options:progress:)``
public struct Vault: Sendable {
    public let home: String
    public let settings: VaultSettings
    public var store: StorageRoot
    /// The vault's clock (its time zone from vault.json), replaceable in tests.
    public var clock: VaultClock
    /// How long a filing waits for another process's lock on the same dossier.
    public var lockTimeout: Double = 120
    /// Called once when a filing must wait for a lock, with the holder's description (the CLI
    /// says so on stderr).
    public var onLockWait: @Sendable (DossierID, String) -> Void = { _, _ in }
    /// A test seam for commit failures.
    public var faults: FaultInjector?
    /// Whether filings update the index as they commit. Off for tools that file many dossiers
    /// and rebuild the index once (the benchmarks' generators), and for tests that change the
    /// store behind the index's back.
    public var keepsIndexCurrent = true
    /// A test seam: what the index records of a dossier's status, flags and findings, instead
    /// of the rules' verdict.
    var indexEnrichment: (@Sendable (DossierSnapshot) -> IndexEnrichment)?

    /// The vault's seal key (``SealKey``): `keys/seal.key` in the vault's home unless set
    /// (`--seal-key`, `DOSSIER_SEAL_KEY`). Outside `store/`, readable by its owner only. Every
    /// export is sealed with it, and every audit line seals the log's head.
    public var sealKeyPath: String

    public var locksPath: String { "\(home)/locks" }
    public var stagingPath: String { "\(home)/tmp" }
    /// The index's file (derived from the store; see ``IndexMaintainer``).
    public var indexPath: String { "\(home)/index.sqlite" }
    /// Where a vault keeps its own profiles, which win over the built-in ones.
    public var profilesPath: String { "\(home)/profiles" }
    /// The append-only audit log (FORMATS.md §1): filings, exports, reviews, rebuilds, refusals.
    public var auditLog: AuditLog { AuditLog(path: "\(home)/audit.log", sealKeyPath: sealKeyPath) }
    public var audit: AuditTrail { AuditTrail(log: auditLog, clock: clock) }
    /// The dossiers' locks (`locks/<id>.lock`), waited for up to ``lockTimeout``.
    public var locks: DossierLocks { DossierLocks(directory: locksPath, timeout: lockTimeout) }

    /// Creates a vault home: vault.json and an empty storage root.
    public static func initialize(at home: String, settings: VaultSettings = .pilot) throws(VaultError) -> Vault {
        if FileSystem.exists("\(home)/\(VaultSettings.fileName)") || FileSystem.exists("\(home)/store") {
            throw .vaultExists(path: home)
        }
        do {
            try FileSystem.makeDirectories(home)
            let store = try StorageRoot.create(at: "\(home)/store")
            try FileSystem.replaceFile("\(home)/\(VaultSettings.fileName)", Array(settings.json().serialized().utf8))
            return Vault(home: home, settings: settings, store: store)
        } catch {
            throw .wrap(error)
        }
    }

    /// Opens the vault at `home`.
    public static func open(at home: String) throws(VaultError) -> Vault {
        let settingsPath = "\(home)/\(VaultSettings.fileName)"
        guard FileSystem.exists(settingsPath) else { throw .noVault(path: home) }
        do {
            let bytes = try FileSystem.readFile(settingsPath)
            let settings = try VaultSettings.decode(try FieldReader.parse(file: settingsPath, data: bytes))
            let store = try StorageRoot.open(at: "\(home)/store")
            return Vault(home: home, settings: settings, store: store)
        } catch let error as FieldError {
            throw .badSettings(error)
        } catch {
            throw .wrap(error)
        }
    }

    init(home: String, settings: VaultSettings, store: StorageRoot) {
        self.home = home
        self.settings = settings
        self.store = store
        self.clock = VaultClock(offsetSeconds: settings.offsetSeconds)
        sealKeyPath = Vault.defaultSealKeyPath(home: home)
    }

    /// Where a vault keeps its seal key unless told otherwise: `keys/seal.key`.
    public static func defaultSealKeyPath(home: String) -> String { "\(home)/keys/seal.key" }

    // MARK: The parts

    /// The policy profile vault.json names: the vault's own `profiles/<id>.json`, else the built-in one.
    /// - Throws: ``VaultError`` when the profile is unknown or its file is wrong (naming the field).
    public func profile() throws(VaultError) -> Profile {
        do { return try loadProfile().profile } catch { throw .badSettings(error) }
    }

    private func loadProfile() throws(FieldError) -> (profile: Profile, source: [UInt8]) {
        try Profile.load(id: settings.profile, folder: profilesPath, settingsFile: "\(home)/\(VaultSettings.fileName)")
    }

    /// The rules as the vault's profile says, judging as of `asOf` (today when `nil`).
    public func judge(asOf: LocalDate? = nil) throws(VaultError) -> Judge {
        Judge(profile: try profile(), asOf: asOf ?? clock.today)
    }

    /// The index's maintainer, judging as of today with the vault's profile.
    public var index: IndexMaintainer {
        let loaded = try? loadProfile()
        let today = clock.today
        var maintainer = IndexMaintainer(
            store: store, home: home, settings: settings, judge: loaded.map { Judge(profile: $0.profile, asOf: today) },
            judgment: IndexMaintainer.judgment(profileID: settings.profile, source: loaded?.source, today: today),
            audit: audit, lockTimeout: lockTimeout)
        if let indexEnrichment { maintainer.enrichment = indexEnrichment }
        return maintainer
    }

    /// Files changes: bundles, documents, new dossiers, renames, withdrawals.
    public var filer: Filer {
        let vault = self
        return Filer(
            store: store, settings: settings, clock: clock, stagingPath: stagingPath, locksPath: locksPath, audit: audit,
            // No index yet: the first command that reads one builds it.
            index: { vault.keepsIndexCurrent && FileSystem.exists(vault.indexPath) ? vault.index : nil }, judge: { () throws(VaultError) in try vault.judge() },
            lockTimeout: lockTimeout, onLockWait: onLockWait, faults: faults,
            trustAnchors: { () throws(VaultError) in try vault.trust.anchors() })
    }

    /// Exports dossier versions as BagIt bags.
    public var exporter: Exporter {
        let vault = self
        return Exporter(
            store: store, settings: settings, audit: audit, profile: Result { () throws(VaultError) in try profile() }, locksPath: locksPath,
            authorize: { access, level, id, version, agent throws(VaultError) in
                try vault.authorize(access, level: level, id: id, version: version, attempt: "export", by: agent)
            },
            sealKey: { () throws(VaultError) in try vault.sealKey() },
            fourProperties: { snapshot, asOf, identities in vault.checkForExport(snapshot, asOf: asOf, identities: identities) })
    }

    // MARK: Filing

    /// Runs `body` with a fresh staging folder (see ``Filer/withStaging(_:)``).
    public func withStaging<R>(_ body: (String) throws -> R) throws -> R { try filer.withStaging(body) }

    /// Copies a file into the staging area (see ``Filer/stage(fileAt:into:progress:)``).
    public func stage(fileAt path: String, into staging: String, progress: (Int64) -> Void = { _ in }) throws -> StagedFile {
        try filer.stage(fileAt: path, into: staging, progress: progress)
    }

    /// Stages a paper of a change that creates `record`, encrypted when it is classified (see
    /// ``Filer/incomingDocument(fileAt:kind:fileName:facts:creating:into:)``).
    public func incomingDocument(
        fileAt path: String, kind: DocumentKind, fileName: String, facts: JSONObject, creating record: DossierRecord, into staging: String
    ) throws -> IncomingDocument {
        try filer.incomingDocument(fileAt: path, kind: kind, fileName: fileName, facts: facts, creating: record, into: staging)
    }

    /// Files one change as one new version (see ``Filer/apply(_:to:staging:)``).
    public func apply(_ change: DossierChange, to id: DossierID, staging: String) throws(VaultError) -> FilingResult {
        try filer.apply(change, to: id, staging: staging)
    }

    // MARK: Reading

    /// A dossier read once: its inventory and the record at `version` (the head when `nil`).
    public func snapshot(of id: DossierID, version: VersionNumber? = nil) throws(VaultError) -> DossierSnapshot {
        do { return try store.snapshot(of: id, version: version) } catch { throw .store(error) }
    }

    /// Every version of a dossier, oldest first, with what each changed.
    public func history(of id: DossierID) throws(VaultError) -> [VersionSummary] {
        do { return try store.snapshot(of: id).history() } catch { throw .store(error) }
    }

    /// Writes a document's bytes at a version (the head when `nil`) to `destination`, checking
    /// them against the store's digests as they go. A file appears (replacing what was there)
    /// only when every byte matched; a pipe or device is written as the bytes come, and a
    /// classified paper is then checked whole before its first byte is written.
    ///
    /// A classified dossier's papers (and an earlier version's, stored encrypted) are read only
    /// with `access` of a reader cleared for the level; the read, or the refusal, is in the
    /// audit log with who and why. The record (`dossier.json`) is readable by anyone.
    /// - Parameters:
    ///   - id: the dossier.
    ///   - path: the document's logical path (or `dossier.json`).
    ///   - version: the version; the head when `nil`.
    ///   - destination: standard output or a file.
    ///   - durable: `fsync` a file destination before it appears.
    ///   - access: a cleared reader's identities and reason, for a classified paper.
    ///   - agent: who reads, for the audit log.
    ///   - progress: bytes written so far.
    /// - Returns: the document as stored.
    /// - Throws: ``VaultError``; `.store(.digestMismatch …)` (``VaultError/isDamage``) when the
    ///   bytes do not match what was filed.
    @discardableResult
    public func getDocument(
        of id: DossierID, path: String, version: VersionNumber? = nil, to destination: OutputDestination, durable: Bool = false, access: ReadAccess? = nil,
        by agent: Agent, progress: (FileProgress) -> Void = { _ in }
    ) throws(VaultError) -> StoredContent {
        do {
            let snapshot = try store.snapshot(of: id, version: version)
            let content = try snapshot.content(path)
            let entry = snapshot.record.document(at: content.logicalPath)
            let head = snapshot.version == snapshot.head ? snapshot.record : try store.snapshot(of: id).record
            let level = content.logicalPath == LogicalPath.record ? .none : guardLevel(of: snapshot, head: head)
            try authorize(access, level: level, id: id, version: snapshot.version, attempt: "get", by: agent)
            let name = LogicalPath.fileName(of: content.logicalPath)
            if let encryption = entry?.encryption, let access {
                var done: Int64 = 0
                try destination.write(durable: durable) { sink in
                    try content.decrypt(with: access.identities, authenticateFirst: destination.isStream) { bytes in
                        try sink.write(bytes)
                        done += Int64(bytes.count)
                        progress(FileProgress(name: name, done: done, total: encryption.size))
                    }
                }
            } else {
                try destination.write(durable: durable) { sink in
                    try copy(content, to: { try sink.write($0) }, progress: progress)
                }
            }
            if level != .none, let access {
                try recordRead(access, id: id, version: snapshot.version, path: content.logicalPath, attempt: "get", by: agent)
            }
            return content
        } catch {
            throw .wrap(error)
        }
    }

    /// Streams a document's bytes at a version (the head when `nil`) to `write`, checking them
    /// against their sha512 as they go.
    /// - Throws: ``VaultError``; `.store(.digestMismatch …)` when the bytes, already written,
    ///   do not match what was filed.
    @discardableResult
    public func copyDocument(
        of id: DossierID, path: String, version: VersionNumber? = nil, to write: (UnsafeRawBufferPointer) throws -> Void,
        progress: (FileProgress) -> Void = { _ in }
    ) throws(VaultError) -> StoredContent {
        do {
            let content = try store.snapshot(of: id, version: version).content(path)
            try copy(content, to: write, progress: progress)
            return content
        } catch {
            throw .wrap(error)
        }
    }

    /// Streams stored bytes as they are, checking them against their sha512.
    private func copy(_ content: StoredContent, to write: (UnsafeRawBufferPointer) throws -> Void, progress: (FileProgress) -> Void) throws {
        let input = try content.open()
        defer { input.closeQuietly() }
        let name = LogicalPath.fileName(of: content.logicalPath)
        let actual = try StreamDigester.digest(read: { try input.read(into: $0) }, write: write) {
            progress(FileProgress(name: name, done: $0, total: content.size))
        }.sha512
        guard actual == content.sha512 else {
            throw StoreError.digestMismatch(content.dossier, content.version, path: content.logicalPath, expected: content.sha512, actual: actual)
        }
    }

    public func dossierIDs() throws(VaultError) -> [DossierID] {
        do { return try store.dossierIDs() } catch { throw .store(error) }
    }

    // MARK: Judging

    /// Reads each dossier's head and runs `body` on it, on every core; results in the order of `ids`.
    ///
    /// - Parameters:
    ///   - ids: the dossiers, each read at its head.
    ///   - body: pure work on one dossier (rules, flags, deadlines), run where it was read.
    public func judgeEach<T: Sendable>(_ ids: [DossierID], _ body: @escaping @Sendable (RuleSubject) -> T) -> [Result<T, VaultError>] {
        var results: [Result<T, VaultError>] = []
        results.reserveCapacity(ids.count)
        let store = self.store
        // orderedParallelMap rethrows only what `consume` throws, and this one cannot throw.
        try? orderedParallelMap(
            count: ids.count, workers: ProcessInfo.processInfo.activeProcessorCount, window: 256,
            produce: { index in
                Result { () throws(StoreError) -> T in body(try store.snapshot(of: ids[index]).ruleSubject()) }
                    .mapError { VaultError.store($0) }
            },
            consume: { _, result in results.append(result) })
        return results
    }

    // MARK: Verifying

    /// Verifies the store (every object, or the dossiers named): OCFL 1.1 and the vault's own
    /// rules for dossiers, every digest recomputed unless the options say not.
    public func verify(_ ids: [DossierID] = [], options: VerifyOptions = VerifyOptions(), progress: (VerifyProgress) -> Void = { _ in }) throws(VaultError) -> VerificationReport {
        var report: VerificationReport
        do {
            report = try StoreVerifier.verify(store, ids: ids, locks: locks, options: options, progress: progress)
        } catch {
            throw .store(error)
        }
        report.findings = explainPendingRollForward(report.findings)
        report.findings += try crossCheckAudit(ids, after: report)
        return report
    }

    /// A dossier whose last commit was stopped after its version folder moved in, and before
    /// the root inventory was replaced, fails OCFL's checks until the next writer rolls it
    /// forward (``StorageRoot/recover(_:)``): nothing is lost or wrong that recovery will not
    /// complete, so its findings become one A006 warning — when the folder holds a complete,
    /// self-consistent inventory that extends the root's by exactly one version.
    private func explainPendingRollForward(_ findings: [OCFLFinding]) -> [OCFLFinding] {
        let suspects = Set(findings.filter { $0.severity == .error }.map(\.object)).compactMap { DossierID($0) }
        var result = findings
        for id in suspects.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let pending = store.pendingRollForward(id) else { continue }
            let explained: Set<ValidationCode> = [.E046, .E060, .E064, .E040, .E010, .E011, .E099, .E092, .E093, .E023]
            let own = result.filter { $0.object == id.rawValue }
            guard own.allSatisfy({ $0.severity == .warning || explained.contains($0.code) }) else { continue }
            guard let first = result.firstIndex(where: { $0.object == id.rawValue }) else { continue }
            result.removeAll { $0.object == id.rawValue && $0.severity == .error }
            result.insert(OCFLFinding(
                .A006, object: id.rawValue, path: "\(pending)", version: pending.description,
                message: "\(pending) is committed, but the root inventory still names \(pending.previous.map(\.description) ?? "no version"): a process was stopped between the two; the next change to \(id) rolls it forward"),
                at: min(first, result.count))
        }
        return result
    }

    /// Records an event in the audit log, stamped with the vault's clock (refused attempts,
    /// which the CLI reports).
    @discardableResult
    public func recordAudit(_ event: AuditEvent) throws(VaultError) -> AuditRecord {
        do { return try audit.record(event) } catch { throw .invalid(error.description) }
    }
}
