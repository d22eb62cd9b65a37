import DossierModel
/// Collects findings about one object, naming it the same way in each.
struct FindingSink {
    let object: String
    private(set) var findings: [OCFLFinding] = []

    init(object: String) { self.object = object }

    mutating func add(_ code: ValidationCode, _ path: String, version: String? = nil, _ message: String) {
        findings.append(OCFLFinding(code, object: object, path: path, version: version, message: message))
    }

    mutating func append(contentsOf other: [OCFLFinding]) { findings.append(contentsOf: other) }

    var hasErrors: Bool { findings.contains { $0.severity == .error } }
}

/// A version name such as `v3` or `v003`, split into its number and its padding.
struct VersionName: Sendable, Hashable, Comparable, CustomStringConvertible {
    let name: String
    let number: Int
    /// The count of digits; more than one with a leading zero means zero-padded.
    let digits: Int
    let leadingZero: Bool

    /// `nil` unless the name is `v` followed by base-ten digits with a value of at least 1.
    init?(_ name: String) {
        let bytes = Array(name.utf8)
        guard bytes.count >= 2, bytes.count <= 20, bytes[0] == UInt8(ascii: "v"),
            bytes.dropFirst().allSatisfy({ (0x30...0x39).contains($0) }),
            let number = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), number >= 1
        else { return nil }
        self.name = name
        self.number = number
        digits = bytes.count - 1
        leadingZero = bytes[1] == UInt8(ascii: "0")
    }

    var description: String { name }

    static func < (lhs: VersionName, rhs: VersionName) -> Bool { lhs.number < rhs.number }

    /// Names that look like version folders (`v` and digits), even invalid ones like `v0`.
    static func looksLikeVersion(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count >= 2 && bytes[0] == UInt8(ascii: "v") && bytes.dropFirst().allSatisfy { (0x30...0x39).contains($0) }
    }
}

/// One version block, as far as it could be read.
struct VersionFacts: Sendable {
    let name: VersionName
    var created: JSONValue?
    var message: JSONValue?
    var user: JSONValue?
    /// Logical path → digest (lowercased) for the valid state entries.
    var files: [RawPath: String] = [:]
    /// The state's digest keys exactly as written.
    var stateKeys: [String] = []
}

/// What an inventory says, after its checks: only the parts that passed are kept, so that the
/// object-level checks can rely on them without re-checking.
struct InventoryFacts: Sendable {
    var id: String?
    /// `1.0` or `1.1`, from `type`.
    var specVersion: String?
    var algorithmName: String?
    /// The content-addressing algorithm when the vault can compute it (valid or not).
    var algorithm: DigestAlgorithm?
    var head: VersionName?
    var contentDirectory = "content"
    var contentDirectorySet = false
    /// Valid content paths → digest (lowercased).
    var contentPaths: [RawPath: String] = [:]
    /// Digest (lowercased) → valid content paths.
    var manifest: [String: [RawPath]] = [:]
    /// Versions in number order (those with valid names).
    var versions: [VersionFacts] = []
    /// Fixity values to check: algorithm → (content path, digest lowercased).
    var fixity: [(algorithm: DigestAlgorithm, path: RawPath, digest: String)] = []
    /// Whether the versions block was readable at all (so its absence in folders means something).
    var versionsReadable = false
    /// Whether the manifest was a JSON object (so a digest missing from it means something).
    var manifestReadable = false
    /// The manifest's keys exactly as written, for E050's exact match.
    var manifestKeys: Set<String> = []

    func version(_ name: String) -> VersionFacts? { versions.first { $0.name.name == name } }

    var versionNames: Set<String> { Set(versions.map(\.name.name)) }
}

/// Checks an inventory's JSON against OCFL 1.1 §3.5–3.6, reporting every problem with its code
/// (not stopping at the first, unlike ``Inventory/decode(_:)``).
struct InventoryCheck {
    static let specVersions = ["1.0", "1.1"]
    /// The inventory `type` of each spec version.
    static let inventoryTypes = specVersions.map { (version: $0, type: "https://ocfl.io/\($0)/spec/#inventory") }
    static let topLevelKeys: Set<String> = ["id", "type", "digestAlgorithm", "head", "contentDirectory", "manifest", "versions", "fixity"]
    static let versionKeys: Set<String> = ["created", "message", "user", "state"]
    /// Fixity algorithms of the digest algorithms extension (0001) the vault cannot compute:
    /// known names (no E056), values ignored as the spec allows (E028).
    static let extensionFixityAlgorithms: Set<String> = ["blake2b-160", "blake2b-256", "blake2b-384", "sha512/256", "size"]

