import DossierModel
/// One object to verify, and what to check beyond OCFL.
struct ObjectTask: Sendable {
    /// The object's folder.
    let path: String
    /// How findings name the object (a dossier id, or the folder as the user gave it).
    let name: String
    /// Set when the object was reached through a storage root.
    var storage: StorageContext?
    /// Whether to check the vault's own contract (dossier.json) too.
    var dossierChecks = false
    /// The object folder's entries when the storage-root walk has already listed them.
    var listing: [DirectoryEntry]? = nil
}

/// What an object inside a storage root must agree with.
struct StorageContext: Sendable {
    /// The storage root's declared spec version (`1.1`).
    let rootSpecVersion: String?
    /// The object's folder relative to the storage root.
    let relativePath: String
    /// The root's layout, when it is one this validator can compute.
    let layout: LayoutMapping?
}

/// A digest a file must have, and who says so.
struct DigestExpectation: Sendable, Hashable {
    let algorithm: DigestAlgorithm
    /// Lowercase hex.
    let digest: String
    /// E092 for manifests, E093 for fixity.
    let code: ValidationCode
    /// The inventory that says so (`inventory.json`, `v2/inventory.json`).
    let inventory: String

    /// Which block says so, for the message: `the manifest of inventory.json`.
    var source: String {
        code == .E093 ? "the \(algorithm.rawValue) fixity of \(inventory)" : "the manifest of \(inventory)"
    }
}

/// A content file to hash, with every digest it must have: all computed in one read.
struct HashJob: Sendable {
    let objectIndex: Int
    let object: String
    let file: String
    let contentPath: String
    let size: Int64
    let expectations: [DigestExpectation]
    /// The file's bytes when another check has just read them (a small record).
    var bytes: [UInt8]? = nil
}

struct ObjectOutcome: Sendable {
    var findings: [OCFLFinding]
    var jobs: [HashJob]
    var id: String?
    /// What the dossier checks read, when asked to keep it (``VerifyOptions/observeDossiers``).
    var observation: DossierObservation? = nil
    /// The object's version folders and their inventories' digests, when its folder could be listed.
    var versions: ObjectVersions? = nil
}

/// An object's version folders as the checks listed them, and the sha512 (hex) of each one's
/// `inventory.json` that they read and hashed: what the audit cross-check compares with the log,
/// without listing or hashing again.
struct ObjectVersions: Sendable, Equatable {
    /// Folder names in the object root that are version names (`v1`, `v2` …), whatever the
    /// inventory says.
    var folders: [String]
    /// Version folder → sha512 of its `inventory.json`.
    var inventoryDigests: [String: String]
    /// Whether the object root holds the OCFL 1.1 object declaration (`0=ocfl_object_1.1`).
    var declared: Bool
}

/// The structure checks of one OCFL object (spec §3): everything but reading content bytes,
/// which it hands back as ``HashJob``s so that hashing can be spread over the cores.
struct ObjectCheck {
    static let inventoryName = "inventory.json"
    static let sidecarPrefix = "inventory.json."

    let task: ObjectTask
    let index: Int
    let checkDigests: Bool
    /// Keep what the dossier checks read (``DossierObservation``).
    var observe = false
    /// Check every older inventory, or only the one of the version before the head
    /// (``VerifyOptions/allOlderInventories``).
    var allOlderInventories = true
    private var sink: FindingSink
    /// Older inventories whose sidecar disagrees, reported once the cross-checks are done.
    private var priorSidecarMismatches: [(String, SidecarOutcome)] = []
    /// Version folder → sha512 of its `inventory.json`, as hashed for the sidecar checks: what
    /// the audit cross-check compares with the log, without reading each inventory again.
    private var inventoryDigests: [String: String] = [:]

    init(task: ObjectTask, index: Int, checkDigests: Bool) {
        self.task = task
        self.index = index
        self.checkDigests = checkDigests
        sink = FindingSink(object: task.name)
    }

