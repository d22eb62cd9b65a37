import DossierModel
import Foundation

/// One dossier as the store holds it, read once for a whole command: the root inventory
/// (checked against its sidecar) and the record of one version. Rules, history, exports and
/// the index take their values from it; records of other versions are read when first asked
/// for, once each.
///
/// ```swift
/// let snapshot = try store.snapshot(of: id)                    // the head
/// let older = try store.snapshot(of: id, version: VersionNumber(3))
/// let summaries = try snapshot.history()                        // v1 … v3
/// ```
public final class DossierSnapshot: @unchecked Sendable {
    // `@unchecked Sendable`: every stored property is immutable except `records`, which is read
    // and written only while `lock` is held.
    public let id: DossierID
    /// The object's root inventory: every version, up to the head.
    public let inventory: Inventory
    /// The root inventory's bytes as stored, which are also the head version's `inventory.json`.
    public let inventoryBytes: [UInt8]
    /// The sha512 (hex) of ``inventoryBytes``, which its sidecar states.
    public let inventoryDigest: String
    /// The version this snapshot describes: the head, or the one asked for.
    public let version: VersionNumber
    /// The record at ``version``.
    public let record: DossierRecord
    /// The bytes of ``record``'s `dossier.json`, as stored.
    let recordBytes: [UInt8]
    let store: StorageRoot
    private let lock = NSLock()
    private var records: [String: DossierRecord] = [:]
    private var sha256ByContent: [String: String]?

    init(
        id: DossierID, inventory: Inventory, inventoryBytes: [UInt8], inventoryDigest: String, version: VersionNumber,
        record: DossierRecord, recordBytes: [UInt8], store: StorageRoot
    ) {
        self.id = id
        self.inventory = inventory
        self.inventoryBytes = inventoryBytes
        self.inventoryDigest = inventoryDigest
        self.version = version
        self.record = record
        self.recordBytes = recordBytes
        self.store = store
        if let digest = inventory.versions[version]?.files[LogicalPath.record] { records[digest] = record }
    }

    public var head: VersionNumber { inventory.head }

    /// The versions up to ``version``: what the dossier's history was when that version was filed.
    public var versions: [VersionNumber: DossierVersion] {
        version == inventory.head ? inventory.versions : inventory.versions.filter { $0.key <= version }
    }

    /// The version block of ``version``.
    public var versionInfo: DossierVersion? { inventory.versions[version] }

    /// The record at `number`, read from the store the first time it is asked for (versions
    /// that share the same `dossier.json` bytes share one read).
    public func record(at number: VersionNumber) throws(StoreError) -> DossierRecord {
        guard let digest = inventory.versions[number]?.files[LogicalPath.record] else {
            throw .versionMissing(id, number, head: inventory.head)
        }
        lock.lock()
        let known = records[digest]
        lock.unlock()
        if let known { return known }
        let read = try store.record(of: id, inventory: inventory, version: number)
        lock.lock()
        records[digest] = read
        lock.unlock()
        return read
    }

    /// The same dossier as it stood at an earlier version: the record of that version, the
    /// history up to it. Reads that version's record only.
    public func at(_ number: VersionNumber) throws(StoreError) -> DossierSnapshot {
        guard number != version else { return self }
        guard inventory.versions[number] != nil else { throw .versionMissing(id, number, head: inventory.head) }
        let (record, bytes) = try store.recordWithBytes(of: id, inventory: inventory, version: number)
        return DossierSnapshot(
            id: id, inventory: inventory, inventoryBytes: inventoryBytes, inventoryDigest: inventoryDigest, version: number,
            record: record, recordBytes: bytes, store: store)
    }

    /// Every version up to ``version``, oldest first, with what each changed: documents added,
    /// modified, removed and renamed, and record fields changed.
    public func history() throws(StoreError) -> [VersionSummary] {
        var summaries: [VersionSummary] = []
        var previousFiles: [String: String] = [:]
        var previousFields: JSONObject?
        var previousRecord: DossierRecord?
        for number in versions.keys.sorted() {
            guard let block = inventory.versions[number] else { continue }
            let files = block.documentFiles
            let current = try record(at: number)
            let fields = RecordCodec.encodeFields(current)
            let changes = StateChanges(before: previousFiles, after: files)
            var recordChanges: [String] = []
            if let previousFields {
                for (key, value) in fields where previousFields[key] != value { recordChanges.append(key) }
            }
            summaries.append(VersionSummary(
                version: number, created: block.created, user: block.user, message: block.message,
                added: changes.added, modified: changes.modified, removed: changes.removed, renamed: changes.renamed,
                recordChanges: recordChanges,
                changes: previousRecord.map { RecordDiff(before: $0, after: current, renamed: changes.renamed) }))
            previousFiles = files
            previousFields = fields
            previousRecord = current
        }
        return summaries
    }

    /// What changed from version `from` to version `to` (either way round): documents added,
    /// removed, renamed (moves to another kind included) and changed, and every record field
    /// and fact that changed.
    public func diff(from: VersionNumber, to: VersionNumber) throws(StoreError) -> (documents: StateChanges, record: RecordDiff) {
        guard let before = inventory.versions[from] else { throw .versionMissing(id, from, head: inventory.head) }
        guard let after = inventory.versions[to] else { throw .versionMissing(id, to, head: inventory.head) }
        let documents = StateChanges(before: before.documentFiles, after: after.documentFiles)
        return (documents, RecordDiff(before: try record(at: from), after: try record(at: to), renamed: documents.renamed))
    }

