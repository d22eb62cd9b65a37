import DossierModel
import Foundation

/// A document arriving in a filing, its bytes already staged.
public struct IncomingDocument: Sendable {
    public var kind: DocumentKind
    /// The name it is stored under: the last component of the file it came from, in NFC.
    public var fileName: String
    public var facts: JSONObject
    public var content: StagedFile
    /// Where it was declared, for messages (`documents[1]`, or the file's path).
    public var origin: String

    public init(kind: DocumentKind, fileName: String, facts: JSONObject, content: StagedFile, origin: String) {
        self.kind = kind
        self.fileName = fileName.precomposedNFC
        self.facts = facts
        self.content = content
        self.origin = origin
    }

    public var logicalPath: String { DocumentEntry.logicalPath(kind: kind, fileName: fileName) }
}

/// Everything one filing changes; becomes exactly one new version.
public struct DossierChange: Sendable {
    public enum Target: Sendable {
        /// Open a new dossier with this record.
        case create(DossierRecord)
        /// Change an existing dossier; `update` holds record fields to change.
        case existing(update: FieldReader?)
    }

    public var target: Target
    public var documents: [IncomingDocument] = []
    /// Logical path → new file name (same kind).
    public var renames: [(from: String, to: String)] = []
    /// Logical paths of documents to take out of the dossier (they stay in earlier versions).
    public var withdrawals: [String] = []
    /// Asked under the dossier's lock, with the current record, before each withdrawal:
    /// returns why the document may not be withdrawn (R26), or `nil`.
    public var withdrawalRefusal: (@Sendable (DossierRecord, DocumentEntry) -> String?)?
    public var message: String?
    public var user: Agent
    /// Names the source in messages: the bundle's name, or "command line".
    public var source: String

    public init(target: Target, documents: [IncomingDocument] = [], renames: [(from: String, to: String)] = [], message: String? = nil, user: Agent, source: String) {
        self.target = target
        self.documents = documents
        self.renames = renames
        self.message = message
        self.user = user
        self.source = source
    }
}

/// What a filing did.
public struct FilingResult: Sendable {
    public var id: DossierID
    public var version: VersionNumber
    public var created: Bool
    public var documents: [String]
    /// Files whose bytes were new to the dossier and so were stored.
    public var storedFiles: Int
    public var storedBytes: Int64
    /// Files whose bytes the dossier already had: recorded, not stored again.
    public var deduplicatedFiles: Int
}

/// The vault: a home folder with settings, an OCFL store, locks and a staging area.
/// Coordinates the parts; the store writes, the bundles read, the model checks.
///
/// ## Topics
/// - Opening: ``initialize(at:settings:)``, ``open(at:)``
/// - Filing: ``apply(_:to:)``, ``stage(fileAt:progress:)``, ``withStaging(_:)``
/// - Reading: ``record(of:version:)``, ``history(of:)``, ``documentFile(of:path:version:)``
public struct Vault: Sendable {
    public let home: String
    public let settings: VaultSettings
    public let store: StorageRoot

    /// The clock, replaceable in tests.
    public var now: @Sendable () -> Date = { Date() }
    /// How long a filing waits for another process's lock on the same dossier.
    public var lockTimeout: Double = 120
    /// Called once when a filing must wait for a lock, with the holder's description.
    public var onLockWait: @Sendable (DossierID, String) -> Void = { _, _ in }
    /// A test seam for commit failures.
    public var faults: FaultInjector?
    /// Called after each successful filing, still under the dossier's lock (the CLI updates
    /// the index here). It cannot fail the filing: the store is already committed.
    public var onFiled: @Sendable (DossierID) -> Void = { _ in }