    mutating func run() -> ObjectOutcome {
        let entries: [DirectoryEntry]
        do {
            entries = try task.listing ?? DirectoryListing.entries(of: task.path)
        } catch {
            sink.add(.E063, "", "the object folder cannot be read (\(error))")
            return ObjectOutcome(findings: sink.findings, jobs: [], id: nil)
        }
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let versionFolders = entries.filter { $0.kind == .directory && VersionNumber($0.name) != nil }.map(\.name)
        let declared = byName[StorageRoot.objectDeclaration]?.kind == .regular
        func versions() -> ObjectVersions { ObjectVersions(folders: versionFolders, inventoryDigests: inventoryDigests, declared: declared) }
        let specVersion = DeclarationRules.object.check(entries, in: task.path, &sink)

        guard let inventoryEntry = byName[Self.inventoryName], inventoryEntry.kind == .regular else {
            if byName[Self.inventoryName]?.kind == .symbolicLink {
                sink.add(.E090, Self.inventoryName, "the inventory is a symbolic link")
            }
            sink.add(.E063, Self.inventoryName, "there is no inventory.json in the object root")
            checkRootEntries(entries, versions: nil, sidecars: Set(entries.map(\.name).filter { $0.hasPrefix(Self.sidecarPrefix) }))
            return ObjectOutcome(findings: sink.findings, jobs: [], id: nil, versions: versions())
        }
        let bytes: [UInt8]
        let json: JSONValue
        do {
            bytes = try SmallFile.read("\(task.path)/\(Self.inventoryName)", limit: 1 << 30)
            json = try JSONValue.parse(bytes)
        } catch {
            sink.add(.E033, Self.inventoryName, "the inventory is not readable JSON: \(error)")
            checkRootEntries(entries, versions: nil, sidecars: Set(entries.map(\.name).filter { $0.hasPrefix(Self.sidecarPrefix) }))
            return ObjectOutcome(findings: sink.findings, jobs: [], id: nil, versions: versions())
        }
        let root = InventoryCheck(file: Self.inventoryName, expectedSpecVersion: specVersion ?? "1.1").check(json, into: &sink)
        let rootSidecar = checkSidecar(in: "", entries: entries, inventoryBytes: bytes, algorithmName: root.algorithmName)
        checkPlacement(root, specVersion: specVersion)
        checkRootEntries(entries, versions: root.versionsReadable ? root.versionNames : nil, sidecars: rootSidecar.handled)

        var content = ContentFiles()
        var priors: [(name: VersionName, facts: InventoryFacts)] = []
        var headCopy: HeadCopy?
        for version in root.versions {
            let name = version.name.name
            guard byName[name]?.kind == .directory else {
                sink.add(.E046, name, version: name, "the inventory lists \(name), but there is no \(name) folder")
                continue
            }
            content.versionFolders.insert(name)
            if let prior = checkVersionFolder(
                version.name, root: root, rootBytes: bytes, rootDigest: rootSidecar.computed, content: &content, headCopy: &headCopy)
            {
                priors.append((version.name, prior))
            }
        }
        reportSidecarMismatches(root: rootSidecar, head: headCopy)
        checkContentAgainstManifests(root, priors: priors, content: content)
        checkPriorInventories(root, priors: priors)
        // An older inventory with no finding of its own agrees in every checked byte with the
        // root inventory's account of its versions: when its sidecar disagrees, the sidecar changed.
        for (name, outcome) in priorSidecarMismatches {
            let file = "\(name)/\(Self.inventoryName)"
            reportSidecarMismatch(in: name, outcome, sidecarChanged: !sink.findings.contains { $0.path == file })
        }
        var alreadyRead: [RawPath: [UInt8]] = [:]
        var observation: DossierObservation?
        if task.dossierChecks {
            (alreadyRead, observation) = StoreVerifier.checkDossier(
                objectPath: task.path, facts: root, content: content.sizes, into: &sink, observe: observe)
        }
        let jobs = checkDigests ? hashJobs(root, priors: priors, content: content, alreadyRead: alreadyRead) : []
        return ObjectOutcome(findings: sink.findings, jobs: jobs, id: root.id, observation: observation, versions: versions())
    }

    // MARK: Declaration and root