    /// The OCFL inventory as it was written when ``version`` was filed (`vN/inventory.json`):
    /// the root inventory's bytes for the head, else that version's copy.
    func versionInventoryBytes() throws(StoreError) -> [UInt8] {
        version == inventory.head ? inventoryBytes : try store.inventoryBytes(of: id, version: version)
    }

    /// A document's stored bytes at ``version`` (or at `number`), with what they must hash to.
    public func content(_ logicalPath: String, at number: VersionNumber? = nil) throws(StoreError) -> StoredContent {
        let number = number ?? version
        let (file, digest) = try store.contentFile(of: id, inventory: inventory, logicalPath: logicalPath.precomposedNFC, version: number)
        guard let size = FileSystem.size(ofRegularFile: file) else {
            throw .corruptObject(id, path: store.relative(file), reason: "the content file is missing")
        }
        let contentPath = String(file.dropFirst(store.objectRoot(for: id).count + 1))
        let sha256 = sha256ByContentPath()[contentPath].flatMap { Digest(algorithm: .sha256, hex: $0) }
        return StoredContent(
            dossier: id, logicalPath: logicalPath.precomposedNFC, version: number, sha512: digest, sha256: sha256, size: size,
            file: file, observer: store.readObserver, relativePath: store.relative(file))
    }

    /// The inventory's sha256 fixity digests by content path, built the first time it is asked for.
    func sha256ByContentPath() -> [String: String] {
        lock.lock()
        defer { lock.unlock() }
        if let sha256ByContent { return sha256ByContent }
        var result: [String: String] = [:]
        for (digest, paths) in inventory.fixity["sha256"] ?? [:] {
            for path in paths { result[path] = digest }
        }
        sha256ByContent = result
        return result
    }
}

/// A document's bytes in the store: opened through the store, checked by whoever reads them.
public struct StoredContent: Sendable {
    public let dossier: DossierID
    public let logicalPath: String
    public let version: VersionNumber
    /// What the bytes must hash to (the inventory's manifest).
    public let sha512: Digest
    /// The inventory's sha256 fixity for the bytes, when it has one.
    public let sha256: Digest?
    public let size: Int64
    let file: String
    let observer: (@Sendable (StoreRead) -> Void)?
    let relativePath: String

    /// Opens the stored bytes for reading.
    public func open() throws(StoreError) -> FileDescriptor {
        observer?(StoreRead(kind: .content, path: relativePath))
        do { return try FileDescriptor.open(file, .readOnly) } catch { throw .io(error) }
    }

    /// Runs `body` with the content file's path, for C libraries that open files by name
    /// (poppler). The file is read-only to them by convention: nothing may write under `store/`.
    public func withFilePath<R>(_ body: (String) throws -> R) rethrows -> R {
        observer?(StoreRead(kind: .content, path: relativePath))
        return try body(file)
    }
}

extension StorageRoot {
    /// A document of `version` as the `inventory` a commit returned names it, without reading
    /// the dossier again (no sha256: the inventory's fixity is not looked up).
    func content(of id: DossierID, inventory: Inventory, logicalPath: String, version: VersionNumber) throws(StoreError) -> StoredContent {
        let (file, digest) = try contentFile(of: id, inventory: inventory, logicalPath: logicalPath, version: version)
        guard let size = FileSystem.size(ofRegularFile: file) else {
            throw .corruptObject(id, path: relative(file), reason: "the content file is missing")
        }
        return StoredContent(
            dossier: id, logicalPath: logicalPath, version: version, sha512: digest, sha256: nil, size: size,
            file: file, observer: readObserver, relativePath: relative(file))
    }

    /// Reads a dossier once: its root inventory (checked against the sidecar) and the record
    /// at `version` (the head when `nil`), checked against the inventory.
    /// - Throws: ``StoreError`` when the dossier or version is missing, or the object is damaged.
    public func snapshot(of id: DossierID, version: VersionNumber? = nil) throws(StoreError) -> DossierSnapshot {
        guard exists(id) else { throw .dossierMissing(id) }
        let root = objectRoot(for: id)
        let (bytes, digest) = try checkedInventory(id: id, directory: root)
        let inventory: Inventory
        if let kept = decodedObjects.inventory(root, digest: digest) {
            inventory = kept
        } else {
            inventory = try decodeInventory(id: id, directory: root, bytes: bytes)
            decodedObjects.keep(inventory, root, digest: digest)
        }
        let number = version ?? inventory.head
        guard inventory.versions[number] != nil else { throw .versionMissing(id, number, head: inventory.head) }
        let (record, recordBytes) = try recordWithBytes(of: id, inventory: inventory, version: number)
        return DossierSnapshot(
            id: id, inventory: inventory, inventoryBytes: bytes, inventoryDigest: digest, version: number,
            record: record, recordBytes: recordBytes, store: self)
    }
}
