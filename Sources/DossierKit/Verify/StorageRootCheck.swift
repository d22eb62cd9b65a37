import DossierModel
/// A storage layout this validator can compute, to check that each object sits where its id
/// says (E083). Layouts it does not know are accepted without that check.
enum LayoutMapping: Sendable {
    /// 0002-flat-direct-storage-layout: the id is the folder name.
    case flatDirect
    /// 0003-hash-and-id-n-tuple-storage-layout (the vault's own).
    case hashAndID(HashAndIDLayout)
    /// 0004-hashed-n-tuple-storage-layout.
    case hashedNTuple(algorithm: DigestAlgorithm, tupleSize: Int, numberOfTuples: Int, shortObjectRoot: Bool)

    /// The object's folder relative to the storage root, or `nil` if it cannot be computed.
    func path(for id: String) -> String? {
        switch self {
        case .flatDirect:
            return id
        case .hashAndID(let layout):
            return try? layout.path(for: id)
        case .hashedNTuple(let algorithm, let tupleSize, let numberOfTuples, let shortObjectRoot):
            guard let digest = try? Hasher.digest(algorithm, of: Array(id.utf8)).hex else { return nil }
            let characters = Array(digest)
            var components = (0..<numberOfTuples).map { String(characters[$0 * tupleSize..<($0 + 1) * tupleSize]) }
            components.append(shortObjectRoot ? String(characters[(numberOfTuples * tupleSize)...]) : digest)
            return components.joined(separator: "/")
        }
    }

    /// Reads the layout named in `ocfl_layout.json` and its `extensions/<name>/config.json`.
    static func read(extensionName: String, rootPath: String) throws(FieldError) -> LayoutMapping? {
        let configPath = "extensions/\(extensionName)/config.json"
        let config = try? FileSystem.readFile("\(rootPath)/\(configPath)")
        switch extensionName {
        case "0002-flat-direct-storage-layout":
            return .flatDirect
        case HashAndIDLayout.extensionName:
            guard let config else { return .hashAndID(HashAndIDLayout()) }
            return .hashAndID(try HashAndIDLayout.decode(try FieldReader.parse(file: configPath, data: config)))
        case "0004-hashed-n-tuple-storage-layout":
            var algorithm = DigestAlgorithm.sha256
            var (tupleSize, numberOfTuples, shortObjectRoot) = (3, 3, false)
            if let config {
                let reader = try FieldReader.parse(file: configPath, data: config)
                if let field = try reader.optional("digestAlgorithm") {
                    guard let named = DigestAlgorithm(rawValue: try field.string()) else { throw field.fail("unknown digest algorithm") }
                    algorithm = named
                }
                tupleSize = try reader.optional("tupleSize")?.integer() ?? 3
                numberOfTuples = try reader.optional("numberOfTuples")?.integer() ?? 3
                shortObjectRoot = try reader.optional("shortObjectRoot")?.bool() ?? false
                guard tupleSize >= 0, numberOfTuples >= 0, tupleSize * numberOfTuples <= algorithm.hexLength else {
                    throw reader.fail("tupleSize and numberOfTuples do not fit the digest")
                }
            }
            return .hashedNTuple(algorithm: algorithm, tupleSize: tupleSize, numberOfTuples: numberOfTuples, shortObjectRoot: shortObjectRoot)
        default:
            return nil
        }
    }
}

/// The storage root checks (spec §4): declaration, layout file, extensions and the storage
/// hierarchy, whose walk yields the objects to verify.
struct StorageRootCheck {
    let path: String
    /// How findings name the storage root.
    let name: String
    /// Whether its objects get the vault's dossier checks.
    let dossierChecks: Bool
    /// How findings name the object at a path relative to the root.
    let objectName: @Sendable (String) -> String