    /// The object root holds only the declaration, the inventory and its sidecar, the version
    /// folders, `logs` and `extensions` (§3.1, §3.8, §3.9).
    private mutating func checkRootEntries(_ entries: [DirectoryEntry], versions: Set<String>?, sidecars: Set<String>) {
        for entry in entries {
            let name = entry.name
            if name.hasPrefix("0=") || name == Self.inventoryName || sidecars.contains(name) { continue }
            if Namaste.tag(of: name) != nil && name.contains("ocfl_object_") { continue }
            switch entry.kind {
            case .symbolicLink:
                sink.add(.E090, name, "is a symbolic link")
            case .other, .missing:
                sink.add(.E089, name, "is a device, FIFO or socket")
            case .regular:
                sink.add(.E001, name, "is a file the object root may not contain")
            case .directory:
                if versions?.contains(name) == true || name == "logs" { continue }
                if name == "extensions" {
                    Extensions.check(in: task.path, notAFolder: .E067, unregistered: .W013, &sink)
                } else if versions != nil && VersionName.looksLikeVersion(name) {
                    sink.add(.E046, name, version: name, "is a version folder that the inventory does not list")
                } else if versions == nil && VersionName.looksLikeVersion(name) {
                    continue
                } else {
                    sink.add(.E001, name, "is a folder the object root may not contain")
                }
            }
        }
    }

    /// An object in a storage root must sit where the root's layout puts its id, and must not
    /// claim a later spec version than the root (§4.2, §4.3).
    private mutating func checkPlacement(_ facts: InventoryFacts, specVersion: String?) {
        guard let storage = task.storage else { return }
        if let rootVersion = storage.rootSpecVersion, let specVersion, specVersion > rootVersion {
            sink.add(.E081, "", "the object declares OCFL \(specVersion), later than its storage root's \(rootVersion)")
        }
        if let layout = storage.layout, let id = facts.id, let expected = layout.path(for: id), expected != storage.relativePath {
            sink.add(.E083, "", "the layout puts the id \"\(id)\" at \(expected), but the object is at \(storage.relativePath)")
        }
    }

    // MARK: Sidecars

    /// What a sidecar check found. A digest mismatch is reported by the caller, once it knows
    /// whether the other copy of the inventory shows which of the two files changed.
    struct SidecarOutcome {
        var handled: Set<String>
        /// The digest was computed and compared.
        var compared = false
        var mismatch: (algorithm: String, actual: String, recorded: String)?
        /// The inventory's digest as computed, to spare hashing an identical copy again.
        var computed: (algorithm: String, hex: String)?
    }

    /// The head version's copy of the root inventory, as found in its folder.
    struct HeadCopy {
        let version: String
        let identical: Bool
        let sidecar: SidecarOutcome
    }

    /// Checks `inventory.json.<algorithm>` beside an inventory (§3.6): presence, name and form.
    /// - Parameter knownDigest: the digest of these very bytes, when already computed.
    private mutating func checkSidecar(
        in folder: String, entries: [DirectoryEntry], inventoryBytes: [UInt8], algorithmName: String?, knownDigest: (algorithm: String, hex: String)? = nil
    ) -> SidecarOutcome {
        let prefix = folder.isEmpty ? "" : "\(folder)/"
        let present = entries.filter { $0.name.hasPrefix(Self.sidecarPrefix) }
        let version = folder.isEmpty ? nil : folder
        guard let algorithmName else { return SidecarOutcome(handled: Set(present.map(\.name))) }
        let expected = Self.sidecarPrefix + algorithmName
        guard let sidecar = present.first(where: { $0.name == expected && $0.kind == .regular }) else {
            sink.add(.E058, "\(prefix)\(expected)", version: version, "\(prefix)inventory.json has no sidecar \(expected)")
            for other in present {
                sink.add(.E059, "\(prefix)\(other.name)", version: version, "the sidecar names \(other.name.dropFirst(Self.sidecarPrefix.count)), but the inventory's digestAlgorithm is \(algorithmName)")
            }
            return SidecarOutcome(handled: Set(present.map(\.name)))
        }
        let extraCode: ValidationCode = folder.isEmpty ? .E001 : .E015
        for other in present where other.name != sidecar.name {
            sink.add(extraCode, "\(prefix)\(other.name)", version: version, "is a second sidecar; only \(expected) belongs here")
        }
        let path = "\(prefix)\(expected)"
        guard let text = try? SmallFile.read("\(task.path)/\(path)", limit: 1 << 16) else {
            sink.add(.E061, path, version: version, "the sidecar cannot be read")
            return SidecarOutcome(handled: [sidecar.name])
        }
        guard let recorded = Self.sidecarDigest(text) else {
            sink.add(.E061, path, version: version, "the sidecar does not read \"DIGEST inventory.json\"")
            return SidecarOutcome(handled: [sidecar.name])
        }
        var outcome = SidecarOutcome(handled: [sidecar.name])
        var actual = knownDigest.flatMap { $0.algorithm == algorithmName ? $0.hex : nil }
        if actual == nil, let algorithm = DigestAlgorithm(rawValue: algorithmName) {
            actual = try? Hasher.digest(algorithm, of: inventoryBytes).hex
        }
        if let actual {
            if !folder.isEmpty && algorithmName == DigestAlgorithm.sha512.rawValue { inventoryDigests[folder] = actual }
            outcome.compared = true
            outcome.computed = (algorithmName, actual)
            if recorded.lowercasedDigest != actual { outcome.mismatch = (algorithmName, actual, recorded) }
        }
        return outcome
    }

