import DossierModel
/// An OCFL 1.1 inventory (https://ocfl.io/1.1/spec/#inventory), as the vault writes and reads it.
public struct Inventory: Sendable, Equatable {
    public static let type = "https://ocfl.io/1.1/spec/#inventory"

    public var id: String
    public var digestAlgorithm: DigestAlgorithm
    public var head: VersionNumber
    var contentDirectory: String
    /// Digest → content paths (relative to the object root).
    public var manifest: [String: [String]]
    public var versions: [VersionNumber: DossierVersion]
    /// Algorithm → digest → content paths.
    public var fixity: [String: [String: [String]]]

    public init(id: String) {
        self.id = id
        digestAlgorithm = .sha512
        head = VersionNumber(1)
        contentDirectory = "content"
        manifest = [:]
        versions = [:]
        fixity = [:]
    }

    var headVersion: DossierVersion? { versions[head] }

    /// The content path holding the bytes of `digest`, if the object has them.
    public func contentPath(for digest: String) -> String? { manifest[digest]?.first }

    /// The inventory as it stood when `version` was the head: later versions, and the content
    /// they added, left out. `nil` when the object has no such version.
    func upTo(_ version: VersionNumber) -> Inventory? {
        guard versions[version] != nil else { return nil }
        var earlier = self
        earlier.head = version
        earlier.versions = versions.filter { $0.key <= version }
        func isEarlier(_ contentPath: String) -> Bool {
            VersionNumber(String(contentPath.prefix(while: { $0 != "/" }))).map { $0 <= version } ?? true
        }
        earlier.manifest = manifest.compactMapValues { paths in
            let kept = paths.filter(isEarlier)
            return kept.isEmpty ? nil : kept
        }
        earlier.fixity = fixity.mapValues { digests in
            digests.compactMapValues { paths in
                let kept = paths.filter(isEarlier)
                return kept.isEmpty ? nil : kept
            }
        }
        return earlier
    }

    /// The digest of a logical path at a version.
    public func digest(of logicalPath: String, at version: VersionNumber) -> String? {
        versions[version]?.files[logicalPath]
    }

    // MARK: JSON

    /// The inventory as JSON, keys and digests in a fixed order so that the same inventory
    /// always serializes to the same bytes.
    public func json() -> JSONValue {
        func pathMap(_ map: [String: [String]]) -> JSONValue {
            .object(JSONObject(map.keys.sorted().map { ($0, .array((map[$0] ?? []).sorted().map { .string($0) })) }))
        }
        var object = JSONObject()
        object["id"] = .string(id)
        object["type"] = .string(Inventory.type)
        object["digestAlgorithm"] = .string(digestAlgorithm.rawValue)
        object["head"] = .string(head.description)
        object["contentDirectory"] = .string(contentDirectory)
        if !fixity.isEmpty {
            object["fixity"] = .object(JSONObject(fixity.keys.sorted().map { ($0, pathMap(fixity[$0] ?? [:])) }))
        }
        object["manifest"] = pathMap(manifest)
        var versionsObject = JSONObject()
        for number in versions.keys.sorted() {
            guard let version = versions[number] else { continue }
            var block = JSONObject()
            block["created"] = .string(version.created)
            if let message = version.message { block["message"] = .string(message) }
            if let user = version.user {
                var agent = JSONObject()
                agent["name"] = .string(user.name)
                if let address = user.address { agent["address"] = .string(address) }
                block["user"] = .object(agent)
            }
            block["state"] = pathMap(Inventory.state(of: version.files))
            versionsObject[number.description] = .object(block)
        }
        object["versions"] = .object(versionsObject)
        return .object(object)
    }

    public func serialized() -> [UInt8] { Array(json().serialized(.pretty).utf8) }

    /// Reads an inventory the vault wrote. Other people's inventories go through the
    /// validator, which reports every problem with its OCFL code instead of stopping at the first.
    public static func decode(_ reader: FieldReader) throws(FieldError) -> Inventory {
        _ = try reader.object(allowing: ["id", "type", "digestAlgorithm", "head", "contentDirectory", "manifest", "versions", "fixity"])
        var inventory = Inventory(id: try reader.required("id").text())
        let typeReader = try reader.required("type")
        guard try typeReader.string() == Inventory.type else { throw typeReader.fail("expected \(Inventory.type)") }
        let algorithmReader = try reader.required("digestAlgorithm")
        guard let algorithm = DigestAlgorithm(rawValue: try algorithmReader.string()), algorithm == .sha512 || algorithm == .sha256 else {
            throw algorithmReader.fail("expected sha512 or sha256")
        }
        inventory.digestAlgorithm = algorithm
        let headReader = try reader.required("head")
        guard let head = VersionNumber(try headReader.string()) else { throw headReader.fail("expected a version name such as v3") }
        inventory.head = head
        inventory.contentDirectory = try reader.optional("contentDirectory")?.text() ?? "content"
        inventory.manifest = try decodePathMap(try reader.required("manifest"))
        for (name, value) in try reader.required("versions").object() {
            let block = FieldReader(file: reader.file, value: value, path: "versions.\(name)")
            guard let number = VersionNumber(name) else { throw block.fail("expected a version name such as v3") }
            _ = try block.object(allowing: ["created", "message", "user", "state"])
            var user: Agent?
            if let userReader = try block.optional("user") {
                user = Agent(name: try userReader.required("name").string(), address: try userReader.optional("address")?.string())
            }
            inventory.versions[number] = DossierVersion(
                number: number,
                created: try block.required("created").string(),
                message: try block.optional("message")?.string(),
                user: user,
                files: Inventory.files(of: try decodePathMap(try block.required("state"))))
        }
        if let fixityReader = try reader.optional("fixity") {
            for (name, value) in try fixityReader.object() {
                inventory.fixity[name] = try decodePathMap(FieldReader(file: reader.file, value: value, path: "fixity.\(name)"))
            }
        }
        guard inventory.versions[head] != nil else { throw headReader.fail("names \(head), which is not in versions") }
        return inventory
    }

    /// OCFL's state block (digest → logical paths) as logical path → digest.
    public static func files(of state: [String: [String]]) -> [String: String] {
        var files: [String: String] = [:]
        files.reserveCapacity(state.count)
        for (digest, paths) in state { for path in paths { files[path] = digest } }
        return files
    }

    /// Logical path → digest as OCFL's state block: digest → logical paths.
    public static func state(of files: [String: String]) -> [String: [String]] {
        var state: [String: [String]] = [:]
        for (path, digest) in files { state[digest, default: []].append(path) }
        return state
    }

    static func decodePathMap(_ reader: FieldReader) throws(FieldError) -> [String: [String]] {
        var map: [String: [String]] = [:]
        for (digest, value) in try reader.object() {
            let element = FieldReader(file: reader.file, value: value, path: "\(reader.path).\(digest)")
            // Digests are written lowercase; lowercasing only the others saves a copy of each key.
            let paths = try element.strings()
            WorkMeter.count(.inventoryPathDecoded, paths.count)
            map[digest.lowercasedDigest] = paths
        }
        return map
    }
}
