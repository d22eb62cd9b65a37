import DossierModel
/// Verifies the vault's store: the OCFL checks of ``OCFLValidator`` on the storage root and
/// every object, plus what FORMATS.md adds for dossiers (the `D` codes): each object's id is a
/// dossier's, each version's `dossier.json` decodes and lists exactly the documents of that
/// version's state with their digests and sizes, and each object sits where the layout puts it.
///
/// ```swift
/// let report = try StoreVerifier.verify(store, locks: locks)              // the whole store
/// let one = try StoreVerifier.verify(store, ids: [id], locks: locks)       // just these dossiers
/// ```
public enum StoreVerifier {
    /// - Parameters:
    ///   - store: the vault's storage root.
    ///   - ids: the dossiers to verify; empty for the whole store (storage root included).
    ///   - locks: the dossiers' locks, under which a dossier found with errors is checked again.
    ///   - options: whether to recompute digests, and on how many threads.
    ///   - progress: called on the calling thread about ten times a second while work runs.
    /// - Throws: ``StoreError/dossierMissing(_:)`` when a named dossier is not in the store.
    public static func verify(
        _ store: StorageRoot, ids: [DossierID] = [], locks: DossierLocks, options: VerifyOptions = VerifyOptions(),
        progress: (VerifyProgress) -> Void = { _ in }
    ) throws(StoreError) -> VerificationReport {
        let source: OCFLValidator.Source
        if ids.isEmpty {
            source = .storageRoot(StorageRootCheck(path: store.path, name: "store", dossierChecks: true) { relative in
                let folder = FileSystem.lastComponent(of: relative)
                return StorageRoot.decodeEncapsulation(folder)?.rawValue ?? "store/\(relative)"
            })
        } else {
            var tasks: [ObjectTask] = []
            for id in ids {
                guard store.exists(id) else { throw .dossierMissing(id) }
                tasks.append(task(for: id, in: store))
            }
            source = .objects(tasks)
        }
        let report = OCFLValidator.run([source], options: options, progress: progress)
        return recheckUnderLock(report, store: store, locks: locks, options: options)
    }

    private static func task(for id: DossierID, in store: StorageRoot) -> ObjectTask {
        let objectRoot = store.objectRoot(for: id)
        return ObjectTask(
            path: objectRoot, name: id.rawValue,
            storage: StorageContext(rootSpecVersion: "1.1", relativePath: store.relativeObjectPath(for: id), layout: .hashAndID(store.layout)),
            dossierChecks: true)
    }

    /// Verify reads without locks, so a filing committing meanwhile can be seen half done: its
    /// version folder in place before the root inventory names it (E046), or the new inventory
    /// before its sidecar (E060). Each dossier with an error is checked once more while holding
    /// its lock, and that verdict stands; intact dossiers cost nothing more. When the lock
    /// cannot be had (a read-only copy of a vault, a filing that holds it past the timeout),
    /// the first verdict stands.
    static func recheckUnderLock(_ report: VerificationReport, store: StorageRoot, locks: DossierLocks, options: VerifyOptions) -> VerificationReport {
        let suspects = Set(report.findings.filter { $0.severity == .error }.map(\.object))
            .compactMap { DossierID($0) }
            // Only a dossier checked in one folder, where the layout puts it: a copy elsewhere
            // (E083) shares its name, and its findings must stay its own.
            .filter { store.exists($0) && report.objectFolders[$0.rawValue] == [store.objectRoot(for: $0)] }
            .sorted { $0.rawValue < $1.rawValue }
        guard !suspects.isEmpty else { return report }
        var findings = report.findings
        var observations = report.observations
        var objectVersions = report.objectVersions
        for id in suspects {
            guard let lock = try? locks.lock(id) else { continue }
            let again = OCFLValidator.run([.objects([task(for: id, in: store)])], options: options, progress: { _ in })
            withExtendedLifetime(lock) {}
            guard let first = findings.firstIndex(where: { $0.object == id.rawValue }) else { continue }
            findings.removeAll { $0.object == id.rawValue }
            findings.insert(contentsOf: again.findings, at: first)
            observations[id.rawValue] = again.observations[id.rawValue]
            for (path, versions) in again.objectVersions { objectVersions[path] = versions }
        }
        var rechecked = report
        rechecked.findings = findings
        rechecked.observations = observations
        rechecked.objectVersions = objectVersions
        return rechecked
    }