    /// E060 names the file that changed when the other copy of the inventory tells: the root
    /// inventory and the head version's copy vouch for each other, so when both copies are the
    /// same and one sidecar agrees with them, the other sidecar is the file that changed.
    private mutating func reportSidecarMismatches(root: SidecarOutcome, head: HeadCopy?) {
        if let head, !head.identical {
            let rootMatches = root.compared && root.mismatch == nil
            let headMatches = head.sidecar.compared && head.sidecar.mismatch == nil
            let copy = "\(head.version)/\(Self.inventoryName)"
            if headMatches && !rootMatches {
                sink.add(.E064, Self.inventoryName, "differs from \(copy), which matches its sidecar: the root inventory has changed")
            } else if rootMatches && !headMatches {
                sink.add(.E064, copy, version: head.version, "differs from the root inventory.json, which matches its sidecar: this copy has changed")
            } else {
                sink.add(.E064, copy, version: head.version, "differs from the root inventory.json; the newest version's inventory must be the same file")
            }
        }
        if root.mismatch != nil {
            let vouched = head.map { $0.identical && $0.sidecar.compared && $0.sidecar.mismatch == nil } ?? false
            reportSidecarMismatch(in: "", root, sidecarChanged: vouched)
        }
        if let head, head.sidecar.mismatch != nil {
            reportSidecarMismatch(in: head.version, head.sidecar, sidecarChanged: head.identical && root.compared && root.mismatch == nil)
        }
    }

    private mutating func reportSidecarMismatch(in folder: String, _ outcome: SidecarOutcome, sidecarChanged: Bool) {
        guard let (algorithm, actual, recorded) = outcome.mismatch else { return }
        let prefix = folder.isEmpty ? "" : "\(folder)/"
        let version = folder.isEmpty ? nil : folder
        let digests = "the inventory's \(algorithm) is \(actual.shortDigest), but its sidecar says \(recorded.shortDigest)"
        if sidecarChanged {
            sink.add(.E060, "\(prefix)\(Self.sidecarPrefix)\(algorithm)", version: version, "\(digests); the inventory agrees with its other record, so the sidecar has changed")
        } else {
            sink.add(.E060, "\(prefix)\(Self.inventoryName)", version: version, "\(digests): the inventory (or its sidecar) has changed")
        }
    }

    /// The digest of a sidecar's `DIGEST<spaces or tabs>inventory.json` line, if it has that form.
    static func sidecarDigest(_ bytes: [UInt8]) -> String? {
        var line = bytes[...]
        if line.last == 0x0A { line = line.dropLast() }
        guard !line.contains(0x0A) else { return nil }
        guard let gap = line.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
        let digest = line[..<gap]
        let rest = line[gap...].drop(while: { $0 == 0x20 || $0 == 0x09 })
        guard !digest.isEmpty, Array(rest) == Array(Self.inventoryName.utf8),
            digest.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return String(decoding: digest, as: UTF8.self)
    }

    // MARK: Version folders