    /// Checks the storage root and walks its hierarchy, handing over the objects it finds in
    /// small batches as it goes (so they can be checked meanwhile).
    /// - Returns: the storage root's own findings.
    func walk(found: ([ObjectTask]) -> Void) -> [OCFLFinding] {
        var sink = FindingSink(object: name)
        var tasks: [ObjectTask] = []
        let entries: [DirectoryEntry]
        do {
            entries = try DirectoryListing.entries(of: path)
        } catch {
            sink.add(.E069, "", "the storage root cannot be read (\(error))")
            return sink.findings
        }
        let specVersion = DeclarationRules.storageRoot.check(entries, in: path, &sink)
        let layout = checkLayoutFile(entries, &sink)
        var depths = Set<Int>()
        for entry in entries {
            switch entry.kind {
            case .directory where entry.name == "extensions":
                Extensions.check(in: path, notAFolder: .E112, unregistered: .W016, &sink)
            case .directory:
                walk(entry.name, depth: 1, specVersion: specVersion, layout: layout, tasks: &tasks, depths: &depths, found: found, &sink)
            case .symbolicLink:
                sink.add(.E090, entry.name, "is a symbolic link")
            case .other, .missing:
                sink.add(.E089, entry.name, "is a device, FIFO or socket")
            case .regular:
                // Other files in the root are allowed and ignored (E087).
                continue
            }
        }
        found(tasks)
        if depths.contains(1) && depths.count > 1 {
            sink.add(.W015, "", "objects sit both directly in the storage root and deeper in a hierarchy")
        } else if depths.count > 1 {
            sink.add(.W014, "", "objects sit at \(depths.count) different depths: the hierarchy mixes layout patterns")
        }
        return sink.findings
    }

    private func checkLayoutFile(_ entries: [DirectoryEntry], _ sink: inout FindingSink) -> LayoutMapping? {
        let file = "ocfl_layout.json"
        guard entries.contains(where: { $0.name == file }) else { return nil }
        guard let bytes = try? FileSystem.readFile("\(path)/\(file)"), case .object(let object)? = try? JSONValue.parse(bytes) else {
            sink.add(.E070, file, "is not a JSON object")
            return nil
        }
        guard case .string(let extensionName)? = object["extension"], object["description"]?.stringValue != nil else {
            sink.add(.E070, file, "must have the string keys extension and description")
            return nil
        }
        guard Extensions.layouts.contains(extensionName) else {
            sink.add(.E071, file, "names \"\(extensionName)\", which is not a registered layout extension")
            return nil
        }
        do {
            return try LayoutMapping.read(extensionName: extensionName, rootPath: path)
        } catch {
            sink.add(.E083, "extensions/\(extensionName)/config.json", "the layout's configuration cannot be used, so ids cannot be mapped to paths: \(error)")
            return nil
        }
    }

    /// Walks the storage hierarchy below the root, depth first in name order; every folder ends
    /// in object roots, and folders on the way hold nothing but folders (§4.1, §4.3).
    private func walk(
        _ relative: String, depth: Int, specVersion: String?, layout: LayoutMapping?,
        tasks: inout [ObjectTask], depths: inout Set<Int>, found: ([ObjectTask]) -> Void, _ sink: inout FindingSink
    ) {
        let folder = "\(path)/\(relative)"
        let entries: [DirectoryEntry]
        do {
            entries = try DirectoryListing.entries(of: folder)
        } catch {
            sink.add(.E085, relative, "cannot be read (\(error))")
            return
        }
        if entries.isEmpty {
            sink.add(.E073, relative, "is an empty folder")
            return
        }
        if entries.contains(where: { $0.name.hasPrefix("0=ocfl_object_") }) {
            depths.insert(depth)
            tasks.append(ObjectTask(
                path: folder, name: objectName(relative),
                storage: StorageContext(rootSpecVersion: specVersion, relativePath: relative, layout: layout),
                dossierChecks: dossierChecks, listing: entries))
            if tasks.count >= 8 {
                found(tasks)
                tasks.removeAll(keepingCapacity: true)
            }
            return
        }
        let folders = entries.filter { $0.kind == .directory }
        for entry in entries {
            let entryPath = "\(relative)/\(entry.name)"
            switch entry.kind {
            case .directory:
                continue
            case .symbolicLink:
                sink.add(.E090, entryPath, "is a symbolic link")
            case .other, .missing:
                sink.add(.E089, entryPath, "is a device, FIFO or socket")
            case .regular where folders.isEmpty:
                continue
            case .regular:
                sink.add(.E084, entryPath, "is a file in an intermediate folder of the storage hierarchy")
            }
        }
        if folders.isEmpty {
            let files = entries.filter { $0.kind == .regular }.map(\.name)
            if !files.isEmpty {
                sink.add(.E085, relative, "ends the storage hierarchy without being an object root (no 0=ocfl_object_1.1); it holds \(InventoryCheck.list(files))")
            }
        }
        for entry in folders {
            walk("\(relative)/\(entry.name)", depth: depth + 1, specVersion: specVersion, layout: layout, tasks: &tasks, depths: &depths, found: found, &sink)
        }
    }
}