    /// The dossier checks of one object, run with its structure checks (content hashing
    /// separately confirms that each content file matches the digest compared here).
    /// - Returns: the bytes of the records it read, by content path, so that hashing need not
    ///   read them again.
    ///   When `observe` is set, also what it read (``DossierObservation``).
    @discardableResult
    static func checkDossier(
        objectPath: String, facts: InventoryFacts, content: [RawPath: Int64], into sink: inout FindingSink, observe: Bool = false
    ) -> ([RawPath: [UInt8]], DossierObservation?) {
        var read: [RawPath: [UInt8]] = [:]
        var headRecord: DossierRecord?
        var dossierID: DossierID?
        if let id = facts.id {
            dossierID = DossierID(objectID: id)
            if dossierID == nil { sink.add(.D001, "inventory.json", "the object id \"\(id)\" is not a dossier's (urn:dossier:<id>)") }
        }
        var records: [String: Result<DossierRecord, FieldError>] = [:]
        for version in facts.versions {
            let name = version.name.name
            guard let digest = version.files["dossier.json"] else {
                sink.add(.D002, "inventory.json", version: name, "the state of \(name) has no dossier.json")
                continue
            }
            // A missing content file is already E092; there is nothing to read here.
            guard let contentKey = facts.manifest[digest]?.first(where: { content[$0] != nil }) else { continue }
            let contentPath = contentKey.string
            let record: DossierRecord
            let outcome: Result<DossierRecord, FieldError>
            if let known = records[digest] {
                outcome = known
            } else {
                let (decoded, bytes) = readRecord("\(objectPath)/\(contentPath)", label: "\(name) dossier.json")
                outcome = decoded
                read[contentKey] = bytes
            }
            records[digest] = outcome
            switch outcome {
            case .success(let decoded):
                record = decoded
                if version.name == facts.head { headRecord = decoded }
            case .failure(let error):
                sink.add(.D003, contentPath, version: name, "does not decode as a dossier record: \(error.description)")
                continue
            }
            if let dossierID, record.id != dossierID {
                sink.add(.D004, contentPath, version: name, "names the dossier \(record.id), but the object is \(dossierID)")
            }
            var listed = Set<RawPath>()
            for document in record.documents {
                listed.insert(RawPath(document.path))
                guard let stateDigest = version.files[RawPath(document.path)] else {
                    sink.add(.D005, contentPath, version: name, "lists \(document.path), which is not in the state of \(name)")
                    continue
                }
                if facts.algorithm == .sha512, document.sha512.hex != stateDigest {
                    sink.add(.D007, contentPath, version: name,
                        "gives \(document.path) the sha512 \(document.sha512.short), but the state of \(name) has \(stateDigest.shortDigest)")
                }
                if let file = facts.manifest[stateDigest]?.first(where: { content[$0] != nil }), let size = content[file], size != document.size {
                    sink.add(.D008, contentPath, version: name, "gives \(document.path) the size \(document.size), but its content file \(file) has \(size) bytes")
                }
            }
            for path in version.files.keys.sorted() where path != "dossier.json" && !listed.contains(path) {
                sink.add(.D006, contentPath, version: name, "does not list \(path), which the state of \(name) holds")
            }
        }
        guard observe else { return (read, nil) }
        let versions = facts.versions.map { version in
            ObservedVersion(
                name: version.name.name, number: version.name.number, created: version.created?.stringValue,
                userName: version.user?["name"]?.stringValue, userAddress: version.user?["address"]?.stringValue)
        }
        var headState: [String: String] = [:]
        if let head = facts.head, let block = facts.versions.first(where: { $0.name == head }) {
            for (path, digest) in block.files { headState[path.string] = digest }
        }
        return (read, DossierObservation(versions: versions, headState: headState, headRecord: headRecord))
    }

    private static func readRecord(_ path: String, label: String) -> (Result<DossierRecord, FieldError>, [UInt8]?) {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path)
        } catch {
            return (.failure(FieldError(file: label, field: "", problem: "\(error)")), nil)
        }
        do {
            return (.success(try RecordCodec.decodeRecord(try FieldReader.parse(file: label, data: bytes))), bytes)
        } catch {
            return (.failure(error), bytes)
        }
    }
}