    /// Checks one version folder (§3.3, §3.7): its inventory, sidecar and content; returns
    /// the facts of an older inventory for the cross-checks.
    private mutating func checkVersionFolder(
        _ version: VersionName, root: InventoryFacts, rootBytes: [UInt8], rootDigest: (algorithm: String, hex: String)?,
        content: inout ContentFiles, headCopy: inout HeadCopy?
    ) -> InventoryFacts? {
        let name = version.name
        let folder = "\(task.path)/\(name)"
        let entries: [DirectoryEntry]
        do {
            entries = try DirectoryListing.entries(of: folder)
        } catch {
            sink.add(.E046, name, version: name, "the version folder cannot be read (\(error))")
            return nil
        }
        var prior: InventoryFacts?
        var sidecars = Set<String>()
        let inventoryPath = "\(name)/\(Self.inventoryName)"
        let unread = !allOlderInventories && root.head.map { version.number < $0.number - 1 } ?? false
        if unread {
            // Not read: the filing that made the version after it checked it against its own.
            sidecars = Set(entries.map(\.name).filter { $0.hasPrefix(Self.sidecarPrefix) })
        } else if let entry = entries.first(where: { $0.name == Self.inventoryName }), entry.kind == .regular {
            if let bytes = try? SmallFile.read("\(task.path)/\(inventoryPath)", limit: 1 << 30) {
                if version == root.head {
                    var algorithmName = root.algorithmName
                    let identical = sameBytes(bytes, rootBytes)
                    if !identical {
                        if case .object(let object)? = try? JSONValue.parse(bytes), let named = object["digestAlgorithm"]?.stringValue {
                            algorithmName = named
                        }
                    }
                    let outcome = checkSidecar(
                        in: name, entries: entries, inventoryBytes: bytes, algorithmName: algorithmName, knownDigest: identical ? rootDigest : nil)
                    sidecars = outcome.handled
                    headCopy = HeadCopy(version: name, identical: identical, sidecar: outcome)
                } else {
                    do {
                        let json = try JSONValue.parse(bytes)
                        var priorSink = FindingSink(object: task.name)
                        let facts = InventoryCheck(file: inventoryPath, expectedSpecVersion: nil).check(json, into: &priorSink)
                        sink.append(contentsOf: Self.withoutRepeatedWarnings(priorSink.findings, rootFindings: sink.findings))
                        let outcome = checkSidecar(in: name, entries: entries, inventoryBytes: bytes, algorithmName: facts.algorithmName)
                        if outcome.mismatch != nil { priorSidecarMismatches.append((name, outcome)) }
                        sidecars = outcome.handled
                        prior = facts
                    } catch {
                        sink.add(.E033, inventoryPath, version: name, "the inventory is not readable JSON: \(error)")
                        sidecars = Set(entries.map(\.name).filter { $0.hasPrefix(Self.sidecarPrefix) })
                    }
                }
            } else {
                sink.add(.E033, inventoryPath, version: name, "the inventory cannot be read")
            }
        } else {
            sink.add(.W010, name, version: name, "the version folder has no inventory.json")
            sidecars = Set(entries.map(\.name).filter { $0.hasPrefix(Self.sidecarPrefix) })
            for sidecar in sidecars { sink.add(.E015, "\(name)/\(sidecar)", version: name, "is a sidecar without an inventory") }
        }

        var hasContentFolder = false
        for entry in entries where entry.name != Self.inventoryName && !sidecars.contains(entry.name) {
            let path = "\(name)/\(entry.name)"
            switch entry.kind {
            case .directory where entry.name == root.contentDirectory:
                hasContentFolder = true
                let before = content.sizes.count
                walkContent("\(folder)/\(entry.name)", relative: path, version: name, isTop: true, into: &content)
                if content.sizes.count == before {
                    sink.add(.W003, path, version: name, "the content folder holds no files; a version without new content should not have one")
                }
            case .directory:
                sink.add(.W002, path, version: name, "is a folder other than the content folder \"\(root.contentDirectory)\"")
            case .regular:
                sink.add(.E015, path, version: name, "is a file other than the inventory and its sidecar")
            case .symbolicLink:
                sink.add(.E090, path, version: name, "is a symbolic link")
            case .other, .missing:
                sink.add(.E089, path, version: name, "is a device, FIFO or socket")
            }
        }
        if !hasContentFolder {
            let contentPrefix = "\(name)/\(root.contentDirectory)/"
            if root.contentPaths.keys.contains(where: { $0.hasPrefix(contentPrefix) }) {
                sink.add(.E016, "\(name)/\(root.contentDirectory)", version: name, "the manifest has files in \(name), but the version has no content folder")
            }
        }
        return prior
    }

