import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// What had to be done to the index before it could answer, for the one line on stderr.
public enum IndexRepair: Sendable, Equatable, CustomStringConvertible {
    case missing
    case damaged(String)
    case otherFormat(String)
    /// The store changed behind the index's back: these dossiers were re-read or dropped.
    case stale(changed: Int, added: Int, removed: Int)
    /// The day changed since the rules last judged the indexed dossiers (their deadlines move
    /// with the calendar): every dossier's status, flags and findings were judged again.
    case rejudged(day: LocalDate, dossiers: Int)

    public var description: String {
        switch self {
        case .missing: "the index was missing; rebuilt it from the store"
        case .damaged(let reason): "the index was damaged (\(reason)); rebuilt it from the store"
        case .otherFormat(let found): "the index was written in another format (\(found)); rebuilt it from the store"
        case .stale(let changed, let added, let removed):
            "the index was stale (the store changed behind its back: \(changed) changed, \(added) new, \(removed) removed); updated those dossiers"
        case .rejudged(let day, let dossiers):
            "the rules' findings in the index were from an earlier day; judged \(dossiers) dossier\(dossiers == 1 ? "" : "s") again as of \(day)"
        }
    }
}

/// What a rebuild did.
public struct IndexBuildSummary: Sendable, Equatable {
    public var dossiers: Int
    public var documents: Int
    public var textBytes: Int64
    /// Dossiers the store could not give (a damaged object): named with the reason, and left out.
    public var unreadable: [String]
}

/// What a freshness check (``IndexMaintainer/refresh(_:)``) looked at and had to read.
public struct IndexFreshness: Sendable, Equatable {
    /// Tuple folders whose fingerprint was compared (one `stat` each).
    public var foldersChecked = 0
    /// Objects whose inventory's fingerprint was compared (one `stat` each).
    public var objectsChecked = 0
    /// Folders listed because their fingerprint changed or had not settled.
    public var foldersListed = 0
    /// Inventories hashed because their fingerprint, though equal, had not settled.
    public var inventoriesVerified = 0
    /// Dossiers read again from the store (changed or new).
    public var dossiersRead = 0
    /// What was repaired, for the notice; `nil` when the index was fresh.
    public var repair: IndexRepair?

    public init() {}
}

/// Keeps the index (`index.sqlite`) true to the store: builds it, checks it against the store
/// before a command reads it, re-reads dossiers that changed behind its back, judges them again
/// when the day or the profile changes, and updates it after each filing. The index itself
/// (``DossierIndex``) only stores and answers; this is its maintainer.
public struct IndexMaintainer: Sendable {
    public let store: StorageRoot
    /// The index's file: derived, rebuilt from `store/` whenever it is missing, damaged or stale.
    public let indexPath: String
    let locksPath: String
    let lockTimeout: Double
    let settings: VaultSettings
    /// What the index records of a dossier's status, flags and findings: the rules' verdict on
    /// its head as the vault's profile says, as of today; "not validated" while the profile
    /// cannot be read. Replaceable in tests.
    var enrichment: @Sendable (DossierSnapshot) -> IndexEnrichment
    /// What the index's findings depend on besides the store: the day and the profile, by id
    /// and content (``judgment(profileID:source:today:)``).
    let judgment: String
    let audit: AuditTrail

    public init(store: StorageRoot, home: String, settings: VaultSettings, judge: Judge?, judgment: String, audit: AuditTrail, lockTimeout: Double) {
        self.store = store
        self.indexPath = "\(home)/index.sqlite"
        self.locksPath = "\(home)/locks"
        self.settings = settings
        self.enrichment = { snapshot in IndexMaintainer.enrichment(of: snapshot, judge: judge) }
        self.judgment = judgment
        self.audit = audit
        self.lockTimeout = lockTimeout
    }

    /// What the rules' findings depend on: the day, the profile's id and the sha256 of its text
    /// ("unreadable" while it cannot be read, so that fixing it changes the judgment too).
    public static func judgment(profileID: String, source: [UInt8]?, today: LocalDate) -> String {
        let fingerprint = source.flatMap { try? Hasher.digest(.sha256, of: $0).hex } ?? "unreadable"
        return "\(today) \(profileID) \(fingerprint)"
    }

