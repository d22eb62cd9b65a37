import DossierModel
/// What one logical path holds in a version being built.
public enum VersionContent: Sendable, Equatable {
    /// Unchanged bytes already in the object, named by their sha512.
    case existing(digest: String)
    /// New bytes waiting in the staging area.
    case staged(StagedFile)

    var sha512: String {
        switch self {
        case .existing(let digest): digest
        case .staged(let file): file.digests.sha512.hex
        }
    }
}

/// The complete logical state and metadata of the next version.
public struct VersionDraft: Sendable {
    public var files: [String: VersionContent]
    public var created: String
    public var message: String
    public var user: Agent

    public init(files: [String: VersionContent], created: String, message: String, user: Agent) {
        self.files = files
        self.created = created
        self.message = message
        self.user = user
    }
}

/// The steps of a commit, named so that tests can fail or "crash" the commit between them.
public enum CommitStep: String, Sendable, CaseIterable {
    /// The version (or new object) is complete in the staging area.
    case versionBuilt
    /// The version folder has been renamed into the object (the commit point).
    case versionMoved
    /// The root inventory has been replaced; the sidecar not yet.
    case inventoryReplaced
}

/// Thrown by a fault injector to stop a commit dead, without clean-up, as a power cut would.
public struct SimulatedCrash: Error, Sendable {
    public init() {}
}

/// A test seam: called between commit steps; whatever it throws, the commit throws.
public typealias FaultInjector = @Sendable (CommitStep) throws -> Void

extension StorageRoot {
    /// Writes `draft` as the next version of the dossier, all or nothing.
    ///
    /// The version is built in `staging` (a folder on the same file system), synced, then
    /// renamed into the object; the root inventory and its sidecar are replaced last. If
    /// anything fails, what was moved is moved back and the store is as it was. A crash
    /// between the rename and the inventory is completed by ``recover(_:)``.
    ///
    /// - Parameters:
    ///   - draft: the new version's files, time, message and user.
    ///   - id: the dossier.
    ///   - previous: the object's current inventory, read under the dossier's lock; `nil` for a new object.
    ///   - staging: an empty folder for this commit, removed by the caller afterwards.
    ///   - faults: a test seam called between the commit's steps.
    ///   - prepared: called with the sha512 (hex) of the new version's `inventory.json` once the
    ///     version is complete in staging and before anything in the store changes: where the
    ///     vault writes its commit journal. Whatever it throws, the commit throws, unchanged.
    /// - Returns: the new inventory.
    /// - Throws: ``StoreError/nothingToFile(_:_:)`` when the state equals the head's.
    public func commit(
        _ draft: VersionDraft, to id: DossierID, previous: Inventory?, staging: String, faults: FaultInjector? = nil,
        prepared: ((String) throws -> Void)? = nil
    ) throws(StoreError) -> Inventory {
        let number = previous?.head.next ?? VersionNumber(1)
        var inventory = previous ?? Inventory(id: id.objectID)
        if let previous, let head = previous.headVersion,
            head.files == draft.files.mapValues(\.sha512)
        {
            throw .nothingToFile(id, previous.head)
        }

        let objectStaging = "\(staging)/object"
        var inventoryDigest = ""
        let versionStaging = "\(objectStaging)/\(number)"
        do {
            try FileSystem.makeDirectories(versionStaging)
            var files: [String: String] = [:]
            for (logicalPath, content) in draft.files.sorted(by: { $0.key < $1.key }) {
                let digest = content.sha512
                files[logicalPath] = digest
                guard inventory.manifest[digest] == nil, case .staged(let file) = content else { continue }
                let contentPath = "\(number)/\(inventory.contentDirectory)/\(logicalPath)"
                let destination = "\(objectStaging)/\(contentPath)"
                try FileSystem.makeDirectories(FileSystem.parent(of: destination))
                try FileSystem.rename(file.path, to: destination)
                inventory.manifest[digest] = [contentPath]
                inventory.fixity["sha256", default: [:]][file.digests.sha256.hex, default: []].append(contentPath)
            }
            inventory.head = number
            inventory.versions[number] = DossierVersion(
                number: number, created: draft.created, message: draft.message, user: draft.user, files: files)

            let inventoryBytes = inventory.serialized()
            // swift-format-ignore: NeverForceUnwrap
            inventoryDigest = try! Hasher.digest(.sha512, of: inventoryBytes).hex
            let sidecar = Array("\(inventoryDigest)  \(StorageRoot.inventoryName)\n".utf8)
            try FileSystem.writeNewFile("\(versionStaging)/\(StorageRoot.inventoryName)", inventoryBytes)
            try FileSystem.writeNewFile("\(versionStaging)/\(StorageRoot.sidecarName)", sidecar)
            // The root copies are renamed into place last; they wait beside the object.
            try FileSystem.writeNewFile("\(staging)/\(StorageRoot.inventoryName)", inventoryBytes)
            try FileSystem.writeNewFile("\(staging)/\(StorageRoot.sidecarName)", sidecar)
            if previous == nil {
                try FileSystem.writeNewFile("\(objectStaging)/\(StorageRoot.objectDeclaration)", Array("ocfl_object_1.1\n".utf8))
            }
            // The staged documents were written without an fsync each: one syncfs commits them all.
            try FileSystem.syncFileSystem(containing: versionStaging)
            try StorageRoot.syncTree(versionStaging)
            try FileSystem.syncDirectory(objectStaging)
        } catch {
            throw .io(error)
        }
        CrashPoint.versionBuilt.hit()
        try inject(faults, .versionBuilt)
        if let prepared {
            do { try prepared(inventoryDigest) } catch let error as StoreError { throw error } catch {
                throw .io(FileSystemError(operation: "prepare the commit (\(error))", path: staging, code: 0))
            }
        }

        let objectRoot = objectRoot(for: id)
        if previous == nil {
            try commitNewObject(id: id, objectStaging: objectStaging, staging: staging, objectRoot: objectRoot, faults: faults)
        } else {
            try commitNextVersion(number, objectRoot: objectRoot, staging: staging, faults: faults)
        }
        return inventory
    }