    private mutating func walkContent(_ folder: String, relative: String, version: String, isTop: Bool, into content: inout ContentFiles) {
        let entries: [DirectoryEntry]
        do {
            entries = try DirectoryListing.entries(of: folder)
        } catch {
            sink.add(.E023, relative, version: version, "cannot be read (\(error)); its files cannot be checked")
            return
        }
        if entries.isEmpty && !isTop {
            sink.add(.E024, relative, version: version, "is an empty folder inside the content folder")
        }
        for entry in entries {
            let path = "\(relative)/\(entry.name)"
            switch entry.kind {
            case .regular:
                if let size = FileSystem.size(ofRegularFile: "\(folder)/\(entry.name)") { content.sizes[RawPath(path)] = size }
            case .directory:
                walkContent("\(folder)/\(entry.name)", relative: path, version: version, isTop: false, into: &content)
            case .symbolicLink:
                sink.add(.E090, path, version: version, "is a symbolic link")
            case .other, .missing:
                sink.add(.E089, path, version: version, "is a device, FIFO or socket")
            }
        }
    }

    // MARK: Content against manifests

    private mutating func checkContentAgainstManifests(_ root: InventoryFacts, priors: [(name: VersionName, facts: InventoryFacts)], content: ContentFiles) {
        for path in root.contentPaths.keys.filter({ content.sizes[$0] == nil }).sorted() {
            let version = Self.version(of: path.string)
            // A missing version folder was already reported (E046); do not repeat it per file.
            guard content.versionFolders.contains(version) else { continue }
            sink.add(.E092, path.string, version: version, "is in the manifest of inventory.json, but the file does not exist")
        }
        for (algorithm, path, _) in root.fixity where content.sizes[path] == nil {
            sink.add(.E093, path.string, version: Self.version(of: path.string), "has a \(algorithm.rawValue) value in the fixity of inventory.json, but the file does not exist")
        }
        if root.manifestReadable {
            for path in content.sizes.keys.filter({ root.contentPaths[$0] == nil }).sorted() {
                sink.add(.E023, path.string, version: Self.version(of: path.string), "is in a content folder but not in the manifest of inventory.json")
            }
        }
        for (name, facts) in priors where facts.manifestReadable {
            let inventoryPath = "\(name)/\(Self.inventoryName)"
            let unlisted = content.sizes.keys.filter { path in
                VersionName(Self.version(of: path.string)).map { $0.number <= name.number } == true && facts.contentPaths[path] == nil
            }.sorted()
            if !unlisted.isEmpty {
                sink.add(.E023, inventoryPath, version: name.name, "its manifest does not list \(InventoryCheck.list(unlisted.map(\.string))), which the object holds for versions up to \(name)")
            }
            for path in facts.contentPaths.keys.filter({ content.sizes[$0] == nil && root.contentPaths[$0] == nil }).sorted() {
                // An older inventory may name another content folder (E019/E020): look on disk.
                if case .regular = FileSystem.kind(of: "\(task.path)/\(path)") { continue }
                sink.add(.E092, path.string, version: Self.version(of: path.string), "is in the manifest of \(inventoryPath), but the file does not exist")
            }
        }
    }

    /// Older inventories must describe their versions as the root inventory does (§3.7).
    private mutating func checkPriorInventories(_ root: InventoryFacts, priors: [(name: VersionName, facts: InventoryFacts)]) {
        var previousSpec: (name: String, version: String)?
        var firstContentDirectory: (name: String, value: String)?
        var lastContentDirectory: (name: String, value: String)?
        let sequence = priors.map { ($0.name, $0.facts, "\($0.name)/\(Self.inventoryName)") } + (root.head.map { [($0, root, Self.inventoryName)] } ?? [])
        for (name, facts, file) in sequence {
            if let spec = facts.specVersion {
                if let previousSpec, spec < previousSpec.version {
                    sink.add(.E103, file, version: name.name, "conforms to OCFL \(spec), earlier than \(previousSpec.name)'s \(previousSpec.version)")
                }
                previousSpec = (name.name, spec)
            }
            let directory = facts.contentDirectory
            if name.number == 1 { firstContentDirectory = (name.name, directory) }
            if let first = firstContentDirectory, name.number > 1, directory != first.value {
                sink.add(.E019, file, version: name.name, "contentDirectory is \"\(directory)\", but the first version set \"\(first.value)\"; it must be set in the first version and kept")
            } else if firstContentDirectory == nil, let last = lastContentDirectory, directory != last.value {
                sink.add(.E020, file, version: name.name, "contentDirectory is \"\(directory)\", but \(last.name)'s inventory has \"\(last.value)\"")
            }
            lastContentDirectory = (name.name, directory)
        }

        for (name, prior) in priors {
            let file = "\(name)/\(Self.inventoryName)"
            if let priorID = prior.id, let rootID = root.id, priorID != rootID {
                sink.add(.E110, file, version: name.name, "has the id \"\(priorID)\", but the root inventory's is \"\(rootID)\": the id changed between versions")
                sink.add(.E037, file, version: name.name, "the object is known by two ids (\"\(priorID)\" and \"\(rootID)\"), so neither is unique to it")
            }
            if let priorHead = prior.versions.last?.name, priorHead != name {
                sink.add(.E066, file, version: name.name, "describes versions up to \(priorHead), but sits in \(name)")
            }
            for version in prior.versions {
                guard let current = root.version(version.name.name) else {
                    sink.add(.E066, file, version: version.name.name, "has version \(version.name), which the root inventory does not")
                    continue
                }
                compareState(version, prior: prior, current: current, root: root, file: file)
                for key in ["created", "message", "user"] where !JSONValue.sameValue(Self.field(key, of: version), Self.field(key, of: current)) {
                    sink.add(.W011, file, version: version.name.name, "\(key) of \(version.name) differs from the root inventory's")
                }
            }
        }
    }