    /// Findings, flags and status for a dossier as it is indexed: the rules' verdict on its head.
    static func enrichment(of snapshot: DossierSnapshot, judge: Judge?) -> IndexEnrichment {
        guard let judge else { return .notValidated }
        let subject = (try? snapshot.ruleSubject()) ?? RuleSubject(record: snapshot.record, history: DossierHistory(head: snapshot.version))
        let verdict = judge.verdict(of: subject)
        return IndexEnrichment(
            status: verdict.status, flags: verdict.raisedFlags,
            findings: verdict.findings.map { IndexedFinding(rule: $0.rule, severity: $0.severity, message: $0.message, documents: $0.documents.map(\.path)) })
    }

    /// Reads one dossier's head from the store as the index keeps it, with the text of its
    /// documents. Texts already extracted for the same bytes (`known`, by sha512) are reused.
    func indexedDossier(_ id: DossierID, known: [String: ExtractedText] = [:]) throws(StoreError) -> IndexedDossier {
        // The inventory's fingerprint is taken before it is read: a change while reading leaves
        // the recorded fingerprint older than the file, and the next check reads it again.
        let relative = store.relativeObjectPath(for: id)
        let now = FileFingerprint.now()
        let fingerprint = store.fingerprint(of: "\(relative)/\(StorageRoot.inventoryName)")
        let snapshot = try store.snapshot(of: id)
        let inventory = snapshot.inventory
        let sha256ByContent = snapshot.sha256ByContentPath()
        var documents: [IndexedDocument] = []
        for entry in snapshot.record.documents {
            let content = try snapshot.content(entry.path)
            let contentPath = inventory.contentPath(for: content.sha512.hex) ?? ""
            // A classified paper's text is never read for the index: it would sit there in the
            // clear, searchable and in snippets, beside the encrypted paper.
            let text = entry.encryption != nil ? ExtractedText(text: "", source: .encrypted)
                : known[content.sha512.hex] ?? content.withFilePath { TextExtractor.text(ofFileAt: $0, fileName: entry.fileName) }
            documents.append(IndexedDocument(entry: entry, sha256: sha256ByContent[contentPath], text: text))
        }
        let versions = inventory.versions.keys.sorted().compactMap { number -> IndexedVersion? in
            guard let version = inventory.versions[number] else { return nil }
            return IndexedVersion(number: number, created: version.created, message: version.message, user: version.user)
        }
        return IndexedDossier(
            record: snapshot.record, head: inventory.head, versions: versions,
            inventoryDigest: snapshot.inventoryDigest,
            documents: documents, enrichment: enrichment(snapshot), unitName: settings.unitName(snapshot.record.unit),
            objectState: fingerprint.map { StoreFingerprint(path: relative, fingerprint: $0, settled: $0.isSettled(at: now)) })
    }

    /// Rebuilds the index from `store/` alone: a new file is built beside the old one and
    /// renamed over it, so a reader sees the old index or the new one, never half of one.
    ///
    /// Dossiers are read and their documents' text extracted on two threads while one writer
    /// inserts them, in order of their head version's creation (so that a rebuilt index ranks
    /// common words as one kept up by filings: the most recently changed dossiers first).
    ///
    /// - Parameters:
    ///   - reason: why, for the audit log's `rebuild` line: "requested", or the repair.
    ///   - agent: who asked, for the audit log.
    ///   - progress: called after each dossier with the count done and the total.
    @discardableResult
    public func rebuild(reason: String = "requested", by agent: Agent? = nil, progress: (Int, Int) -> Void = { _, _ in }) throws -> IndexBuildSummary {
        let now = FileFingerprint.now()
        // Listed before any object is read: an object added meanwhile changes a folder.
        let folders = store.tupleFolders()
        let order = try objectsByRecency(folders.flatMap(\.objects).map(\.id))
        // A rebuild stopped by Ctrl-C or a crash leaves a file as large as the index.
        let rebuildPrefix = "\(FileSystem.lastComponent(of: indexPath)).rebuild-"
        let home = FileSystem.parent(of: indexPath)
        Scratch.sweep(in: home, prefix: rebuildPrefix, locks: locksPath)
        let scratch = try Scratch(in: home, prefix: rebuildPrefix, locks: locksPath)
        defer { scratch.remove() }
        let temporary = scratch.path
        var summary = IndexBuildSummary(dossiers: 0, documents: 0, textBytes: 0, unreadable: [])
        // What OCR read is kept across a rebuild (by the bytes' sha512): reading every scan again
        // would cost 1.3 CPU-seconds a page. A damaged or other-format old index gives nothing.
        let ocrTexts = (try? openIndexFile().ocrTexts()) ?? [:]
        let maintainer = self
        var unreadFolders = Set<String>()
        // Folders holding an object that could not be read are recorded as not settled: each
        // check lists them again, and indexes the object once it can be read.
        let folderStates = {
            folders.map { StoreFingerprint(path: $0.path, fingerprint: $0.fingerprint, settled: $0.fingerprint.isSettled(at: now) && !unreadFolders.contains($0.path)) }
        }
        try DossierIndex.build(at: temporary, folders: folderStates) { add in
            try orderedParallelMap(
                count: order.count, workers: Self.indexingThreads, window: 64,
                produce: { number in Result { () throws(StoreError) in try maintainer.indexedDossier(order[number], known: ocrTexts) } }
            ) { number, read in
                switch read {
                case .success(let dossier):
                    try add(dossier)
                    summary.dossiers += 1
                    summary.documents += dossier.documents.count
                    summary.textBytes += dossier.documents.reduce(0) { $0 + Int64($1.text.text.utf8.count) }
                case .failure(let error):
                    summary.unreadable.append(error.description)
                    unreadFolders.formUnion(maintainer.folders(holding: order[number]))
                }
                progress(number + 1, order.count)
            }
        }
        try DossierIndex.open(at: temporary).setJudgment(judgment)
        // Nobody has the old file open while this lock is held: a journal beside it is a
        // crashed writer's, and belongs to the file being replaced.
        let exclusive = try indexLock(.exclusive)
        for suffix in ["-journal", "-wal", "-shm"] where FileSystem.exists(indexPath + suffix) {
            try FileSystem.removeFile(indexPath + suffix)
        }
        try FileSystem.rename(temporary, to: indexPath)
        withExtendedLifetime(exclusive) {}
        var details = JSONObject()
        details["reason"] = .string(reason)
        details["dossiers"] = .number(Double(summary.dossiers))
        details["documents"] = .number(Double(summary.documents))
        if !summary.unreadable.isEmpty { details["unreadable"] = .array(summary.unreadable.map { .string($0) }) }
        try audit.record(AuditEvent(action: .rebuild, by: agent, details: details))
        return summary
    }

