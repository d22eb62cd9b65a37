/// One document named in filing.json.
public struct ManifestDocument: Sendable {
    public var kind: DocumentKind
    /// The member of the bundle holding the bytes (NFC).
    public var file: String
    public var facts: JSONObject
    /// Where it was declared, for messages: `documents[2]`.
    public var field: String
}

/// filing.json: what legal staff hand in with their papers (FORMATS.md §5).
public struct FilingManifest: Sendable {
    public static let fileName = "filing.json"

    public var dossier: DossierID
    /// The record for a new dossier.
    public var create: DossierRecord?
    /// Changes to an existing dossier's record, applied under the lock to the current record.
    public var update: FieldReader?
    public var message: String?
    public var filedBy: Agent?
    public var documents: [ManifestDocument]

    public static let fields = ["dossier", "create", "update", "message", "filedBy", "documents"]

    /// Decodes and checks filing.json completely, so that nothing is written for a bad one.
    public static func decode(_ reader: FieldReader) throws(FieldError) -> FilingManifest {
        _ = try reader.object(allowing: fields)
        let id = try reader.required("dossier").dossierID()
        var manifest = FilingManifest(dossier: id, documents: [])
        if let create = try reader.optional("create") {
            manifest.create = try RecordCodec.newRecord(id: id, from: create, allowID: true)
        }
        if let update = try reader.optional("update") {
            if let create = try reader.optional("create") {
                throw update.fail("a filing has either create (new dossier) or update (existing dossier), not both; \(create.path) is also given")
            }
            // Check the types now; the values are applied to the current record under the lock.
            var probe = DossierRecord(id: id, title: "probe", unit: "probe", type: .patent, funding: .fiscal, grant: .none)
            if let classification = try update.optional("classification") { probe.classification = try classification.choice(Classification.self) }
            try RecordCodec.applyUpdate(update, to: &probe)
            manifest.update = update
        }
        manifest.message = try reader.optional("message")?.text()
        if let agent = try reader.optional("filedBy") {
            manifest.filedBy = try decodeAgent(agent)
        }
        var seenFiles: [String: String] = [:]
        for element in try reader.optional("documents")?.array() ?? [] {
            _ = try element.object(allowing: ["kind", "file", "facts"])
            let kind = try element.required("kind").documentKind()
            let fileReader = try element.required("file")
            let file = BundlePath.normalize(try fileReader.text())
            guard BundlePath.isSafe(file) else {
                throw fileReader.fail("expected a relative file name inside the bundle, got \"\(file)\"")
            }
            if let earlier = seenFiles[file] {
                throw fileReader.fail("\"\(file)\" is already filed by \(earlier); each file is filed once")
            }
            seenFiles[file] = element.path
            let facts = try FactSchema.validate(try element.required("facts"), kind: kind)
            manifest.documents.append(ManifestDocument(kind: kind, file: file, facts: facts, field: element.path))
        }
        if manifest.documents.isEmpty, manifest.create == nil, manifest.update == nil {
            throw reader.fail("nothing to file: give documents, create or update")
        }
        return manifest
    }

    static func decodeAgent(_ reader: FieldReader) throws(FieldError) -> Agent {
        _ = try reader.object(allowing: ["name", "address"])
        let name = try reader.required("name").text().precomposedNFC
        guard let addressReader = try reader.optional("address") else { return Agent(name: name, address: nil) }
        let address = try addressReader.text()
        guard address.contains("@") || address.contains(":") else {
            throw addressReader.fail("expected an e-mail address or a URI such as mailto:legal@imut.edu.cn, got \"\(address)\"")
        }
        return address.contains(":") ? Agent(name: name, address: address) : Agent(name: name, email: address)
    }
}

/// Names of files inside a filing bundle.
public enum BundlePath {
    /// NFC, without a leading `./`.
    public static func normalize(_ name: String) -> String {
        var name = name.precomposedNFC
        while name.hasPrefix("./") { name.removeFirst(2) }
        return name
    }

    /// Relative, no empty, `.` or `..` components, no NUL: a name that stays inside the bundle.
    public static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0") else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }
}