    private static func field(_ key: String, of version: VersionFacts) -> JSONValue? {
        switch key {
        case "created": version.created
        case "message": version.message
        default: version.user
        }
    }

    /// Same logical paths, and each mapped to the same content (by digest when both use one
    /// algorithm, by content path when they differ).
    private mutating func compareState(_ version: VersionFacts, prior: InventoryFacts, current: VersionFacts, root: InventoryFacts, file: String) {
        let name = version.name.name
        let priorPaths = Set(version.files.keys)
        let currentPaths = Set(current.files.keys)
        let onlyPrior = priorPaths.subtracting(currentPaths).sorted().map(\.string)
        let onlyCurrent = currentPaths.subtracting(priorPaths).sorted().map(\.string)
        if !onlyPrior.isEmpty {
            sink.add(.E066, file, version: name, "its \(name) state has \(InventoryCheck.list(onlyPrior)), which the root inventory's \(name) does not")
        }
        if !onlyCurrent.isEmpty {
            sink.add(.E066, file, version: name, "its \(name) state lacks \(InventoryCheck.list(onlyCurrent)), which the root inventory's \(name) has")
        }
        var differing: [String] = []
        for path in priorPaths.intersection(currentPaths).sorted() {
            // swift-format-ignore: NeverForceUnwrap
            let (priorDigest, currentDigest) = (version.files[path]!, current.files[path]!)
            if prior.algorithmName == root.algorithmName {
                if priorDigest != currentDigest { differing.append(path.string) }
            } else {
                let priorContent = Set(prior.manifest[priorDigest] ?? [])
                let currentContent = Set(root.manifest[currentDigest] ?? [])
                if !priorContent.isSubset(of: currentContent) { differing.append(path.string) }
            }
        }
        if !differing.isEmpty {
            sink.add(.E066, file, version: name, "its \(name) state gives \(InventoryCheck.list(differing)) other content than the root inventory's")
        }
    }

    // MARK: Digests

    /// - Parameter alreadyRead: bytes of content files read for other checks (the records),
    ///   hashed from memory instead of being read again.
    private func hashJobs(
        _ root: InventoryFacts, priors: [(name: VersionName, facts: InventoryFacts)], content: ContentFiles, alreadyRead: [RawPath: [UInt8]]
    ) -> [HashJob] {
        var expectations: [RawPath: [DigestExpectation]] = [:]
        func expect(_ path: RawPath, _ expectation: DigestExpectation) {
            expectations[path, default: []].appendUnlessKnown(expectation)
        }
        let inventories = [(Self.inventoryName, root)] + priors.map { ("\($0.name)/\(Self.inventoryName)", $0.facts) }
        for (file, facts) in inventories {
            if let algorithm = facts.algorithm {
                for (path, digest) in facts.contentPaths {
                    expect(path, DigestExpectation(algorithm: algorithm, digest: digest, code: .E092, inventory: file))
                }
            }
            for (algorithm, path, digest) in facts.fixity {
                expect(path, DigestExpectation(algorithm: algorithm, digest: digest, code: .E093, inventory: file))
            }
        }
        // In no particular order: their findings are sorted when the object's report is assembled.
        // Files that do not exist were reported already (E092, E093) and have nothing to hash.
        return expectations.compactMap { path, expected in
            content.sizes[path].map { size in
                HashJob(
                    objectIndex: index, object: task.name, file: "\(task.path)/\(path)", contentPath: path.string, size: size,
                    expectations: expected, bytes: alreadyRead[path].flatMap { $0.count == size ? $0 : nil })
            }
        }
    }

