import DossierModel

/// What rewriting an object changed: the root inventory's sha512 before and after, and each
/// version's (for the audit log, which commits to every version's inventory).
public struct RewriteResult: Sendable {
    public var oldInventory: String
    public var newInventory: String
    /// Version → (old, new) sha512 of its `inventory.json`.
    public var versions: [(version: VersionNumber, old: String, new: String)]
    /// Stored files written anew.
    public var filesRewritten: Int
}

extension StorageRoot {
    /// Rewrites every version of a dossier's object — OCFL versions are immutable, so changing
    /// how papers are stored (encrypting them all when a dossier is classified, encrypting them
    /// anew when a reader's clearance is removed) means a new object with the same history: the
    /// same versions, times, users and messages, each paper passed through `content` and each
    /// version's record through `record`. It is built beside the old one and swapped in with one
    /// atomic exchange (Linux's `renameat2`), so a crash leaves the old object or the new one,
    /// never a mix; then the old one is deleted. Call under the dossier's lock.
    ///
    /// - Parameters:
    ///   - id: the dossier whose object is rewritten.
    ///   - staging: an empty folder on the store's file system, removed by the caller.
    ///   - content: given each distinct stored paper (not the records) and a path to write its
    ///     new bytes to; returns their digests, or `nil` to keep the paper as it is.
    ///   - record: given each version's record and the new digests by old sha512; returns the
    ///     record to store for that version.
    ///   - prepared: called with the inventories' digests before and after once the new object
    ///     is complete and synced, just before the exchange: where the vault writes its journal.
    /// - Returns: the inventories' digests before and after.
    public func rewrite(
        _ id: DossierID, staging: String,
        content: (StoredContent, String) throws -> ContentDigests?,
        record: (DossierRecord, [String: ContentDigests]) throws -> DossierRecord,
        prepared: (RewriteResult) throws -> Void = { _ in }
    ) throws -> RewriteResult {
        try FileSystem.makeDirectories(staging)
        let snapshot = try snapshot(of: id)
        let old = snapshot.inventory
        let objectRoot = objectRoot(for: id)
        let recordDigests = Set(old.versions.values.compactMap { $0.files[LogicalPath.record] })
        let sha256ByPath = snapshot.sha256ByContentPath()

        // The papers, each distinct stored file once.
        var changed: [String: ContentDigests] = [:]
        var staged: [String: String] = [:]
        // Each stored file is offered its own target, whether or not it is rewritten: a file
        // the closure leaves as it is may still have created its target.
        var offered = 0
        for (digest, paths) in old.manifest.sorted(by: { $0.key < $1.key }) where !recordDigests.contains(digest) {
            guard let contentPath = paths.first, let sha512 = Digest(algorithm: .sha512, hex: digest) else { continue }
            let file = "\(objectRoot)/\(contentPath)"
            let stored = StoredContent(
                dossier: id, logicalPath: contentPath, version: VersionNumber(String(contentPath.prefix { $0 != "/" })) ?? old.head, sha512: sha512,
                sha256: sha256ByPath[contentPath].flatMap { Digest(algorithm: .sha256, hex: $0) },
                size: FileSystem.size(ofRegularFile: file) ?? 0, file: file, observer: readObserver, relativePath: relative(file))
            let target = "\(staging)/paper-\(offered)"
            offered += 1
            if let digests = try content(stored, target) {
                changed[digest] = digests
                staged[digest] = target
            }
        }

        // The records, each version's through `record`, then the new inventories.
        var newDigest: [String: String] = [:]
        for (digest, digests) in changed { newDigest[digest] = digests.sha512.hex }
        var inventory = Inventory(id: old.id)
        inventory.contentDirectory = old.contentDirectory
        var recordBytes: [String: [UInt8]] = [:]
        var sha256ByDigest: [String: String] = [:]
        for number in old.versions.keys.sorted() {
            guard let version = old.versions[number] else { continue }
            var files: [String: String] = [:]
            for (path, digest) in version.files where path != LogicalPath.record {
                files[path] = newDigest[digest] ?? digest
            }
            if let oldRecord = version.files[LogicalPath.record] {
                if let known = newDigest[oldRecord] {
                    files[LogicalPath.record] = known
                } else {
                    let rewritten = try record(try snapshot.record(at: number), changed)
                    let bytes = Array(RecordCodec.encode(rewritten).serialized().utf8)
                    let digest = try Hasher.digest(.sha512, of: bytes).hex
                    newDigest[oldRecord] = digest
                    recordBytes[digest] = bytes
                    sha256ByDigest[digest] = try Hasher.digest(.sha256, of: bytes).hex
                    files[LogicalPath.record] = digest
                }
            }
            // Each new digest is stored where its old bytes were first stored.
            for (path, digest) in version.files {
                let target = files[path] ?? digest
                guard inventory.manifest[target] == nil, let contentPath = old.manifest[digest]?.first else { continue }
                inventory.manifest[target] = [contentPath]
                let sha256 = changed[digest]?.sha256.hex ?? sha256ByDigest[target] ?? sha256ByPath[contentPath]
                if let sha256 { inventory.fixity["sha256", default: [:]][sha256, default: []].append(contentPath) }
            }
            inventory.versions[number] = DossierVersion(number: number, created: version.created, message: version.message, user: version.user, files: files)
            inventory.head = number
        }

        var stagedByNewDigest: [String: String] = [:]
        for (oldDigest, digests) in changed { stagedByNewDigest[digests.sha512.hex] = staged[oldDigest] }

        // The new object, built in staging.
        let built = "\(staging)/object"
        var result = RewriteResult(oldInventory: snapshot.inventoryDigest, newInventory: "", versions: [], filesRewritten: changed.count)
        try FileSystem.makeDirectories(built)
        try FileSystem.writeNewFile("\(built)/\(StorageRoot.objectDeclaration)", Array("ocfl_object_1.1\n".utf8))
        var placed = Set<String>()
        for number in inventory.versions.keys.sorted() {
            for (digest, paths) in inventory.manifest {
                guard let contentPath = paths.first, contentPath.hasPrefix("\(number)/"), placed.insert(contentPath).inserted else { continue }
                let destination = "\(built)/\(contentPath)"
                try FileSystem.makeDirectories(FileSystem.parent(of: destination))
                if let bytes = recordBytes[digest] {
                    try FileSystem.writeNewFile(destination, bytes)
                } else if let source = stagedByNewDigest[digest] {
                    try FileSystem.rename(source, to: destination)
                } else {
                    // Unchanged bytes: the same file, linked rather than copied.
                    try FileSystem.link("\(objectRoot)/\(contentPath)", to: destination)
                }
            }
            guard let upTo = inventory.upTo(number) else { continue }
            let bytes = upTo.serialized()
            let digest = try Hasher.digest(.sha512, of: bytes).hex
            let sidecar = Array("\(digest)  \(StorageRoot.inventoryName)\n".utf8)
            try FileSystem.makeDirectories("\(built)/\(number)")
            try FileSystem.writeNewFile("\(built)/\(number)/\(StorageRoot.inventoryName)", bytes)
            try FileSystem.writeNewFile("\(built)/\(number)/\(StorageRoot.sidecarName)", sidecar)
            let oldBytes = try inventoryBytes(of: id, version: number)
            result.versions.append((number, try Hasher.digest(.sha512, of: oldBytes).hex, digest))
            if number == inventory.head {
                try FileSystem.writeNewFile("\(built)/\(StorageRoot.inventoryName)", bytes)
                try FileSystem.writeNewFile("\(built)/\(StorageRoot.sidecarName)", sidecar)
                result.newInventory = digest
            }
        }
        try StorageRoot.syncTree(built)
        try prepared(result)

        // One atomic exchange: the store holds the old object or the new one, never neither.
        CrashPoint.exchangeBefore.hit()
        try FileSystem.exchange(built, objectRoot)
        CrashPoint.exchangeAfter.hit()
        try FileSystem.syncDirectory(FileSystem.parent(of: objectRoot))
        try FileSystem.removeTree(built)
        CrashPoint.rewriteDone.hit()
        return result
    }
}
