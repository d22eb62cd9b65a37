import DossierModel
/// The NAMASTE conformance declaration (`0=ocfl_object_1.1`, `0=ocfl_1.1`): an object's (§3.2)
/// and a storage root's (§4.2) follow the same rules, each with its own codes.
struct DeclarationRules {
    /// `ocfl_object_` or `ocfl_`: what the value starts with, before the spec version.
    let prefix: String
    /// A prefix that belongs to the other kind (`ocfl_object_` is not a root's value).
    let otherKind: String?
    let name: String
    let missing, several, tag, value, version, text: ValidationCode

    static let object = DeclarationRules(
        prefix: "ocfl_object_", otherKind: nil, name: "version declaration",
        missing: .E003, several: .E003, tag: .E005, value: .E006, version: .E004, text: .E007)
    static let storageRoot = DeclarationRules(
        prefix: "ocfl_", otherKind: "ocfl_object_", name: "root declaration",
        missing: .E069, several: .E076, tag: .E078, value: .E079, version: .E077, text: .E080)

    /// Checks the declarations among `entries` of `folder` and returns the declared spec
    /// version (the latest, if several).
    func check(_ entries: [DirectoryEntry], in folder: String, _ sink: inout FindingSink) -> String? {
        for entry in entries {
            guard let tag = Namaste.tag(of: entry.name), tag != "0", ofThisKind(String(entry.name.dropFirst(tag.count + 1))) else { continue }
            sink.add(self.tag, entry.name, "the \(name)'s NAMASTE tag must be 0")
        }
        let declarations = entries.filter { $0.name.hasPrefix("0=") }
        guard !declarations.isEmpty else {
            sink.add(missing, "", "there is no \(name) (0=\(prefix)1.1)")
            return nil
        }
        if declarations.count > 1 {
            sink.add(several, "", "there are \(declarations.count) \(name)s: \(declarations.map(\.name).joined(separator: ", "))")
        }
        var latest: String?
        for declaration in declarations {
            let declaredValue = String(declaration.name.dropFirst(2))
            guard ofThisKind(declaredValue) else {
                sink.add(value, declaration.name, "the \(name)'s value must be \(prefix) and the spec version")
                continue
            }
            let declared = String(declaredValue.dropFirst(prefix.count))
            guard InventoryCheck.specVersions.contains(declared) else {
                sink.add(version, declaration.name, "the \(name) names \"\(declared)\", not an OCFL version (1.0 or 1.1)")
                continue
            }
            let expected = Array("\(declaredValue)\n".utf8)
            if declaration.kind != .regular || (try? SmallFile.read("\(folder)/\(declaration.name)", limit: 4096)) != expected {
                sink.add(text, declaration.name, "the \(name)'s text must be \"\(declaredValue)\" and a newline")
            }
            if latest.map({ declared > $0 }) ?? true { latest = declared }
        }
        return latest
    }

    private func ofThisKind(_ value: String) -> Bool {
        value.hasPrefix(prefix) && !(otherKind.map { value.hasPrefix($0) } ?? false)
    }
}