    private func commitNewObject(id: DossierID, objectStaging: String, staging: String, objectRoot: String, faults: FaultInjector?) throws(StoreError) {
        // The object's own files sit at its root, not in the version folder.
        var createdParents: [String] = []
        do {
            try FileSystem.rename("\(staging)/\(StorageRoot.inventoryName)", to: "\(objectStaging)/\(StorageRoot.inventoryName)")
            try FileSystem.rename("\(staging)/\(StorageRoot.sidecarName)", to: "\(objectStaging)/\(StorageRoot.sidecarName)")
            try FileSystem.syncDirectory(objectStaging)
            createdParents = try FileSystem.makeDirectories(FileSystem.parent(of: objectRoot))
            guard !FileSystem.exists(objectRoot) else { throw StoreError.dossierExists(id) }
            CrashPoint.objectRenameBefore.hit()
            try FileSystem.rename(objectStaging, to: objectRoot)
            CrashPoint.objectRenameAfter.hit()
            try FileSystem.syncDirectory(FileSystem.parent(of: objectRoot))
            for directory in createdParents.reversed() { try FileSystem.syncDirectory(FileSystem.parent(of: directory)) }
            CrashPoint.objectSynced.hit()
        } catch {
            if !FileSystem.exists(objectRoot) { removeEmpty(createdParents) }
            if let error = error as? StoreError { throw error }
            if let error = error as? FileSystemError { throw .io(error) }
            throw .io(FileSystemError(operation: "commit (\(error))", path: objectRoot, code: 0))
        }
    }

    private func commitNextVersion(_ number: VersionNumber, objectRoot: String, staging: String, faults: FaultInjector?) throws(StoreError) {
        let versionPath = "\(objectRoot)/\(number)"
        let savedInventory = "\(staging)/previous-\(StorageRoot.inventoryName)"
        let savedSidecar = "\(staging)/previous-\(StorageRoot.sidecarName)"
        do {
            // Hard links keep the current root files recoverable without copying them.
            try FileSystem.link("\(objectRoot)/\(StorageRoot.inventoryName)", to: savedInventory)
            try FileSystem.link("\(objectRoot)/\(StorageRoot.sidecarName)", to: savedSidecar)
            guard !FileSystem.exists(versionPath) else {
                throw FileSystemError(operation: "create version folder (it already exists)", path: versionPath, code: 17)
            }
            CrashPoint.versionRenameBefore.hit()
            try FileSystem.rename("\(staging)/object/\(number)", to: versionPath)
            CrashPoint.versionRenameAfter.hit()
            try FileSystem.syncDirectory(objectRoot)
            CrashPoint.versionSynced.hit()
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .io(FileSystemError(operation: "commit (\(error))", path: versionPath, code: 0))
        }

        var step = CommitStep.versionMoved
        do {
            try inject(faults, .versionMoved)
            CrashPoint.inventoryRenameBefore.hit()
            try FileSystem.rename("\(staging)/\(StorageRoot.inventoryName)", to: "\(objectRoot)/\(StorageRoot.inventoryName)")
            CrashPoint.inventoryRenameAfter.hit()
            step = .inventoryReplaced
            try inject(faults, .inventoryReplaced)
            try FileSystem.rename("\(staging)/\(StorageRoot.sidecarName)", to: "\(objectRoot)/\(StorageRoot.sidecarName)")
            CrashPoint.sidecarRenameAfter.hit()
            try FileSystem.syncDirectory(objectRoot)
            CrashPoint.committed.hit()
        } catch {
            if case .simulatedCrash = error as? StoreError { throw .simulatedCrash(step) }
            // Undo in reverse: the root inventory back, then the version folder out.
            if step == .inventoryReplaced {
                try? FileSystem.rename(savedInventory, to: "\(objectRoot)/\(StorageRoot.inventoryName)")
            }
            try? FileSystem.rename(versionPath, to: "\(staging)/object/\(number)")
            try? FileSystem.syncDirectory(objectRoot)
            if let error = error as? StoreError { throw error }
            if let error = error as? FileSystemError { throw .io(error) }
            throw .io(FileSystemError(operation: "commit (\(error))", path: objectRoot, code: 0))
        }
    }