    /// An older inventory usually repeats the root inventory's warnings (zero-padded names,
    /// sha256): those are dropped so each is reported once, for the root inventory.
    static func withoutRepeatedWarnings(_ findings: [OCFLFinding], rootFindings: [OCFLFinding]) -> [OCFLFinding] {
        let rootWarnings = Set(rootFindings.filter { $0.severity == .warning && $0.path == inventoryName }.map { "\($0.code) \($0.message)" })
        return findings.filter { $0.severity == .error || !rootWarnings.contains("\($0.code) \($0.message)") }
    }

    /// The version folder a content path is in (its first element).
    static func version(of contentPath: String) -> String {
        String(contentPath.prefix { $0 != "/" })
    }
}

extension [DigestExpectation] {
    /// Appends unless a digest of the same algorithm and value is already expected (the
    /// same content recorded by several inventories is hashed and reported once).
    mutating func appendUnlessKnown(_ expectation: DigestExpectation) {
        if !contains(where: { $0.algorithm == expectation.algorithm && $0.digest == expectation.digest }) { append(expectation) }
    }
}

/// Files found in the version content folders.
struct ContentFiles {
    /// Content path → size.
    var sizes: [RawPath: Int64] = [:]
    /// The version folders that exist.
    var versionFolders = Set<String>()
}

/// NAMASTE tags (`0=…`, `1=…`): the digits before `=`.
enum Namaste {
    static func tag(of name: String) -> String? {
        guard let equals = name.firstIndex(of: "="), equals > name.startIndex else { return nil }
        let tag = name[..<equals]
        return tag.allSatisfy({ $0.isASCII && $0.isNumber }) ? String(tag) : nil
    }
}

/// The registered OCFL community extensions (https://ocfl.github.io/extensions/).
enum Extensions {
    static let registered: Set<String> = [
        "0001-digest-algorithms", "0002-flat-direct-storage-layout", "0003-hash-and-id-n-tuple-storage-layout",
        "0004-hashed-n-tuple-storage-layout", "0005-mutable-head", "0006-flat-omit-prefix-storage-layout",
        "0007-n-tuple-omit-prefix-storage-layout", "0008-schema-registry", "0009-digest-algorithms",
        "0011-direct-clean-path-layout", "0012-hash-and-no-prefix-id-n-tuple-storage-layout",
    ]
    /// The `extensions` folder of an object (§3.9) or storage root (§4.4): only folders, named
    /// after registered extensions.
    static func check(in folder: String, notAFolder: ValidationCode, unregistered: ValidationCode, _ sink: inout FindingSink) {
        guard let entries = try? DirectoryListing.entries(of: "\(folder)/extensions") else { return }
        for entry in entries {
            if entry.kind != .directory {
                sink.add(notAFolder, "extensions/\(entry.name)", "is not an extension folder")
            } else if !registered.contains(entry.name) {
                sink.add(unregistered, "extensions/\(entry.name)", "is not a registered extension name")
            }
        }
    }

    static let layouts: Set<String> = [
        "0002-flat-direct-storage-layout", "0003-hash-and-id-n-tuple-storage-layout", "0004-hashed-n-tuple-storage-layout",
        "0006-flat-omit-prefix-storage-layout", "0007-n-tuple-omit-prefix-storage-layout", "0011-direct-clean-path-layout",
        "0012-hash-and-no-prefix-id-n-tuple-storage-layout",
    ]
}

extension JSONValue {
    /// Equality that ignores the order of object members (JSON objects are unordered).
    static func sameValue(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (.object(let a)?, .object(let b)?):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in b[member.key].map { sameValue(member.value, $0) } ?? false }
        case (.array(let a)?, .array(let b)?):
            return a.count == b.count && zip(a, b).allSatisfy { sameValue($0, $1) }
        case (let a?, let b?): return a == b
        default: return false
        }
    }
}
