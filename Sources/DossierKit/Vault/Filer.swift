import DossierModel
import Foundation

/// How far reading one document has come: for a progress line.
public struct FileProgress: Sendable {
    /// The file being read (its last path component).
    public var name: String
    public var done: Int64
    /// Its size, when known before reading.
    public var total: Int64?
}

/// Files changes into the store: one change is one new version, all or nothing, under the
/// dossier's lock; then its audit line, then the index.
///
/// ## Topics
/// ### Filing
/// - ``file(bundleAt:user:message:progress:)``
/// - ``file(_:kind:facts:into:user:message:progress:)``
/// - ``open(_:user:message:source:)``
/// - ``rename(_:path:to:user:message:)``
/// - ``withdraw(_:path:reason:user:)``
/// ### Building blocks
/// - ``withStaging(_:)``
/// - ``stage(fileAt:into:progress:)``
/// - ``apply(_:to:staging:)``
public struct Filer: Sendable {
    let store: StorageRoot
    let settings: VaultSettings
    let clock: VaultClock
    let stagingPath: String
    let locksPath: String
    let audit: AuditTrail
    /// The index to update after each filing; `nil` when the vault does not keep it current.
    /// Made when a filing has committed (it reads the profile, which most filings need not).
    let index: @Sendable () -> IndexMaintainer?
    /// The profile and day R26 judges withdrawals by; made only for a withdrawal.
    let judge: @Sendable () throws(VaultError) -> Judge
    let lockTimeout: Double
    let onLockWait: @Sendable (DossierID, String) -> Void
    let faults: FaultInjector?
    /// The certificates signature chains may end at (`trust/`), read once per filing.
    let trustAnchors: @Sendable () throws(VaultError) -> [TrustAnchor]

    static let stagingPrefix = "filing-"

    // MARK: Filing, one call per command