    /// Judges every indexed dossier again when the day or the profile changed since they were
    /// last judged: rules such as R15, R19 and R25 count days to today, so yesterday's findings
    /// go stale without any change in the store, and an edited profile changes every verdict.
    /// Reads each dossier's record and inventory (no text), on two threads; about 0.3 ms a dossier.
    /// - Returns: the repair to report, or `nil` when the findings were already current.
    func rejudge(_ index: DossierIndex) throws -> IndexRepair? {
        let judgment = self.judgment
        guard try index.judgment() != judgment else { return nil }
        let ids = try index.inventoryDigests().keys.sorted()
        let maintainer = self
        var judged: [(id: DossierID, enrichment: IndexEnrichment)] = []
        try orderedParallelMap(
            count: ids.count, workers: Self.indexingThreads, window: 256,
            produce: { number -> IndexEnrichment? in
                guard let snapshot = try? maintainer.store.snapshot(of: ids[number]) else { return nil }
                return maintainer.enrichment(snapshot)
            }
        ) { number, enrichment in
            // A dossier that cannot be read keeps its findings; the freshness check reports it.
            if let enrichment { judged.append((ids[number], enrichment)) }
        }
        try index.replaceEnrichments(judged)
        try index.setJudgment(judgment)
        return .rejudged(day: audit.clock.today, dossiers: judged.count)
    }

    /// Threads that read dossiers and extract text: the machines dossier runs on have two cores,
    /// and SQLite's one writer needs little of a third.
    static let indexingThreads = 2

    /// `ids` ordered by their head version's creation time, oldest first (an unreadable object,
    /// whose reading fails later with its reason, sorts first).
    private func objectsByRecency(_ ids: [DossierID]) throws -> [DossierID] {
        let store = self.store
        var created: [(id: DossierID, created: String)] = []
        created.reserveCapacity(ids.count)
        try orderedParallelMap(
            count: ids.count, workers: Self.indexingThreads, window: 256,
            produce: { number in
                let inventory = try? store.inventory(of: ids[number])
                return inventory.flatMap { $0.versions[$0.head]?.created } ?? ""
            }
        ) { number, time in created.append((ids[number], time)) }
        return created.sorted { ($0.created, $0.id) < ($1.created, $1.id) }.map(\.id)
    }