    private func inject(_ faults: FaultInjector?, _ step: CommitStep) throws(StoreError) {
        guard let faults else { return }
        do {
            try faults(step)
        } catch is SimulatedCrash {
            throw .simulatedCrash(step)
        } catch let error as FileSystemError {
            throw .io(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .io(FileSystemError(operation: "\(error)", path: step.rawValue, code: 0))
        }
    }

    /// Removes the folders between the storage root and `id`'s object root that are empty
    /// (what a new object's commit stopped before its rename leaves).
    func removeEmptyParents(of id: DossierID) {
        var directory = FileSystem.parent(of: objectRoot(for: id))
        while directory.hasPrefix(path + "/"), (try? FileSystem.contents(of: directory))?.isEmpty == true {
            try? FileSystem.removeEmptyDirectory(directory)
            directory = FileSystem.parent(of: directory)
        }
    }

    private func removeEmpty(_ directories: [String]) {
        for directory in directories.reversed() { try? FileSystem.removeEmptyDirectory(directory) }
    }

    /// Completes a commit that was cut off after its version folder was renamed into place:
    /// the version folder carries the full inventory, so the root copies are rolled forward.
    /// Call under the dossier's lock.
    /// - Returns: `true` when something was repaired.
    @discardableResult
    public func recover(_ id: DossierID) throws(StoreError) -> Bool {
        let objectRoot = objectRoot(for: id)
        guard exists(id) else { return false }
        var repaired = false
        do {
            let rootBytes = try FileSystem.readFile("\(objectRoot)/\(StorageRoot.inventoryName)")
            let head = try Inventory.decode(try FieldReader.parse(file: "inventory.json", data: rootBytes)).head
            var latest = head
            while FileSystem.exists("\(objectRoot)/\(latest.next)/\(StorageRoot.inventoryName)") { latest = latest.next }
            let latestDirectory = "\(objectRoot)/\(latest)"
            let latestBytes = try FileSystem.readFile("\(latestDirectory)/\(StorageRoot.inventoryName)")
            let latestSidecar = try FileSystem.readFile("\(latestDirectory)/\(StorageRoot.sidecarName)")
            let rootSidecar = (try? FileSystem.readFile("\(objectRoot)/\(StorageRoot.sidecarName)")) ?? []
            if latestBytes != rootBytes {
                try FileSystem.replaceFile("\(objectRoot)/\(StorageRoot.inventoryName)", latestBytes)
                repaired = true
            }
            if latestSidecar != rootSidecar {
                try FileSystem.replaceFile("\(objectRoot)/\(StorageRoot.sidecarName)", latestSidecar)
                repaired = true
            }
        } catch let error as FileSystemError {
            throw .corruptObject(id, path: relative(objectRoot), reason: error.description)
        } catch let error as FieldError {
            throw .corruptObject(id, path: relative(objectRoot), reason: error.description)
        } catch {
            throw .corruptObject(id, path: relative(objectRoot), reason: "\(error)")
        }
        return repaired
    }

    /// Syncs every folder in a tree, deepest first, so new entries survive a power cut.
    static func syncTree(_ directory: String) throws(FileSystemError) {
        for name in try FileSystem.contents(of: directory) {
            let child = "\(directory)/\(name)"
            if FileSystem.isDirectory(child) { try syncTree(child) }
        }
        try FileSystem.syncDirectory(directory)
    }
}