    public var storePath: String { "\(home)/store" }
    public var locksPath: String { "\(home)/locks" }
    public var stagingPath: String { "\(home)/tmp" }
    /// The append-only audit log (FORMATS.md §1): filings, exports, reviews, rebuilds, refusals.
    public var auditLog: AuditLog { AuditLog(path: "\(home)/audit.log") }

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
    }

    // MARK: Staging

    /// Runs `body` with a fresh staging folder inside the vault (same file system as the
    /// store, so staged files can be renamed into it), and removes the folder afterwards.
    /// Staging folders that filings stopped by Ctrl-C or a crash left behind are removed first.
    public func withStaging<R>(_ body: (String) throws -> R) throws -> R {
        try FileSystem.makeDirectories(stagingPath)
        Scratch.sweep(in: stagingPath, prefix: Self.stagingPrefix, locks: locksPath)
        let staging = try Scratch(in: stagingPath, prefix: Self.stagingPrefix, locks: locksPath)
        defer { staging.remove() }
        try FileSystem.makeDirectories(staging.path)
        return try body(staging.path)
    }

    static let stagingPrefix = "filing-"

    /// Copies a file into the staging area, computing both digests in the same pass.
    public func stage(fileAt path: String, into staging: String, progress: (Int64) -> Void = { _ in }) throws -> StagedFile {
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
        let target = try FileSystem.makeTemporaryDirectory(in: staging, prefix: "file-") + "/content"
        let output = try SequentialFileWriter(creating: target)
        let digests = try StreamDigester.digest(read: { try input.read(into: $0) }, write: { try output.write($0) }, progress: progress)
        try output.sync()
        return StagedFile(path: target, digests: digests)
    }

    // MARK: Filing

    /// Files one change as one new version, all or nothing, under the dossier's lock.
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
        let lock = try DossierLock(id: id, directory: locksPath, timeout: lockTimeout) { holder in onLockWait(id, holder) }
        defer { withExtendedLifetime(lock) {} }

        try store.recover(id)
        let exists = store.exists(id)
        var previous: Inventory?
        var record: DossierRecord
        switch change.target {
        case .create(let newRecord):
            guard !exists else { throw StoreError.dossierExists(id) }
            record = newRecord
            try checkUnit(record.unit, source: change.source, field: "create.unit")
        case .existing(let update):
            guard exists else {
                throw VaultError.invalid("\(change.source): dossier \(id) does not exist; open it with `dossier new` or a create block")
            }
            let inventory = try store.inventory(of: id)
            previous = inventory
            record = try store.record(of: id, inventory: inventory)
            if let update {
                try RecordCodec.applyUpdate(update, to: &record)
                if update.has("unit") { try checkUnit(record.unit, source: update.file, field: "\(update.path).unit") }
            }
        }

        let unix = Int64(now().timeIntervalSince1970.rounded(.down))
        let created = Timestamp.rfc3339(unixSeconds: unix, offsetSeconds: settings.offsetSeconds)
        var files: [String: VersionContent] = [:]
        if let previous, let head = previous.headVersion {
            for (path, digest) in head.files { files[path] = .existing(digest: digest) }
        }

        for (from, newName) in change.renames {
            guard let index = record.documents.firstIndex(where: { $0.path == from }) else {
                throw StoreError.documentMissing(id, previous?.head ?? VersionNumber(1), path: from, available: record.documents.map(\.path))
            }
            let name = newName.precomposedNFC
            guard BundlePath.isSafe(name), !name.contains("/") else {
                throw VaultError.invalid("\(change.source): \"\(newName)\" is not a usable file name")
            }
            let target = DocumentEntry.logicalPath(kind: record.documents[index].kind, fileName: name)
            guard record.document(at: target) == nil else {
                throw VaultError.invalid("\(change.source): \(target) already exists in \(id)")
            }
            files[target] = files.removeValue(forKey: from)
            record.documents[index].path = target
        }

        for path in change.withdrawals {
            guard let index = record.documents.firstIndex(where: { $0.path == path }) else {
                throw StoreError.documentMissing(id, previous?.head ?? VersionNumber(1), path: path, available: record.documents.map(\.path))
            }
            if let refusal = change.withdrawalRefusal?(record, record.documents[index]) { throw VaultError.invalid(refusal) }
            record.documents.remove(at: index)
            files.removeValue(forKey: path)
        }

        var filedPaths: [String: String] = [:]
        var newDigests = Set(previous?.manifest.keys.map { $0 } ?? [])
        var result = FilingResult(id: id, version: previous?.head.next ?? VersionNumber(1), created: previous == nil, documents: [], storedFiles: 0, storedBytes: 0, deduplicatedFiles: 0)
        for document in change.documents {
            // An empty file is a failed scan or copy, never a signed paper; filed, it would
            // count as the paper being present and pass the rules that ask for it.
            guard document.content.digests.size > 0 else {
                let place = document.origin.hasSuffix(document.fileName) ? document.origin : "\(document.origin) (\(document.fileName))"
                throw VaultError.invalid("\(change.source): \(place): the document is empty (0 bytes); expected the bytes of the signed paper")
            }
            let path = document.logicalPath
            if let earlier = filedPaths[path] {
                throw VaultError.invalid("\(change.source): \(document.origin) and \(earlier) would both be filed as \(path)")
            }
            filedPaths[path] = document.origin
            let entry = DocumentEntry(
                path: path, kind: document.kind, sha512: document.content.digests.sha512,
                size: document.content.digests.size, mediaType: MediaType.forFileName(document.fileName),
                filedAt: created, filedBy: change.user.name, facts: document.facts)
            if let index = record.documents.firstIndex(where: { $0.path == path }) {
                record.documents[index] = entry
            } else {
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

        let recordBytes = Array(RecordCodec.encode(record).serialized().utf8)
        let recordPath = "\(staging)/dossier.json"
        try FileSystem.writeNewFile(recordPath, recordBytes)
        let recordDigests = try StreamDigester.digest(fileAt: recordPath)
        files["dossier.json"] = .staged(StagedFile(path: recordPath, digests: recordDigests))

        let draft = VersionDraft(
            files: files, created: created,
            message: change.message ?? defaultMessage(change, creating: previous == nil),
            user: change.user)
        let inventory = try store.commit(draft, to: id, previous: previous, staging: "\(staging)/commit", faults: faults)
        result.version = inventory.head
        // Still under the dossier's lock, so the log lists a dossier's versions in order.
        do {
            try recordFiling(change, result: result, created: created, message: draft.message)
        } catch {
            throw VaultError.invalid("\(id) \(result.version) was filed, but \(error)")
        }
        onFiled(id)
        return result
    }

    /// Refuses a unit id that is not one of this vault's.
    public func checkUnit(_ unit: String, source: String, field: String) throws(FieldError) {
        guard settings.unitName(unit) != nil else {
            throw FieldError(file: source, field: field, problem: "expected one of this vault's units (\(settings.units.map(\.id).joined(separator: ", "))), got \"\(unit)\"")
        }
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
        if !change.renames.isEmpty {
            parts.append("rename \(change.renames.map { "\(FileSystem.lastComponent(of: $0.from)) → \($0.to)" }.joined(separator: ", "))")
        }
        return parts.joined(separator: "; ")
    }

    // MARK: Reading

    public func inventory(of id: DossierID) throws(VaultError) -> Inventory {
        do { return try store.inventory(of: id) } catch { throw .store(error) }
    }

    /// The record at `version` (the head when `nil`).
    public func record(of id: DossierID, version: VersionNumber? = nil) throws(VaultError) -> (DossierRecord, Inventory) {
        do {
            let inventory = try store.inventory(of: id)
            if let version, inventory.versions[version] == nil { throw StoreError.versionMissing(id, version, head: inventory.head) }
            return (try store.record(of: id, inventory: inventory, version: version), inventory)
        } catch {
            throw .wrap(error)
        }
    }

    /// The content file and its expected digest for a logical path at a version.
    public func documentFile(of id: DossierID, path: String, version: VersionNumber? = nil) throws(VaultError) -> (file: String, digest: Digest, size: Int64, version: VersionNumber) {
        do {
            let inventory = try store.inventory(of: id)
            let version = version ?? inventory.head
            let (file, digest) = try store.contentFile(of: id, inventory: inventory, logicalPath: path.precomposedNFC, version: version)
            guard case .regular(let size) = FileSystem.kind(of: file) else {
                throw StoreError.corruptObject(id, path: store.relative(file), reason: "the content file is missing")
            }
            return (file, digest, size, version)
        } catch {
            throw .wrap(error)
        }
    }

    public func dossierIDs() throws(VaultError) -> [DossierID] {
        do { return try store.dossierIDs() } catch { throw .store(error) }
    }
}