    /// Where the inventory is, relative to the object root (`inventory.json`, `v2/inventory.json`).
    let file: String
    /// The spec version the type must name, or `nil` to accept any (older version inventories).
    let expectedSpecVersion: String?

    func check(_ value: JSONValue, into sink: inout FindingSink) -> InventoryFacts {
        var facts = InventoryFacts()
        guard case .object(let root) = value else {
            sink.add(.E033, file, "the inventory is \(value.typeDescription), not a JSON object")
            return facts
        }
        for key in root.keys where !Self.topLevelKeys.contains(key) {
            sink.add(.E102, file, "the key \"\(key)\" is not one the spec describes")
        }
        checkID(root["id"], &facts, &sink)
        checkType(root["type"], &facts, &sink)
        checkAlgorithm(root["digestAlgorithm"], &facts, &sink)
        checkContentDirectory(root["contentDirectory"], &facts, &sink)
        checkVersions(root["versions"], &facts, &sink)
        checkHead(root["head"], &facts, &sink)
        checkManifest(root["manifest"], &facts, &sink)
        checkStates(&facts, &sink)
        if let fixity = root["fixity"] { checkFixity(fixity, &facts, &sink) }
        return facts
    }

    // MARK: Keys

    private func checkID(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E036, file, "there is no id") }
        guard case .string(let id) = value else { return sink.add(.E033, file, "id is \(value.typeDescription), not a string") }
        guard !id.isEmpty else { return sink.add(.E036, file, "id is empty") }
        facts.id = id
        if !URISyntax.hasScheme(id) { sink.add(.W005, file, "the id \"\(id)\" is not a URI") }
    }

    private func checkType(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E036, file, "there is no type") }
        guard case .string(let type) = value else { return sink.add(.E033, file, "type is \(value.typeDescription), not a string") }
        let version = Self.inventoryTypes.first { $0.type == type }?.version
        if let expectedSpecVersion, version != expectedSpecVersion {
            let expected = "https://ocfl.io/\(expectedSpecVersion)/spec/#inventory"
            sink.add(.E038, file, "type is \"\(type)\"; the object's declaration requires \"\(expected)\"")
        } else if version == nil {
            sink.add(.E038, file, "type \"\(type)\" is not the inventory URI of an OCFL version (1.0 or 1.1)")
        }
        facts.specVersion = version
    }

    private func checkAlgorithm(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E036, file, "there is no digestAlgorithm") }
        guard case .string(let name) = value else {
            return sink.add(.E033, file, "digestAlgorithm is \(value.typeDescription), not a string")
        }
        facts.algorithmName = name
        facts.algorithm = DigestAlgorithm(rawValue: name)
        switch name {
        case "sha512": break
        case "sha256": sink.add(.W004, file, "the content digests are sha256; sha512 is recommended")
        default: sink.add(.E025, file, "digestAlgorithm is \"\(name)\"; content addressing must use sha512 or sha256")
        }
    }

    private func checkContentDirectory(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return }
        guard case .string(let name) = value else {
            return sink.add(.E033, file, "contentDirectory is \(value.typeDescription), not a string")
        }
        if name.contains("/") {
            sink.add(.E017, file, "contentDirectory \"\(name)\" contains a slash")
        } else if name == "." || name == ".." {
            sink.add(.E018, file, "contentDirectory is \"\(name)\"")
        } else if name.isEmpty {
            sink.add(.E108, file, "contentDirectory is empty, which names no child folder")
        } else {
            facts.contentDirectory = name
            facts.contentDirectorySet = true
        }
    }

    private func checkHead(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E036, file, "there is no head") }
        guard case .string(let head) = value else { return sink.add(.E040, file, "head is \(value.typeDescription), not a version name") }
        guard let highest = facts.versions.last?.name else {
            if facts.versionsReadable { sink.add(.E040, file, "head is \(head), but there are no versions") }
            return
        }
        if head == highest.name {
            facts.head = highest
        } else if facts.version(head) != nil {
            sink.add(.E040, file, "head is \(head), but the highest version is \(highest)")
        } else {
            sink.add(.E040, file, "head is \"\(head)\", which is not a version of this inventory (the highest is \(highest))")
        }
    }

    // MARK: Versions

    private func checkVersions(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E043, file, "there is no versions block") }
        guard case .object(let versions) = value else {
            return sink.add(.E045, file, "versions is \(value.typeDescription), not a JSON object")
        }
        facts.versionsReadable = true
        guard !versions.isEmpty else { return sink.add(.E008, file, "versions is empty: an object needs at least one version") }

        var names: [VersionName] = []
        for key in versions.keys {
            if let name = VersionName(key) {
                names.append(name)
            } else if key.hasPrefix("v") {
                sink.add(.E105, file, version: key, "\"\(key)\" is not v followed by a positive base-ten number")
            } else {
                sink.add(.E104, file, version: key, "\"\(key)\" is not a version name (v followed by the number)")
            }
        }
        names.sort()
        guard let first = names.first, first.number == 1 else {
            if !names.isEmpty { sink.add(.E009, file, "the versions start at \(names[0]), not at 1") }
            return
        }
        let width = first.digits
        if width > 1 { sink.add(.W001, file, "the version names are zero-padded (\(first)); v1, v2 … are recommended") }
        var accepted: [VersionName] = []
        for name in names {
            if let last = accepted.last, last.number == name.number {
                sink.add(.E012, file, version: name.name, "\(name) and \(last) are the same version number in two spellings")
                continue
            }
            let conforms = width == 1 ? !name.leadingZero : (name.digits == width && name.leadingZero)
            if !conforms {
                if width > 1 && !name.leadingZero {
                    sink.add(.E011, file, version: name.name, "\(name) breaks the zero-padded naming of \(first): padded names must start with v0")
                } else if name == names.last {
                    sink.add(.E013, file, version: name.name, "the newest version \(name) does not follow the naming of \(first)")
                } else {
                    sink.add(.E012, file, version: name.name, "\(name) does not follow the naming of \(first)")
                }
            }
            accepted.append(name)
        }
        let present = Set(accepted.map(\.number))
        if let highest = accepted.last?.number, present.count != highest {
            let missing = (1...highest).filter { !present.contains($0) }
            sink.add(.E010, file, "the version sequence has gaps: \(Self.list(missing.map { "v\($0)" })) missing")
        }

        for name in accepted {
            guard let block = versions[name.name] else { continue }
            facts.versions.append(checkVersionBlock(name, block, &sink))
        }
    }

    private func checkVersionBlock(_ name: VersionName, _ value: JSONValue, _ sink: inout FindingSink) -> VersionFacts {
        var facts = VersionFacts(name: name)
        let field = "versions.\(name)"
        guard case .object(let block) = value else {
            sink.add(.E047, file, version: name.name, "\(field) is \(value.typeDescription), not a JSON object")
            return facts
        }
        for key in block.keys where !Self.versionKeys.contains(key) {
            sink.add(.E102, file, version: name.name, "\(field) has the key \"\(key)\", which the spec does not describe")
        }
        facts.created = block["created"]
        facts.message = block["message"]
        facts.user = block["user"]
        switch block["created"] {
        case nil: sink.add(.E048, file, version: name.name, "\(field) has no created")
        case .string(let created):
            if case .failure(let problem) = Timestamp.parse(created) { sink.add(.E049, file, version: name.name, "\(field).created \"\(created)\" \(problem)") }
        case let other?: sink.add(.E049, file, version: name.name, "\(field).created is \(other.typeDescription), not a date-time string")
        }
        if let message = block["message"], message.stringValue == nil {
            sink.add(.E094, file, version: name.name, "\(field).message is \(message.typeDescription), not a string")
        }
        if let user = block["user"] { checkUser(user, field: "\(field).user", version: name.name, &sink) }
        let missing = ["message", "user"].filter { block[$0] == nil }
        if !missing.isEmpty {
            sink.add(.W007, file, version: name.name, "\(field) has no \(missing.joined(separator: " and "))")
        }
        switch block["state"] {
        case nil: sink.add(.E048, file, version: name.name, "\(field) has no state")
        case .object(let state)?: readState(state, field: "\(field).state", into: &facts, &sink)
        case let other?: sink.add(.E033, file, version: name.name, "\(field).state is \(other.typeDescription), not a JSON object")
        }
        return facts
    }

    private func checkUser(_ value: JSONValue, field: String, version: String, _ sink: inout FindingSink) {
        guard case .object(let user) = value else {
            return sink.add(.E054, file, version: version, "\(field) is \(value.typeDescription), not an object with a name")
        }
        for key in user.keys where key != "name" && key != "address" {
            sink.add(.E102, file, version: version, "\(field) has the key \"\(key)\", which the spec does not describe")
        }
        if user["name"]?.stringValue == nil { sink.add(.E054, file, version: version, "\(field) has no name string") }
        switch user["address"] {
        case nil: sink.add(.W008, file, version: version, "\(field) has no address")
        case .string(let address)?:
            if !URISyntax.hasScheme(address) { sink.add(.W009, file, version: version, "\(field).address \"\(address)\" is not a URI") }
        case let other?: sink.add(.E054, file, version: version, "\(field).address is \(other.typeDescription), not a string")
        }
    }

    /// Reads a state block's shape and logical paths; whether its digests are in the manifest is
    /// checked once the manifest is known (``checkStates(_:_:)``).
    private func readState(_ state: JSONObject, field: String, into facts: inout VersionFacts, _ sink: inout FindingSink) {
        let version = facts.name.name
        var paths = PathSet()
        for (digest, value) in state {
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                sink.add(.E033, file, version: version, "\(field).\(digest.shortDigest) is not an array of logical paths")
                continue
            }
            facts.stateKeys.append(digest)
            WorkMeter.count(.inventoryPathDecoded, array.count)
            for element in array {
                guard let path = element.stringValue else { continue }
                if path.hasPrefix("/") || path.hasSuffix("/") {
                    sink.add(.E053, file, version: version, "the logical path \"\(path)\" begins or ends with a slash")
                    continue
                }
                if let bad = PathSet.badElement(path) {
                    sink.add(.E052, file, version: version, "the logical path \"\(path)\" has the element \"\(bad)\"")
                    continue
                }
                if !paths.insert(path) {
                    sink.add(.E095, file, version: version, "the logical path \"\(path)\" appears twice in \(version)")
                    continue
                }
                facts.files[RawPath(path)] = digest.lowercasedDigest
            }
        }
        for (path, prefix) in paths.conflicts() {
            sink.add(.E095, file, version: version, "the logical path \"\(prefix)\" is a file and also a folder of \"\(path)\"")
        }
    }

    private func checkStates(_ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard facts.versionsReadable else { return }
        var used = Set<String>()
        for version in facts.versions {
            for key in version.stateKeys {
                if facts.manifestKeys.contains(key) {
                    used.insert(key.lowercasedDigest)
                } else if facts.manifest[key.lowercasedDigest] != nil {
                    used.insert(key.lowercasedDigest)
                    sink.add(.E050, file, version: version.name.name, "the state digest \(key.shortDigest) matches a manifest digest only when case is ignored; it must match exactly")
                } else if facts.manifestReadable {
                    sink.add(.E050, file, version: version.name.name, "the state digest \(key.shortDigest) is not in the manifest")
                }
            }
        }
        for (digest, paths) in facts.manifest.sorted(by: { $0.key < $1.key }) where !used.contains(digest) {
            sink.add(.E107, file, "the manifest digest \(digest.shortDigest) (\(Self.list(paths.map(\.string)))) is in no version's state")
        }
    }

    // MARK: Manifest and fixity

    private func checkManifest(_ value: JSONValue?, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard let value else { return sink.add(.E041, file, "there is no manifest") }
        guard case .object(let manifest) = value else {
            return sink.add(.E106, file, "manifest is \(value.typeDescription), not a JSON object")
        }
        facts.manifestReadable = true
        let versionNames = facts.versionNames
        var paths = PathSet()
        var keys = Set<String>()
        for (digest, pathsValue) in manifest {
            let normalized = digest.lowercasedDigest
            if let problem = digestProblem(digest, algorithm: facts.algorithm, named: facts.algorithmName) {
                sink.add(problem.code, file, "the manifest digest \(digest.shortDigest) \(problem.text)")
            }
            keys.insert(digest)
            if facts.manifest[normalized] != nil {
                sink.add(.E096, file, "the digest \(digest.shortDigest) appears more than once in the manifest (case differs)")
            }
            if facts.manifest[normalized] == nil { facts.manifest[normalized] = [] }
            guard let array = pathsValue.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                sink.add(.E092, file, "the manifest value for \(digest.shortDigest) is not an array of content paths")
                continue
            }
            var valid: [RawPath] = []
            WorkMeter.count(.inventoryPathDecoded, array.count)
            for element in array {
                guard let path = element.stringValue,
                    checkContentPath(path, facts: facts, versionNames: versionNames, paths: &paths, &sink)
                else { continue }
                valid.append(RawPath(path))
                facts.contentPaths[RawPath(path)] = normalized
            }
            facts.manifest[normalized, default: []].append(contentsOf: valid)
        }
        for (path, prefix) in paths.conflicts() {
            sink.add(.E101, file, "the content path \"\(prefix)\" is a file and also a folder of \"\(path)\"")
        }
        facts.manifestKeys = keys
    }

    /// Checks one content path; `true` when it is usable.
    private func checkContentPath(_ path: String, facts: InventoryFacts, versionNames: Set<String>, paths: inout PathSet, _ sink: inout FindingSink) -> Bool {
        if path.hasPrefix("/") || path.hasSuffix("/") {
            sink.add(.E100, file, "the content path \"\(path)\" begins or ends with a slash")
            return false
        }
        if let bad = PathSet.badElement(path) {
            sink.add(.E099, file, "the content path \"\(path)\" has the element \"\(bad)\"")
            return false
        }
        let utf8 = path.utf8
        let firstSlash = utf8.firstIndex(of: UInt8(ascii: "/"))
        let first = String(path[..<(firstSlash ?? path.endIndex)])
        if first.utf8.contains(UInt8(ascii: "\\")) {
            sink.add(.E035, file, "the content path \"\(path)\" uses a backslash as separator")
            return false
        }
        let secondSlash = firstSlash.flatMap { utf8[utf8.index(after: $0)...].firstIndex(of: UInt8(ascii: "/")) }
        guard let firstSlash, let secondSlash else {
            sink.add(.E042, file, "the content path \"\(path)\" is not inside a version's content folder")
            return false
        }
        if facts.versionsReadable && !versionNames.contains(first) {
            if VersionName.looksLikeVersion(first) {
                sink.add(.E014, file, "the content path \"\(path)\" names the version folder \(first), which is not a version of this inventory")
            } else {
                sink.add(.E042, file, "the content path \"\(path)\" does not start with a version folder")
            }
            return false
        }
        if path[path.index(after: firstSlash)..<secondSlash] != facts.contentDirectory {
            if facts.contentDirectorySet {
                sink.add(.E042, file, version: first, "the content path \"\(path)\" is not in the content folder \"\(facts.contentDirectory)\"")
            } else {
                sink.add(.E021, file, version: first, "the content path \"\(path)\" is not in the folder \"content\" (no contentDirectory is set)")
            }
            return false
        }
        if !paths.insert(path) {
            sink.add(.E101, file, version: first, "the content path \"\(path)\" appears more than once in the manifest")
            return false
        }
        return true
    }

    private func checkFixity(_ value: JSONValue, _ facts: inout InventoryFacts, _ sink: inout FindingSink) {
        guard case .object(let fixity) = value else {
            return sink.add(.E111, file, "fixity is \(value.typeDescription), not a JSON object")
        }
        for (name, blockValue) in fixity {
            let algorithm = DigestAlgorithm(rawValue: name)
            if algorithm == nil {
                if !Self.extensionFixityAlgorithms.contains(name) {
                    sink.add(.E056, file, "fixity.\(name) is not a digest algorithm of the spec or of the digest algorithms extension")
                }
                continue
            }
            guard case .object(let block) = blockValue else {
                sink.add(.E057, file, "fixity.\(name) is \(blockValue.typeDescription), not a JSON object of digests")
                continue
            }
            var seen = Set<String>()
            for (digest, pathsValue) in block {
                if let problem = digestProblem(digest, algorithm: algorithm, named: name, fixity: true) {
                    sink.add(problem.code, file, "fixity.\(name) digest \(digest.shortDigest) \(problem.text)")
                    continue
                }
                if !seen.insert(digest.lowercasedDigest).inserted {
                    sink.add(.E097, file, "the \(name) digest \(digest.shortDigest) appears more than once in fixity (case differs)")
                }
                guard let array = pathsValue.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                    sink.add(.E057, file, "fixity.\(name).\(digest.shortDigest) is not an array of content paths")
                    continue
                }
                for element in array {
                    guard let path = element.stringValue else { continue }
                    guard facts.contentPaths[RawPath(path)] != nil else {
                        if facts.manifestReadable {
                            sink.add(.E057, file, "fixity.\(name) names \"\(path)\", which is not a content path of the manifest")
                        }
                        continue
                    }
                    // swift-format-ignore: NeverForceUnwrap
                    facts.fixity.append((algorithm!, RawPath(path), digest.lowercasedDigest))
                }
            }
        }
    }

    /// What is wrong with a digest's form for `algorithm`, if anything.
    private func digestProblem(_ digest: String, algorithm: DigestAlgorithm?, named name: String?, fixity: Bool = false) -> (code: ValidationCode, text: String)? {
        guard let algorithm, fixity || algorithm == .sha512 || algorithm == .sha256 else { return nil }
        let isHex = Self.isHex(digest)
        if isHex && digest.utf8.count == algorithm.hexLength { return nil }
        let hexCode: ValidationCode =
            switch algorithm {
            case .sha1: .E029
            case .sha256: .E030
            case .sha512: .E031
            case .blake2b512: .E032
            case .md5: .E057
            }
        if !isHex { return (hexCode, "is not hexadecimal") }
        if fixity { return (hexCode, "has \(digest.utf8.count) hex digits, not the \(algorithm.hexLength) of \(algorithm.rawValue)") }
        return (.E039, "has \(digest.utf8.count) hex digits: it is not a \(name ?? algorithm.rawValue) digest (\(algorithm.hexLength))")
    }

    /// Non-empty and only 0–9, a–f, A–F.
    static func isHex(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty else { return false }
            for byte in bytes where !((0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)) {
                return false
            }
            return true
        }
    }

    static func list(_ items: [String], limit: Int = 5) -> String {
        items.count <= limit ? items.joined(separator: ", ") : items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }
}

