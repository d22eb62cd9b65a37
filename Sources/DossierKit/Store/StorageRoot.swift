import DossierModel
/// An OCFL 1.1 storage root holding one object per dossier (FORMATS.md §2).
///
/// Only the store touches files under `store/`; everything else asks it.
///
/// ## Topics
/// ### Opening
/// - ``create(at:)``
/// - ``open(at:)``
/// ### Reading
/// - ``snapshot(of:version:)``
/// - ``inventory(of:)``
/// - ``dossierIDs()``
/// ### Writing
/// - ``commit(_:to:previous:staging:faults:prepared:)``
/// - ``recover(_:)``
public struct StorageRoot: Sendable {
    public static let declaration = "0=ocfl_1.1"
    static let objectDeclaration = "0=ocfl_object_1.1"
    static let inventoryName = "inventory.json"
    static let sidecarName = "inventory.json.sha512"

    public let path: String
    public let layout: HashAndIDLayout
    /// A seam for tests: told of every file the store reads (inventories, sidecars, records,
    /// content opened), so that a test can count how often a command reads a dossier.
    public var readObserver: (@Sendable (StoreRead) -> Void)?
    /// Shared by the copies of this value (one command's reads of the same dossier).
    let decodedObjects = DecodedObjects()

    /// Creates an empty storage root with the 0003 layout. The folder must be new or empty.
    public static func create(at path: String) throws(StoreError) -> StorageRoot {
        let layout = HashAndIDLayout()
        do {
            try FileSystem.makeDirectories(path)
            if try !FileSystem.contents(of: path).isEmpty {
                throw StoreError.notAStorageRoot(path: path, reason: "the folder is not empty")
            }
            try FileSystem.writeNewFile("\(path)/\(declaration)", Array("ocfl_1.1\n".utf8))
            let layoutFile: JSONValue = [
                "extension": .string(HashAndIDLayout.extensionName),
                "description": "Hashed (sha256) n-tuple (3 × 3) trees with the percent-encoded object id as the object's folder",
            ]
            try FileSystem.writeNewFile("\(path)/ocfl_layout.json", Array(layoutFile.serialized().utf8))
            let extensionDirectory = "\(path)/extensions/\(HashAndIDLayout.extensionName)"
            try FileSystem.makeDirectories(extensionDirectory)
            try FileSystem.writeNewFile("\(extensionDirectory)/config.json", Array(layout.config().serialized().utf8))
            try FileSystem.syncDirectory(extensionDirectory)
            try FileSystem.syncDirectory("\(path)/extensions")
            try FileSystem.syncDirectory(path)
        } catch let error as StoreError {
            throw error
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .notAStorageRoot(path: path, reason: "\(error)")
        }
        return StorageRoot(path: path, layout: layout, readObserver: nil)
    }

    /// Opens an existing storage root, reading its layout.
    public static func open(at path: String) throws(StoreError) -> StorageRoot {
        guard FileSystem.isDirectory(path) else { throw .notAStorageRoot(path: path, reason: "no such folder") }
        guard let declaration = try? FileSystem.readFile("\(path)/\(declaration)"), declaration == Array("ocfl_1.1\n".utf8) else {
            throw .notAStorageRoot(path: path, reason: "\(Self.declaration) is missing or wrong")
        }
        let configPath = "\(path)/extensions/\(HashAndIDLayout.extensionName)/config.json"
        let layout: HashAndIDLayout
        if let bytes = try? FileSystem.readFile(configPath) {
            do {
                layout = try HashAndIDLayout.decode(try FieldReader.parse(file: configPath, data: bytes))
            } catch {
                throw .notAStorageRoot(path: path, reason: error.description)
            }
        } else {
            layout = HashAndIDLayout()
        }
        return StorageRoot(path: path, layout: layout, readObserver: nil)
    }

    /// Reads one of the store's files, telling ``readObserver``.
    func read(_ kind: StoreRead.Kind, _ path: String, limit: Int = 64 << 20) throws(FileSystemError) -> [UInt8] {
        readObserver?(StoreRead(kind: kind, path: relative(path)))
        return try FileSystem.readFile(path, limit: limit)
    }

    /// The object's folder (absolute).
    public func objectRoot(for id: DossierID) -> String {
        // sha256 through OpenSSL cannot fail once the library is loaded; a failure here
        // means libcrypto itself is broken, which no caller can recover from.
        // swift-format-ignore: NeverForceUnwrap
        "\(path)/\(try! layout.path(for: id.objectID))"
    }

    public func exists(_ id: DossierID) -> Bool {
        FileSystem.exists("\(objectRoot(for: id))/\(StorageRoot.objectDeclaration)")
    }

    /// The object's root inventory, after checking it against its sidecar.
    public func inventory(of id: DossierID) throws(StoreError) -> Inventory {
        let root = objectRoot(for: id)
        guard exists(id) else { throw .dossierMissing(id) }
        return try readInventory(id: id, directory: root)
    }