    /// Opens the index for a command, healing it first: a missing, damaged or other-format
    /// index is rebuilt; dossiers that changed in the store behind its back are re-read.
    ///
    /// - Parameter notice: called with what was repaired (the CLI prints it on stderr).
    public func open(notice: (IndexRepair) -> Void) throws -> DossierIndex {
        guard FileSystem.exists(indexPath) else {
            try rebuild(reason: "the index was missing")
            notice(.missing)
            return try openIndexFile()
        }
        var damage: IndexError?
        do {
            let index = try openIndexFile()
            if let repair = try refresh(index).repair { notice(repair) }
            if let repair = try rejudge(index) { notice(repair) }
            return index
        } catch let error as IndexError {
            guard error.needsRebuild else { throw error }
            damage = error
        }
        let repair = damage.map(Self.repair(for:))
        try rebuild(reason: repair?.description ?? "the index could not be used")
        if let repair { notice(repair) }
        return try openIndexFile()
    }

    /// Runs `body` against the healed index; if the index turns out to be damaged while
    /// answering (a page SQLite finds corrupt), rebuilds it and answers again.
    public func withIndex<R>(notice: (IndexRepair) -> Void, _ body: (DossierIndex) throws -> R) throws -> R {
        let damage: IndexError
        do {
            // The index (and its shared lock) is released before the rebuild below, which
            // needs the lock exclusively.
            let index = try open(notice: notice)
            return try body(index)
        } catch let error as IndexError where error.needsRebuild {
            damage = error
        }
        let repair = Self.repair(for: damage)
        try rebuild(reason: repair.description)
        notice(repair)
        return try body(try openIndexFile())
    }

    /// The lock that orders the processes using the index and a rebuild renaming a new file
    /// over it (`locks/index.lock`).
    var indexLockPath: String { "\(locksPath)/index.lock" }

    /// Opens index.sqlite, holding the index lock shared for as long as it stays open.
    ///
    /// Why a lock besides SQLite's own: a rebuild renames a new file over index.sqlite, and
    /// SQLite names a rollback journal after the database's path, not its inode. A process still
    /// writing to the replaced file would leave its journal beside the new one, and the next
    /// process to open it would play that journal back into the wrong database. A rebuild
    /// therefore takes the lock exclusively for its rename, which waits until no process has
    /// the old file open.
    public func openIndexFile() throws -> DossierIndex {
        try DossierIndex.open(at: indexPath, lease: try indexLock(.shared))
    }

    private func indexLock(_ mode: FileLock.Mode) throws -> FileLock? {
        do {
            return try FileLock(path: indexLockPath, mode: mode, timeout: lockTimeout)
        } catch {
            switch error {
            case .busy(let holder, let waited):
                throw IndexError.busy(path: indexLockPath, holder: holder, waitedSeconds: waited)
            case .io(let problem) where mode == .shared && [EROFS, EACCES].contains(problem.code):
                // A vault on read-only media: nobody can be rebuilding its index.
                return nil
            case .io(let problem):
                throw problem
            }
        }
    }