/// Paths of one namespace (a version's logical paths, an inventory's content paths), for the
/// "unique and non-conflicting" rules (E095, E101).
struct PathSet {
    private var paths = Set<RawPath>()

    /// `false` when the path is already there.
    mutating func insert(_ path: String) -> Bool { paths.insert(RawPath(path)).inserted }

    /// Pairs (path, prefix) where `prefix` is itself a path of the set and a folder of `path`,
    /// in path order.
    func conflicts() -> [(path: String, prefix: String)] {
        var result: [(RawPath, String)] = []
        for path in paths where path.string.utf8.contains(UInt8(ascii: "/")) {
            var prefix = Substring(path.string)
            while let slash = prefix.utf8.lastIndex(of: UInt8(ascii: "/")) {
                prefix = prefix[..<slash]
                if paths.contains(RawPath(String(prefix))) { result.append((path, String(prefix))) }
            }
        }
        return result.sorted { $0.0 < $1.0 }.map { ($0.0.string, $0.1) }
    }

    /// The first element that is `.`, `..` or empty, if any.
    static func badElement(_ path: String) -> String? {
        var length = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if length == 0 || length == dots && dots <= 2 { return String(repeating: ".", count: length) }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if length == 0 || length == dots && dots <= 2 { return String(repeating: ".", count: length) }
        return nil
    }
}

/// Just enough of RFC 3986 to tell a URI from a plain name: a scheme, a colon, something after.
enum URISyntax {
    static func hasScheme(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 else { return false }
        func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        return isLetter(bytes[0])
            && bytes[1..<colon].allSatisfy { isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }
}