    func readInventory(id: DossierID, directory: String) throws(StoreError) -> Inventory {
        try decodeInventory(id: id, directory: directory, bytes: try inventoryBytes(id: id, directory: directory))
    }

    func decodeInventory(id: DossierID, directory: String, bytes: [UInt8]) throws(StoreError) -> Inventory {
        let inventoryPath = "\(directory)/\(StorageRoot.inventoryName)"
        do {
            let inventory = try Inventory.decode(try FieldReader.parse(file: relative(inventoryPath), data: bytes))
            guard inventory.id == id.objectID else {
                throw StoreError.corruptObject(id, path: relative(inventoryPath), reason: "its id is \(inventory.id), expected \(id.objectID)")
            }
            return inventory
        } catch let error as FieldError {
            throw .corruptObject(id, path: relative(inventoryPath), reason: error.description)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .corruptObject(id, path: relative(inventoryPath), reason: "\(error)")
        }
    }

    /// The inventory as it stood at `version` (`vN/inventory.json`, which OCFL keeps in
    /// every version folder), exactly as stored, after checking it against its sidecar.
    public func inventoryBytes(of id: DossierID, version: VersionNumber) throws(StoreError) -> [UInt8] {
        guard exists(id) else { throw .dossierMissing(id) }
        return try inventoryBytes(id: id, directory: "\(objectRoot(for: id))/\(version)")
    }

    /// An inventory file's bytes, checked against the sha512 in its sidecar.
    func inventoryBytes(id: DossierID, directory: String) throws(StoreError) -> [UInt8] {
        try checkedInventory(id: id, directory: directory).bytes
    }

    /// The sha512 (hex) of the object's root inventory, or `nil` when it cannot be read: what
    /// the index compares with the digest it recorded.
    func rootInventoryDigest(of id: DossierID) -> String? {
        guard let bytes = try? read(.inventory, "\(objectRoot(for: id))/\(StorageRoot.inventoryName)") else { return nil }
        return try? Hasher.digest(.sha512, of: bytes).hex
    }

