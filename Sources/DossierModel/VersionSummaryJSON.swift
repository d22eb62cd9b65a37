extension VersionSummary {
    /// The summary as `dossier log --json` prints it and exports record it (metadata/history.json).
    public var json: JSONValue {
        var agent = JSONObject()
        if let user {
            agent["name"] = .string(user.name)
            if let address = user.address { agent["address"] = .string(address) }
        }
        return [
            "version": .string(version.description),
            "created": .string(created),
            "user": user == nil ? .null : .object(agent),
            "message": message.map { .string($0) } ?? .null,
            "added": .array(added.map { .string($0) }),
            "modified": .array(modified.map { .string($0) }),
            "removed": .array(removed.map { .string($0) }),
            "renamed": .array(renamed.map { ["from": .string($0.from), "to": .string($0.to)] }),
            "recordChanges": .array(recordChanges.map { .string($0) }),
            "fieldChanges": .array((changes?.fields ?? []).map(\.json)),
            "factChanges": .array((changes?.facts ?? []).map(\.json)),
        ]
    }
}