    /// Files a bundle (zip, tar, tar.gz or folder with filing.json, FORMATS.md §5) as one version.
    /// - Parameters:
    ///   - path: the bundle.
    ///   - user: who files, when filing.json names nobody.
    ///   - message: the version's message, instead of filing.json's.
    ///   - progress: bytes read of the bundle so far.
    public func file(bundleAt path: String, user: Agent, message: String?, progress: @escaping (FileProgress) -> Void = { _ in }) throws(VaultError) -> FilingResult {
        do {
            let survey = try FilingBundle.survey(path, limits: settings.limits)
            let manifest = survey.manifest
            let encryption = try encryptionForFiling(into: manifest.dossier, creating: manifest.create, update: manifest.update, source: "\(survey.source): filing.json")
            return try withStaging { staging in
                let name = FileSystem.lastComponent(of: path)
                let bundle = try FilingBundle.stage(survey, into: staging, encryptingFor: encryption?.recipients) {
                    progress(FileProgress(name: name, done: $0, total: nil))
                }
                var result = try apply(try bundle.change(user: user, message: message, readers: encryption?.readers), to: manifest.dossier, staging: staging)
                result.notes = survey.notes
                return result
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// Files `paths` into an existing dossier as documents of one kind with the same facts.
    /// - Parameters:
    ///   - paths: the documents' files.
    ///   - kind: the kind of every document.
    ///   - facts: already checked for `kind` (`FactSchema.validate(_:kind:)`).
    ///   - id: the dossier, which must exist.
    ///   - user: who files.
    ///   - message: the version's message (default: what was filed).
    ///   - progress: bytes read of each file so far.
    public func file(
        _ paths: [String], kind: DocumentKind, facts: JSONObject, into id: DossierID, user: Agent, message: String?,
        progress: @escaping (FileProgress) -> Void = { _ in }
    ) throws(VaultError) -> FilingResult {
        do {
            let encryption = try encryptionForFiling(into: id, creating: nil, update: nil, source: "command line")
            return try withStaging { staging in
                var documents: [IncomingDocument] = []
                for path in paths {
                    let name = FileSystem.lastComponent(of: path)
                    let size = FileSystem.size(ofRegularFile: path, followingLinks: true)
                    documents.append(
                        try incomingDocument(fileAt: path, kind: kind, fileName: name, facts: facts, encryption: encryption, into: staging) {
                            progress(FileProgress(name: name, done: $0, total: size))
                        })
                }
                let change = DossierChange(target: .existing(update: nil), documents: documents, message: message, user: user, source: "command line")
                return try apply(change, to: id, staging: staging)
            }
        } catch {
            throw .wrap(error)
        }
    }

    /// Opens a new dossier (its version v1) with `record`.
    public func open(_ record: DossierRecord, user: Agent, message: String?, source: String) throws(VaultError) -> FilingResult {
        let change = DossierChange(target: .create(record), message: message ?? "open dossier", user: user, source: source)
        do { return try withStaging { staging in try apply(change, to: record.id, staging: staging) } } catch { throw .wrap(error) }
    }

    /// Renames a filed document (same kind) in a new version; the old name stays in history.
    public func rename(_ id: DossierID, path: String, to newName: String, user: Agent, message: String?) throws(VaultError) -> FilingResult {
        let change = DossierChange(target: .existing(update: nil), renames: [(path.precomposedNFC, newName)], message: message, user: user, source: "command line")
        do { return try withStaging { staging in try apply(change, to: id, staging: staging) } } catch { throw .wrap(error) }
    }

    /// Takes a document out of the dossier in a new version (earlier versions keep it); refused
    /// for export-control papers still within their keeping period (R26).
    public func withdraw(_ id: DossierID, path: String, reason: String, user: Agent) throws(VaultError) -> FilingResult {
        let logicalPath = path.precomposedNFC
        var change = DossierChange(target: .existing(update: nil), message: "withdraw \(logicalPath): \(reason.precomposedNFC)", user: user, source: "command line")
        change.withdrawals = [logicalPath]
        do { return try withStaging { staging in try apply(change, to: id, staging: staging) } } catch { throw .wrap(error) }
    }

    /// Changes the facts of a filed document in a new version (`dossier amend`): `setting`
    /// is merged into the facts the head records, `removing` taken out, and the result checked
    /// for the document's kind. The document's bytes stay as they are.
    public func amend(_ id: DossierID, path: String, setting: JSONObject, removing: [String] = [], user: Agent, message: String?) throws(VaultError) -> FilingResult {
        var change = DossierChange(target: .existing(update: nil), message: message, user: user, source: "command line")
        change.amendments = [FactAmendment(path: path, setting: setting, removing: removing)]
        do { return try withStaging { staging in try apply(change, to: id, staging: staging) } } catch { throw .wrap(error) }
    }

    /// Moves a filed document to another kind in a new version (`dossier move`): its path
    /// becomes `documents/<kind>/<name>`, its facts (with `setting` merged in and `removing`
    /// taken out) are checked for the new kind; the bytes are not stored again.
    public func move(_ id: DossierID, path: String, to kind: DocumentKind, setting: JSONObject = JSONObject(), removing: [String] = [], user: Agent, message: String?) throws(VaultError) -> FilingResult {
        var change = DossierChange(target: .existing(update: nil), message: message, user: user, source: "command line")
        change.amendments = [FactAmendment(path: path, setting: setting, removing: removing, newKind: kind)]
        do { return try withStaging { staging in try apply(change, to: id, staging: staging) } } catch { throw .wrap(error) }
    }

    /// Changes record fields in a new version (`dossier edit`): `update` holds them as a
    /// filing.json `update` block would (title, type, unit, grant, funding, completers …).
    public func edit(_ id: DossierID, update: JSONObject, user: Agent, message: String?) throws(VaultError) -> FilingResult {
        let reader = FieldReader(file: "command line", value: .object(update))
        let change = DossierChange(target: .existing(update: reader), message: message, user: user, source: "command line")
        do { return try withStaging { staging in try apply(change, to: id, staging: staging) } } catch { throw .wrap(error) }
    }

    // MARK: Building blocks

    /// Runs `body` with a fresh staging folder inside the vault (same file system as the
    /// store, so staged files can be renamed into it), and removes the folder afterwards.
    /// Staging folders that filings stopped by Ctrl-C or a crash left behind are removed first.
    public func withStaging<R>(_ body: (String) throws -> R) throws -> R {
        try FileSystem.makeDirectories(stagingPath)
        if let problem = Filer.stagingProblem(stagingPath, store: store.path) { throw VaultError.invalid(problem) }
        Scratch.sweep(in: stagingPath, prefix: Self.stagingPrefix, locks: locksPath)
        settleAbandoned()
        let staging = try Scratch(in: stagingPath, prefix: Self.stagingPrefix, locks: locksPath)
        defer { staging.remove() }
        try FileSystem.makeDirectories(staging.path)
        return try body(staging.path)
    }

    /// Stages one paper of a ``DossierChange`` that creates `record`: copied with both digests
    /// and, when `record` is classified, encrypted to the readers cleared for its level, as
    /// ``file(_:kind:facts:into:user:message:progress:)`` stages them. For tools that build
    /// changes themselves (the benchmark's generator).
    /// - Throws: ``VaultError/invalid(_:)`` when the record is classified and nobody is cleared for its level.
    public func incomingDocument(
        fileAt path: String, kind: DocumentKind, fileName: String, facts: JSONObject, creating record: DossierRecord, into staging: String
    ) throws -> IncomingDocument {
        let encryption = try encryptionForFiling(into: record.id, creating: record, update: nil, source: path)
        return try incomingDocument(fileAt: path, kind: kind, fileName: fileName, facts: facts, encryption: encryption, into: staging)
    }

    private func incomingDocument(
        fileAt path: String, kind: DocumentKind, fileName: String, facts: JSONObject, encryption: (recipients: [AgeRecipient], readers: [String])?,
        into staging: String, progress: (Int64) -> Void = { _ in }
    ) throws -> IncomingDocument {
        var plaintextSize: Int64 = 0
        let staged = try stage(fileAt: path, into: staging, encryptingFor: encryption?.recipients, plaintextSize: &plaintextSize, progress: progress)
        var document = IncomingDocument(
            kind: kind, fileName: fileName, facts: facts, content: staged, origin: path,
            encryption: encryption.map { DocumentEncryption(readers: $0.readers, size: plaintextSize) })
        if encryption != nil { document.plaintextSource = path }
        return document
    }

    /// Why the staging folder cannot be used, or `nil`: a symbolic link (a filing would stage
    /// wherever it points, inside `store/` for one, where a half-written version is an object
    /// in the OCFL root), or a folder that resolves into the store.
    static func stagingProblem(_ staging: String, store: String) -> String? {
        if FileSystem.kind(of: staging) == .symbolicLink {
            return "\(staging): is a symbolic link; the vault's tmp must be a plain folder outside store/ (remove the link: dossier makes the folder again)"
        }
        guard let real = realPath(staging), let storeReal = realPath(store) else { return nil }
        if real == storeReal || real.hasPrefix(storeReal + "/") {
            return "\(staging): lies inside the store (\(real)); the vault's tmp must be a plain folder outside store/"
        }
        return nil
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Copies a file into the staging area, computing both digests in the same pass.
    public func stage(fileAt path: String, into staging: String, progress: (Int64) -> Void = { _ in }) throws -> StagedFile {
        var plaintextSize: Int64 = 0
        return try stage(fileAt: path, into: staging, encryptingFor: nil, plaintextSize: &plaintextSize, progress: progress)
    }

    /// Copies a file into the staging area — encrypted to `recipients` when they are given, so
    /// that a classified paper is never stored in the clear — computing both digests of the
    /// stored bytes in the same pass.
    /// - Parameter plaintextSize: set to the paper's own size.
    func stage(
        fileAt path: String, into staging: String, encryptingFor recipients: [AgeRecipient]?, plaintextSize: inout Int64,
        progress: (Int64) -> Void = { _ in }
    ) throws -> StagedFile {
        // A link named on the command line is followed: it names the paper the person means.
        // (Links inside bundles are refused instead: there nobody chose them.)
        switch FileSystem.kind(of: path, followingLinks: true) {
        case .regular: break
        case .missing: throw FileSystemError(operation: "open", path: path, code: ENOENT)
        case .directory: throw VaultError.invalid("\(path): is a folder; give the document's file")
        case .symbolicLink, .other: throw VaultError.invalid("\(path): is not a regular file")
        }
        let input = try FileDescriptor.open(path, .readOnly)
        defer { input.closeQuietly() }
        return try stage(read: { try input.read(into: $0) }, into: staging, encryptingFor: recipients, plaintextSize: &plaintextSize, progress: progress)
    }

    /// Streams bytes into the staging area (see ``stage(fileAt:into:encryptingFor:plaintextSize:progress:)``).
    func stage(
        read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int, into staging: String, encryptingFor recipients: [AgeRecipient]?,
        plaintextSize: inout Int64, progress: (Int64) -> Void = { _ in }
    ) throws -> StagedFile {
        let target = try FileSystem.makeTemporaryDirectory(in: staging, prefix: "file-") + "/content"
        let output = try SequentialFileWriter(creating: target)
        let digests: ContentDigests
        if let recipients {
            let encrypting = try AgeEncryptingReader(to: recipients, read: read)
            digests = try StreamDigester.digest(read: encrypting.read, write: { try output.write($0) }, progress: progress)
            plaintextSize = encrypting.plaintextSize
        } else {
            digests = try StreamDigester.digest(read: read, write: { try output.write($0) }, progress: progress)
            plaintextSize = digests.size
        }
        // Not synced one by one: the version writer syncs the file system once before the
        // version is built (FileSystem.syncFileSystem), which covers every staged document.
        withExtendedLifetime(output) {}
        return StagedFile(path: target, digests: digests)
    }

    /// Files one change as one new version, all or nothing, under the dossier's lock; then
    /// records it in the audit log and updates the index.
    ///
    /// - Returns: what was filed and stored.
    /// - Throws: ``VaultError``; on any error the store is unchanged.
    public func apply(_ change: DossierChange, to id: DossierID, staging: String) throws(VaultError) -> FilingResult {
        do {
            return try applyLocked(change, to: id, staging: staging)
        } catch {
            throw .wrap(error)
        }
    }

    private func applyLocked(_ change: DossierChange, to id: DossierID, staging: String) throws -> FilingResult {
        let lock = try lock(id)
        defer { withExtendedLifetime(lock) {} }
        return try applyHoldingLock(change, to: id, staging: staging)
    }

    /// Takes a dossier's lock, saying so when another process holds it.
    func lock(_ id: DossierID) throws(StoreError) -> DossierLock {
        try DossierLock(id: id, directory: locksPath, timeout: lockTimeout) { holder in onLockWait(id, holder) }
    }

    /// ``apply(_:to:staging:)`` for a caller that already holds the dossier's lock.
    func applyHoldingLock(_ change: DossierChange, to id: DossierID, staging: String) throws -> FilingResult {
        try settle(id)
        let exists = store.exists(id)
        var previous: Inventory?
        var previousTitle: String?
        var replacedInventory: String?
        var record: DossierRecord
        switch change.target {
        case .create(let newRecord):
            guard !exists else { throw StoreError.dossierExists(id) }
            record = newRecord
            try settings.checkUnit(record.unit, source: change.source, field: "create.unit")
        case .existing(let update):
            guard exists else {
                throw VaultError.invalid("\(change.source): dossier \(id) does not exist; open it with `dossier new` or a create block")
            }
            let snapshot = try store.snapshot(of: id)
            previous = snapshot.inventory
            replacedInventory = snapshot.inventoryDigest
            record = snapshot.record
            previousTitle = record.title
            if let update {
                try RecordCodec.applyUpdate(update, to: &record)
                if update.has("unit") { try settings.checkUnit(record.unit, source: update.file, field: "\(update.path).unit") }
                if !change.changesClassification { try Filer.refuseClassificationChange(from: snapshot.record, to: record, update: update) }
            }
        }
        // Staged under the classification read before the lock was taken: a classify or
        // declassify that committed meanwhile would leave papers stored the wrong way.
        for document in change.documents where (document.encryption != nil) != (record.classification != .none) {
            throw VaultError.invalid("\(change.source): \(id) was classified or declassified while the papers were read; file them again")
        }

        let created = clock.timestamp()
        var files: [String: VersionContent] = [:]
        if let previous, let head = previous.headVersion {
            for (path, digest) in head.files { files[path] = .existing(digest: digest) }
        }

        for (from, newName) in change.renames {
            guard let index = record.documentIndex(at: from) else {
                throw StoreError.documentMissing(id, previous?.head ?? VersionNumber(1), path: from, available: record.documents.map(\.path))
            }
            let name = newName.precomposedNFC
            if let problem = settings.limits.problem(withDocumentName: name, kind: record.documents[index].kind) {
                throw VaultError.invalid("\(change.source): NEW-NAME: the name \(problem)")
            }
            let target = DocumentEntry.logicalPath(kind: record.documents[index].kind, fileName: name)
            guard record.document(at: target) == nil else {
                throw VaultError.invalid("\(change.source): \(target) already exists in \(id)")
            }
            files[target] = files.removeValue(forKey: from)
            record.documents[index].path = target
        }

        for amendment in change.amendments {
            guard let index = record.documentIndex(at: amendment.path) else {
                throw StoreError.documentMissing(id, previous?.head ?? VersionNumber(1), path: amendment.path, available: record.documents.map(\.path))
            }
            var document = record.documents[index]
            let kind = amendment.newKind ?? document.kind
            var facts = FactAmendment.merge(amendment.setting, into: document.facts)
            for removal in amendment.removing { facts = FactAmendment.removing(removal, from: facts) }
            document.facts = try FactSchema.validate(FieldReader(file: change.source, value: .object(facts), path: "facts"), kind: kind)
            if kind != document.kind {
                let target = DocumentEntry.logicalPath(kind: kind, fileName: document.fileName)
                if let problem = settings.limits.problem(withDocumentName: document.fileName, kind: kind) {
                    throw VaultError.invalid("\(change.source): --kind: the name \(problem)")
                }
                guard record.document(at: target) == nil else {
                    throw VaultError.invalid("\(change.source): \(target) already exists in \(id)")
                }
                files[target] = files.removeValue(forKey: document.path)
                document.path = target
                document.kind = kind
            }
            record.documents[index] = document
        }

        if previous == nil || record.title != previousTitle, let problem = settings.limits.problem(withTitle: record.title) {
            throw VaultError.invalid("\(change.source): title: the title \(problem)")
        }

        for path in change.withdrawals {
            guard let index = record.documentIndex(at: path) else {
                throw StoreError.documentMissing(id, previous?.head ?? VersionNumber(1), path: path, available: record.documents.map(\.path))
            }
            let judge = try judge()
            if let refusal = R26.mayWithdraw(record.documents[index], from: record, profile: judge.profile, asOf: judge.asOf) {
                throw VaultError.invalid(refusal)
            }
            record.documents.remove(at: index)
            files.removeValue(forKey: path)
        }

        var anchors: [TrustAnchor]?
        var filedPaths: [String: String] = [:]
        // Path → position in the record: one lookup per document, not a scan of the record
        // (a scan made filing thousands of documents quadratic).
        var documentIndex: [String: Int] = [:]
        documentIndex.reserveCapacity(record.documents.count)
        for (index, document) in record.documents.enumerated() { documentIndex[document.path] = index }
        // The filing's own documents by logical path: a paper's detached signature is looked up
        // once, not found by scanning the filing (quadratic in a filing of many documents).
        var incoming: [String: IncomingDocument] = [:]
        incoming.reserveCapacity(change.documents.count)
        for document in change.documents { incoming[document.logicalPath] = document }
        var newDigests = Set(previous?.manifest.keys.map { $0 } ?? [])
        var result = FilingResult(
            id: id, version: previous?.head.next ?? VersionNumber(1), created: previous == nil, documents: [],
            storedFiles: 0, storedBytes: 0, deduplicatedFiles: 0, indexWarning: nil)
        for document in change.documents {
            // An empty file is a failed scan or copy, never a signed paper; filed, it would
            // count as the paper being present and pass the rules that ask for it.
            guard document.content.digests.size > 0 else {
                let place = document.origin.hasSuffix(document.fileName) ? document.origin : "\(document.origin) (\(document.fileName))"
                throw VaultError.invalid("\(change.source): \(place): the document is empty (0 bytes); expected the bytes of the signed paper")
            }
            let path = document.logicalPath
            if let problem = settings.limits.problem(withDocumentName: document.fileName, kind: document.kind) {
                throw VaultError.invalid("\(change.source): \(document.origin.utf8.count > 200 ? String(document.origin.prefix(60)) + "…" : document.origin): the file name \(problem)")
            }
            if let earlier = filedPaths[path] {
                throw VaultError.invalid("\(change.source): \(document.origin) and \(earlier) would both be filed as \(path)")
            }
            filedPaths[path] = document.origin
            if let index = documentIndex[path], Filer.isRefiling(document, of: record.documents[index]) {
                // The same bytes, kind and facts under the same name: the entry stays as it was
                // filed (its filedAt and signature verdicts too), so that filing a bundle again is
                // "nothing to file" whatever the clock says, not a new version that differs only in a time.
                files[path] = .existing(digest: record.documents[index].sha512.hex)
                result.documents.append(path)
                result.deduplicatedFiles += 1
                continue
            }
            var entry = DocumentEntry(
                path: path, kind: document.kind, sha512: document.content.digests.sha512,
                size: document.content.digests.size, mediaType: MediaType.forFileName(document.fileName),
                filedAt: created, filedBy: change.user.name, facts: document.facts, encryption: document.encryption)
            let detachedPath = path + ".p7s"
            let storedDetached = documentIndex[detachedPath].map { record.documents[$0] }
            switch try signatures(of: document, detached: incoming[detachedPath], stored: storedDetached, id: id, checkedAt: created, anchors: &anchors) {
            case .success(let verdicts):
                entry.signatures = verdicts
                if !verdicts.isEmpty { result.signatures[path] = verdicts }
            case .failure(let problem): result.paperNotes.append(PaperNote(kind: .unreadable, path: path, detail: problem.description))
            }
            if let index = documentIndex[path] {
                record.documents[index] = entry
            } else {
                documentIndex[path] = record.documents.count
                record.documents.append(entry)
            }
            files[path] = .staged(document.content)
            result.documents.append(path)
            if newDigests.insert(document.content.digests.sha512.hex).inserted {
                result.storedFiles += 1
                result.storedBytes += document.content.digests.size
            } else {
                result.deduplicatedFiles += 1
            }
        }

        // A detached signature filed for a paper the dossier already holds: the paper's verdicts
        // are made again with it.
        for document in change.documents where document.fileName.lowercased().hasSuffix(".p7s") {
            let partner = String(document.logicalPath.dropLast(4))
            guard incoming[partner] == nil,
                  let index = documentIndex[partner], record.documents[index].encryption == nil,
                  let content = try? store.snapshot(of: id).content(partner)
            else { continue }
            let verdicts = try content.withFilePath { file in
                try checkSignatures(ofFileAt: file, fileName: record.documents[index].fileName, detached: document.content.path, checkedAt: created, anchors: &anchors)
            }
            if case .success(let found) = verdicts {
                record.documents[index].signatures = found
                result.signatures[partner] = found
            }
        }

        let recordBytes = Array(RecordCodec.encode(record).serialized().utf8)
        let recordPath = "\(staging)/\(LogicalPath.record)"
        try FileSystem.writeNewFile(recordPath, recordBytes)
        let recordDigests = try StreamDigester.digest(fileAt: recordPath)
        files[LogicalPath.record] = .staged(StagedFile(path: recordPath, digests: recordDigests))

        let draft = VersionDraft(
            files: files, created: created,
            message: change.message ?? defaultMessage(change, creating: previous == nil),
            user: change.user)
        let version = previous?.head.next ?? VersionNumber(1)
        var event = filingEvent(change, id: id, version: version, created: result.created, documents: result.documents, message: draft.message)
        if let replacedInventory { event.details["replacedInventory"] = .string(replacedInventory) }
        let inventory = try store.commit(draft, to: id, previous: previous, staging: "\(staging)/commit", faults: faults) { digest in
            // Before the store changes: what the audit line will say, so that a crash between the
            // commit and the line leaves the next writer able to write it (settle(_:)).
            event.details["inventory"] = .string(digest)
            try journal.write(CommitJournal.Entry(event: event, at: created, expected: [version: digest]), for: id, kind: .commit)
        }
        result.version = inventory.head
        // What is left of a large filing runs on one core: its papers are inspected for the
        // four-properties check on the other meanwhile.
        let filed = Set(result.documents)
        let plaintext = record.documents.filter { filed.contains($0.path) && $0.encryption == nil }
        if plaintext.count >= InspectionsAhead.worthwhile {
            result.inspectionsAhead = InspectionsAhead(
                papers: plaintext.map { InspectionsAhead.Paper(logicalPath: $0.path, fileName: $0.fileName, sha512: $0.sha512.hex) },
                store: store, id: id, inventory: inventory, version: inventory.head)
        }
        // Still under the dossier's lock, so the log lists a dossier's versions in order. The
        // version is committed whatever happens here: a failure is a warning, never a refusal.
        do {
            try recordFiling(event, change: change, created: created)
            journal.remove(id, .commit)
        } catch where error.lineWritten {
            journal.remove(id, .commit)
            result.auditWarning = "\(id) \(result.version) is filed and its audit line written, but \(error)"
        } catch {
            result.auditWarning = FilerMessages.auditLinePending(id, result.version, error)
        }
        // The store is committed: a failure here cannot undo the filing, and the next command
        // that reads the index brings it up to date.
        if let index = index() {
            do { try index.update(id) } catch { result.indexWarning = "the index was not updated for \(id) (\(error)); the next command that reads it will" }
        }
        let unreadable = Set(result.paperNotes.map(\.path))
        result.paperNotes += textNotes(for: change, in: id).filter { !unreadable.contains($0.path) }
        return result
    }

    /// The verdicts on a paper's signatures, or why it could not be looked at (it does not open).
    /// A classified paper is checked in the file it was filed from, when there is one (never
    /// written in the clear); one from an archive bundle is not checked.
    /// - Parameters:
    ///   - detached: the paper's detached signature (`….p7s`) when this filing brings one.
    ///   - stored: the entry of the paper's detached signature when the dossier holds one.
    private func signatures(
        of document: IncomingDocument, detached: IncomingDocument?, stored: DocumentEntry?, id: DossierID, checkedAt: String,
        anchors: inout [TrustAnchor]?
    ) throws -> Result<[SignatureVerdict], SignatureCheckError> {
        // A detached signature is judged with its paper, not as a paper.
        if document.fileName.lowercased().hasSuffix(".p7s") { return .success([]) }
        guard let file = document.encryption == nil ? document.content.path : document.plaintextSource else { return .success([]) }
        if let filed = detached {
            return try checkSignatures(ofFileAt: file, fileName: document.fileName, detached: filed.encryption == nil ? filed.content.path : filed.plaintextSource, checkedAt: checkedAt, anchors: &anchors)
        }
        if let stored, stored.encryption == nil, let content = try? store.snapshot(of: id).content(stored.path) {
            return try content.withFilePath { detached in
                try checkSignatures(ofFileAt: file, fileName: document.fileName, detached: detached, checkedAt: checkedAt, anchors: &anchors)
            }
        }
        return try checkSignatures(ofFileAt: file, fileName: document.fileName, detached: nil, checkedAt: checkedAt, anchors: &anchors)
    }

    private func checkSignatures(ofFileAt file: String, fileName: String, detached: String?, checkedAt: String, anchors: inout [TrustAnchor]?) throws -> Result<[SignatureVerdict], SignatureCheckError> {
        let trusted: [TrustAnchor]
        if let anchors { trusted = anchors } else {
            trusted = try trustAnchors()
            anchors = trusted
        }
        return SignatureCheck.verdicts(ofFileAt: file, fileName: fileName, detachedSignature: detached, anchors: trusted, checkedAt: checkedAt)
    }

    /// Papers just filed whose text the index could not read, or which wait for OCR. Read from
    /// the index when the filing updated it, else from the papers themselves.
    private func textNotes(for change: DossierChange, in id: DossierID) -> [PaperNote] {
        let paths = Set(change.documents.filter { $0.encryption == nil && !$0.fileName.lowercased().hasSuffix(".p7s") }.map(\.logicalPath))
        guard !paths.isEmpty else { return [] }
        var states: [String: (ExtractedText.Source, String?)] = [:]
        if let maintainer = index(), let indexed = try? maintainer.openIndexFile().textStates(of: id) {
            for (path, state) in indexed where paths.contains(path) { states[path] = (state.source, state.problem) }
        } else if let snapshot = try? store.snapshot(of: id) {
            for entry in snapshot.record.documents where paths.contains(entry.path) {
                let path = entry.path
                guard let content = try? snapshot.content(path) else { continue }
                let text = content.withFilePath { TextExtractor.text(ofFileAt: $0, fileName: entry.fileName) }
                states[path] = (text.source, text.problem)
            }
        }
        return states.sorted { $0.key < $1.key }.compactMap { path, state in
            switch state.0 {
            case .failed: PaperNote(kind: .unreadable, path: path, detail: state.1 ?? "it does not open")
            case .awaitingOCR: PaperNote(kind: .awaitingOCR, path: path, detail: "a scan: `dossier index` reads its text by OCR")
            default: nil
            }
        }
    }

    /// The readers a filing into `id` is encrypted to, or `nil` when the dossier is not
    /// classified; refused when it is and nobody is cleared for its level.
    func encryptionForFiling(
        into id: DossierID, creating: DossierRecord?, update: FieldReader?, source: String
    ) throws -> (recipients: [AgeRecipient], readers: [String])? {
        let level: Classification
        if let creating {
            level = creating.classification
        } else if store.exists(id) {
            // Read under the lock, briefly: a filing committing meanwhile renames the root
            // inventory before its sidecar, and the pair must be read whole. Held only for the
            // read, not while the papers are staged.
            // Settled first: a commit stopped between the root inventory and its sidecar is
            // rolled forward, not read as damage.
            let lock = try lock(id)
            level = try withExtendedLifetime(lock) {
                try settle(id)
                return try store.snapshot(of: id).record.classification
            }
        } else {
            return nil
        }
        guard level != .none else { return nil }
        let readers = settings.readers(for: level)
        guard !readers.isEmpty else {
            throw VaultError.invalid(
                "\(source): \(id) is classified \(level.rawValue) (\(level.chineseName)) and nobody is cleared for it, so its papers cannot be encrypted; "
                    + "clear a reader first: dossier clearance add \(level.rawValue) NAME age1…")
        }
        var recipients: [AgeRecipient] = []
        for reader in readers {
            do { recipients.append(try AgeRecipient(reader.recipient)) } catch {
                throw VaultError.badSettings(FieldError(file: VaultSettings.fileName, field: "clearances (\(reader.name)).recipient", problem: error.description))
            }
        }
        return (recipients, readers.map(\.name))
    }

    /// A filing may not change a dossier's classification: its earlier versions would keep
    /// their papers as they were stored. `dossier classify` and `declassify` do it whole.
    static func refuseClassificationChange(from before: DossierRecord, to after: DossierRecord, update: FieldReader) throws(FieldError) {
        guard before.classification != after.classification else { return }
        throw FieldError(
            file: update.file, field: "\(update.path).classification",
            problem: "a filing cannot change the classification (\(before.classification.rawValue) → \(after.classification.rawValue)); "
                + "use dossier classify or dossier declassify, which encrypt or decrypt every version")
    }

    private func defaultMessage(_ change: DossierChange, creating: Bool) -> String {
        var parts: [String] = []
        if creating { parts.append("open dossier") }
        if case .existing(let update?) = change.target, let keys = update.value.objectValue?.keys {
            parts.append("update \(keys.joined(separator: ", "))")
        }
        if !change.documents.isEmpty {
            let kinds = Set(change.documents.map(\.kind)).sorted().map(\.rawValue)
            parts.append("file \(change.documents.count) document\(change.documents.count == 1 ? "" : "s"): \(kinds.joined(separator: ", "))")
        }
        if !change.withdrawals.isEmpty {
            parts.append("withdraw \(change.withdrawals.map { FileSystem.lastComponent(of: $0) }.joined(separator: ", "))")
        }
        for amendment in change.amendments {
            let name = FileSystem.lastComponent(of: amendment.path)
            if let kind = amendment.newKind {
                parts.append("move \(name) to \(kind.rawValue)")
            } else {
                parts.append("amend \(name): \((Array(amendment.setting.keys) + amendment.removing).joined(separator: ", "))")
            }
        }
        if !change.renames.isEmpty {
            parts.append("rename \(change.renames.map { "\(FileSystem.lastComponent(of: $0.from)) → \($0.to)" }.joined(separator: ", "))")
        }
        return parts.joined(separator: "; ")
    }

    /// A filing's line, and one review line per confidentiality-review document it filed:
    /// filing the officer's review is how a review happens in the vault.
    private func filingEvent(_ change: DossierChange, id: DossierID, version: VersionNumber, created: Bool, documents: [String], message: String) -> AuditEvent {
        var details = JSONObject()
        details["created"] = .bool(created)
        details["documents"] = .array(documents.map { .string($0) })
        details["message"] = .string(message)
        details["source"] = .string(change.source)
        return AuditEvent(action: .filing, by: change.user, dossier: id, version: version, details: details)
    }

    /// Whether an incoming document is the one already filed under its name: same bytes
    /// (stored in the clear), kind and facts.
    static func isRefiling(_ document: IncomingDocument, of entry: DocumentEntry) -> Bool {
        document.encryption == nil && entry.encryption == nil && entry.sha512 == document.content.digests.sha512
            && entry.kind == document.kind && JSONValue.object(entry.facts) == JSONValue.object(document.facts)
    }

    private func recordFiling(_ event: AuditEvent, change: DossierChange, created: String) throws(AuditError) {
        try audit.log.append(event, at: created)
        guard let version = event.version else { return }
        let result = (id: event.dossier, version: version)
        for document in change.documents where document.kind == .confidentialityReview {
            var review = JSONObject()
            review["document"] = .string(document.logicalPath)
            for key in ["decision", "reviewer", "reviewedVersion", "classificationReviewed"] {
                if let value = document.facts[key] { review[key] = value }
            }
            try audit.log.append(AuditEvent(action: .review, by: change.user, dossier: result.id, version: result.version, details: review), at: created)
        }
    }
}

extension FilingBundle {
    /// The change a bundle asks for: its documents, its create or update block, its message
    /// (unless `message` overrides it) and its filer (else `user`).
    func change(user: Agent, message: String?, readers: [String]?) throws(BundleError) -> DossierChange {
        var documents: [IncomingDocument] = []
        for document in manifest.documents {
            // FilingBundle.read stages every file filing.json names, or refuses the bundle.
            guard let content = files[document.file] else {
                throw .member(bundle: source, member: document.file, problem: "is named in filing.json (\(document.field)) but was not read")
            }
            documents.append(IncomingDocument(
                kind: document.kind, fileName: FileSystem.lastComponent(of: document.file), facts: document.facts,
                content: content, origin: document.field,
                encryption: readers.map { DocumentEncryption(readers: $0, size: plaintextSizes[document.file] ?? content.digests.size) }))
        }
        let target: DossierChange.Target = manifest.create.map { .create($0) } ?? .existing(update: manifest.update)
        return DossierChange(
            target: target, documents: documents, message: message ?? manifest.message,
            user: manifest.filedBy ?? user, source: "\(source): filing.json")
    }
}

extension VaultSettings {
    /// Refuses a unit id that is not one of this vault's.
    public func checkUnit(_ unit: String, source: String, field: String) throws(FieldError) {
        guard unitName(unit) != nil else {
            throw FieldError(file: source, field: field, problem: "expected one of this vault's units (\(units.map(\.id).joined(separator: ", "))), got \"\(unit)\"")
        }
    }
}