    /// An inventory file's bytes and their sha512 (hex), checked against the sidecar.
    func checkedInventory(id: DossierID, directory: String) throws(StoreError) -> (bytes: [UInt8], sha512: String) {
        let inventoryPath = "\(directory)/\(StorageRoot.inventoryName)"
        let bytes: [UInt8]
        let sidecar: [UInt8]
        do {
            bytes = try read(.inventory, inventoryPath)
            sidecar = try read(.sidecar, "\(directory)/\(StorageRoot.sidecarName)")
        } catch {
            throw .corruptObject(id, path: relative(inventoryPath), reason: error.description)
        }
        let expected = String(decoding: sidecar, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
        let actual: String
        do { actual = try Hasher.digest(.sha512, of: bytes).hex } catch { throw .crypto(error) }
        guard expected.lowercased() == actual else {
            throw .corruptObject(id, path: relative(inventoryPath), reason: "its sha512 \(actual.shortDigest) does not match the sidecar's \(expected.shortDigest)")
        }
        return (bytes, actual)
    }

    /// The version a stopped commit left to be rolled forward: its folder `v(N+1)` holds an
    /// inventory that matches its sidecar and names it head, while the root inventory (intact,
    /// matching its own sidecar) still names `vN`. `nil` when the object is not in that state.
    public func pendingRollForward(_ id: DossierID) -> VersionNumber? {
        let root = objectRoot(for: id)
        guard let last = ((try? FileSystem.contents(of: root)) ?? []).compactMap(VersionNumber.init).max(),
            let newest = try? checkedInventory(id: id, directory: "\(root)/\(last)"),
            let inventory = try? decodeInventory(id: id, directory: "\(root)/\(last)", bytes: newest.bytes), inventory.head == last
        else { return nil }
        if let current = try? readInventory(id: id, directory: root) {
            return current.head.next == last ? last : nil
        }
        // Stopped between the root inventory and its sidecar: the root already holds the new
        // inventory, and only the sidecar is the old one's.
        guard let bytes = try? FileSystem.readFile("\(root)/\(StorageRoot.inventoryName)"),
            (try? Hasher.digest(.sha512, of: bytes).hex) == newest.sha512
        else { return nil }
        return last
    }

    /// The sha512 (hex) of `vN/inventory.json` as it is on disk, or `nil` when it cannot be read.
    func versionInventoryDigest(of id: DossierID, version: VersionNumber) -> String? {
        guard let bytes = try? read(.inventory, "\(objectRoot(for: id))/\(version)/\(StorageRoot.inventoryName)") else { return nil }
        return try? Hasher.digest(.sha512, of: bytes).hex
    }

    /// A dossier's version folders (`v1`, `v2` …) and the sha512 of each one's
    /// `inventory.json`, `nil` where it cannot be read: what the audit log's lines vouch for.
    /// - Parameters:
    ///   - id: the dossier.
    ///   - folders: the object root's version folder names when already listed (a verification's).
    ///   - known: digests already computed, by version folder name; only the folders they miss are read.
    public func versionInventoryDigests(of id: DossierID, folders: [String]? = nil, known: [String: String] = [:]) -> [(VersionNumber, String?)] {
        let names = folders ?? (try? FileSystem.contents(of: objectRoot(for: id))) ?? []
        return names.compactMap { VersionNumber($0) }.sorted().map { ($0, known[$0.description] ?? versionInventoryDigest(of: id, version: $0)) }
    }

    /// A path relative to the storage root, for messages.
    func relative(_ absolute: String) -> String {
        absolute.hasPrefix(path + "/") ? "store/" + absolute.dropFirst(path.count + 1) : absolute
    }

    /// The absolute path of the content file for a logical path at a version.
    public func contentFile(of id: DossierID, inventory: Inventory, logicalPath: String, version: VersionNumber) throws(StoreError) -> (path: String, digest: Digest) {
        guard let versionBlock = inventory.versions[version] else { throw .versionMissing(id, version, head: inventory.head) }
        guard let digestHex = versionBlock.files[logicalPath] else {
            throw .documentMissing(id, version, path: logicalPath, available: versionBlock.files.keys.sorted())
        }
        guard let contentPath = inventory.contentPath(for: digestHex), let digest = Digest(algorithm: inventory.digestAlgorithm, hex: digestHex) else {
            throw .corruptObject(id, path: "inventory.json", reason: "the manifest has no content for \(logicalPath)")
        }
        return ("\(objectRoot(for: id))/\(contentPath)", digest)
    }

    /// The dossier record (dossier.json) at a version, or at the head.
    public func record(of id: DossierID, inventory: Inventory, version: VersionNumber? = nil) throws(StoreError) -> DossierRecord {
        let version = version ?? inventory.head
        return try recordWithBytes(of: id, inventory: inventory, version: version).record
    }

    /// The record at a version and the bytes it was decoded from, checked against the inventory.
    func recordWithBytes(of id: DossierID, inventory: Inventory, version: VersionNumber) throws(StoreError) -> (record: DossierRecord, bytes: [UInt8]) {
        let (file, digest) = try contentFile(of: id, inventory: inventory, logicalPath: LogicalPath.record, version: version)
        let bytes: [UInt8]
        do { bytes = try read(.record, file) } catch { throw .corruptObject(id, path: relative(file), reason: error.description) }
        let actual: Digest
        do { actual = try Hasher.digest(inventory.digestAlgorithm, of: bytes) } catch { throw .crypto(error) }
        guard actual == digest else { throw .digestMismatch(id, version, path: LogicalPath.record, expected: digest, actual: actual) }
        if let kept = decodedObjects.record(file, digest: digest.hex) { return (kept, bytes) }
        do {
            let record = try RecordCodec.decodeRecord(try FieldReader.parse(file: "\(id) \(version) dossier.json", data: bytes))
            decodedObjects.keep(record, file, digest: digest.hex)
            return (record, bytes)
        } catch {
            throw .corruptObject(id, path: relative(file), reason: error.description)
        }
    }

    /// Every dossier in the store, found by walking the layout's tuple folders.
    public func dossierIDs() throws(StoreError) -> [DossierID] {
        var result: [DossierID] = []
        func walk(_ directory: String, depth: Int) throws(FileSystemError) {
            if depth == layout.numberOfTuples {
                for name in try FileSystem.contents(of: directory) {
                    let objectDirectory = "\(directory)/\(name)"
                    guard FileSystem.exists("\(objectDirectory)/\(StorageRoot.objectDeclaration)") else { continue }
                    if let id = StorageRoot.decodeEncapsulation(name), exists(id), objectRoot(for: id) == objectDirectory {
                        result.append(id)
                    }
                }
                return
            }
            for name in try FileSystem.contents(of: directory) where name.utf8.count == layout.tupleSize {
                let child = "\(directory)/\(name)"
                if FileSystem.isDirectory(child) { try walk(child, depth: depth + 1) }
            }
        }
        do { try walk(path, depth: 0) } catch { throw .io(error) }
        return result.sorted()
    }

    /// The object id inside a 0003 encapsulation folder name (its percent-decoding).
    static func decodeEncapsulation(_ name: String) -> DossierID? {
        var bytes: [UInt8] = []
        var iterator = Array(name.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return DossierID(objectID: String(decoding: bytes, as: UTF8.self))
    }
}

/// One file the store read, as ``StorageRoot/readObserver`` is told of it.
public struct StoreRead: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case inventory, sidecar, record, content
    }

    public var kind: Kind
    /// Relative to the vault home: `store/…`.
    public var path: String
}