    /// Brings the index up to date with the store, cheaply when nothing changed: one `stat` per
    /// tuple folder and per object's inventory.json, on two threads, compared with the
    /// fingerprints the index recorded (``FileFingerprint``).
    ///
    /// Why this misses no change made with ordinary file operations:
    /// - a dossier changes only through its inventory.json (a new version renames a new one in
    ///   place; an edit writes it in place): either gives the file another inode, size or ctime;
    /// - an object deleted or moved away takes its inventory.json with it;
    /// - an object copied or moved in adds an entry to a tuple folder (or creates folders, adding
    ///   an entry to their parent), which changes that folder's ctime and mtime; a changed folder
    ///   is listed, and new folders below it are walked;
    /// - a fingerprint taken within ``FileFingerprint/settlingNanoseconds`` of the file's last
    ///   change is not trusted: the inventory is hashed and compared with the digest the index
    ///   holds, the folder is listed again.
    /// Fingerprints are recorded only once what they vouch for is indexed: an object that could
    /// not be read (being copied in, or damaged) is tried again by the next check.
    ///
    /// - Returns: what was looked at and read; its `repair` is `nil` when the index was fresh.
    public func refresh(_ index: DossierIndex) throws -> IndexFreshness {
        let now = FileFingerprint.now()
        let recorded = try index.storeState()
        var report = IndexFreshness()
        report.foldersChecked = recorded.folders.count
        report.objectsChecked = recorded.inventories.count
        let current = store.fingerprints(of: [recorded.folders, recorded.inventories])
        let currentFolders = current[0]
        let currentInventories = current[1]

        // Folders: list those that changed, and walk the new ones below them.
        var folderUpdates: [(path: String, state: StoreFingerprint?)] = []
        var pending: [(path: String, depth: Int)] = []
        for number in 0..<recorded.folders.count {
            let fingerprint = currentFolders[number]
            if fingerprint == recorded.folderFingerprints[number], recorded.folderSettled[number] { continue }
            let path = recorded.folders.path(at: number)
            if fingerprint == nil { folderUpdates.append((path, nil)) } else { pending.append((path, Self.depth(of: path))) }
        }
        if recorded.folders.count == 0 { pending.append((StorageRoot.rootFolder, 0)) }
        // Built only when something is to be listed: most checks list nothing.
        let knownFolders = pending.isEmpty ? [] : Set((0..<recorded.folders.count).map { recorded.folders.path(at: $0) })
        var listed: [StorageRoot.TupleFolder] = []
        var seen: [DossierID: String] = [:]
        while let (path, depth) = pending.popLast() {
            guard let folder = store.tupleFolder(path, depth: depth) else {
                folderUpdates.append((path, nil))
                continue
            }
            report.foldersListed += 1
            listed.append(folder)
            pending += folder.subfolders.filter { !knownFolders.contains($0) }.map { ($0, depth + 1) }
            for object in folder.objects { seen[object.id] = folder.path }
        }

        // Objects: compare each inventory's fingerprint; hash those not settled.
        var changed: [DossierID] = []
        var removed: [DossierID] = []
        var verified: [(id: DossierID, state: StoreFingerprint)] = []
        for number in 0..<recorded.inventories.count {
            let fingerprint = currentInventories[number]
            if fingerprint == recorded.inventoryFingerprints[number], recorded.inventorySettled[number] { continue }
            guard let id = recorded.dossier(at: number) else { continue }
            guard let fingerprint else {
                if store.exists(id) { changed.append(id) } else { removed.append(id) }
                continue
            }
            if fingerprint != recorded.inventoryFingerprints[number] {
                changed.append(id)
                continue
            }
            report.inventoriesVerified += 1
            if try inventoryMatches(id, index) {
                verified.append((id, StoreFingerprint(path: recorded.objectPath(at: number), fingerprint: fingerprint, settled: fingerprint.isSettled(at: now))))
            } else {
                changed.append(id)
            }
        }
        let known = seen.isEmpty ? [] : Set((0..<recorded.dossiers.count).compactMap { recorded.dossier(at: $0) })
        let added = seen.keys.filter { !known.contains($0) }.sorted()

        var unreadFolders = Set<String>()
        for id in changed + added {
            report.dossiersRead += 1
            do {
                try index.replace(try indexedDossier(id, known: try index.knownTexts(of: id)))
            } catch is StoreError {
                // A damaged object, or one still being copied in: the index keeps what it had,
                // `verify` names the damage, and its folders are listed again next time.
                unreadFolders.formUnion(folders(holding: id))
            }
        }
        for id in removed { try index.remove(id) }
        for folder in listed where !unreadFolders.contains(folder.path) {
            folderUpdates.append((folder.path, StoreFingerprint(path: folder.path, fingerprint: folder.fingerprint, settled: folder.fingerprint.isSettled(at: now))))
        }
        try index.record(folders: folderUpdates, objects: verified)
        if changed.count + added.count + removed.count > 0 {
            report.repair = .stale(changed: changed.count, added: added.count, removed: removed.count)
        }
        return report
    }

    /// The tuple folders an object lies in, from the storage root down.
    private func folders(holding id: DossierID) -> [String] {
        let components = store.relativeObjectPath(for: id).split(separator: "/").dropLast()
        return [StorageRoot.rootFolder] + components.indices.map { components[...$0].joined(separator: "/") }
    }

    /// How deep a tuple folder is: 0 for the storage root, 1 for its children, …
    private static func depth(of relative: String) -> Int {
        relative == StorageRoot.rootFolder ? 0 : relative.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
    }

    /// Whether the object's inventory.json hashes to the digest the index recorded.
    private func inventoryMatches(_ id: DossierID, _ index: DossierIndex) throws -> Bool {
        guard let digest = try index.inventoryDigest(of: id) else { return false }
        return store.rootInventoryDigest(of: id) == digest
    }

    /// Updates the index for one dossier right after a filing, when there is an index; a
    /// missing or damaged one is left for the next command to rebuild.
    public func update(_ id: DossierID) throws {
        guard FileSystem.exists(indexPath) else { return }
        let index = try openIndexFile()
        try index.replace(try indexedDossier(id, known: try index.knownTexts(of: id)))
    }

    static func repair(for error: IndexError) -> IndexRepair {
        switch error {
        case .otherFormat(_, let found): .otherFormat(found)
        case .corrupt(_, let reason): .damaged(reason)
        default: .damaged(error.description)
        }
    }
}
