import DossierModel

/// The commit journal: what a change to a dossier's object is about to do, written (and
/// synced) to `locks/<id>.<kind>.json` before the store changes and removed once its audit
/// line is in. A process killed between the two leaves the journal behind, and the next one
/// to take the dossier's lock (``Filer/settle(_:)``) finishes the work: if the store holds
/// what the journal expected, the audit line is written — marked `"recovery": true` — unless
/// the log already has it; if not, the commit never happened and the journal is dropped.
///
/// So the log and the store never disagree for long: a version in the store always gets its
/// line, and `verify` reports one whose line is still pending as such, not as damage.
struct CommitJournal: Sendable {
    /// A filing's version (one at a time per dossier), or an object rewrite (classify, rekey).
    enum Kind: String, Sendable, CaseIterable {
        case rewrite, commit
    }

    /// What a journal holds: the audit event to write, and the sha512 each version's
    /// `inventory.json` has once the change is in the store.
    struct Entry: Sendable {
        var event: AuditEvent
        /// When the change was made (the line's `at` had it been written then).
        var at: String
        var expected: [VersionNumber: String]
    }

    let locksPath: String

    func path(_ id: DossierID, _ kind: Kind) -> String { "\(locksPath)/\(id.rawValue).\(kind.rawValue).json" }

    func write(_ entry: Entry, for id: DossierID, kind: Kind) throws(FileSystemError) {
        var event = JSONObject()
        event["action"] = .string(entry.event.action.rawValue)
        if let by = entry.event.by {
            var agent = JSONObject()
            agent["name"] = .string(by.name)
            if let address = by.address { agent["address"] = .string(address) }
            event["by"] = .object(agent)
        }
        if let version = entry.event.version { event["version"] = .string(version.description) }
        event["details"] = .object(entry.event.details)
        var expected = JSONObject()
        for (version, digest) in entry.expected.sorted(by: { $0.key < $1.key }) { expected[version.description] = .string(digest) }
        let json: JSONValue = ["dossier": .string(id.rawValue), "at": .string(entry.at), "event": .object(event), "expected": .object(expected)]
        CrashPoint.journalWrite.hit()
        try FileSystem.makeDirectories(locksPath)
        try FileSystem.replaceFile(path(id, kind), Array(json.serialized(.compact).utf8))
        CrashPoint.journalWritten.hit()
    }

    /// The journal left for a dossier, or `nil`. An unreadable journal is treated as none: it
    /// is written whole (a rename) before the store changes, so a torn one never had effect.
    func read(_ id: DossierID, _ kind: Kind) -> Entry? {
        guard let bytes = try? FileSystem.readFile(path(id, kind), limit: 64 << 20), let value = try? JSONValue.parse(bytes),
            let at = value["at"]?.stringValue, let event = value["event"]?.objectValue,
            let action = event["action"]?.stringValue.flatMap(AuditAction.init(rawValue:))
        else { return nil }
        let by = event["by"]?["name"]?.stringValue.map { Agent(name: $0, address: event["by"]?["address"]?.stringValue) }
        var expected: [VersionNumber: String] = [:]
        for (name, digest) in value["expected"]?.objectValue ?? JSONObject() {
            if let version = VersionNumber(name), let digest = digest.stringValue { expected[version] = digest }
        }
        return Entry(
            event: AuditEvent(
                action: action, by: by, dossier: id, version: event["version"]?.stringValue.flatMap(VersionNumber.init),
                details: event["details"]?.objectValue ?? JSONObject()),
            at: at, expected: expected)
    }

    func remove(_ id: DossierID, _ kind: Kind) {
        CrashPoint.journalRemove.hit()
        try? FileSystem.removeFile(path(id, kind))
    }

    /// Whether a journal is left for the dossier (what `verify` asks, reading only).
    func isPending(_ id: DossierID) -> Bool {
        Kind.allCases.contains { FileSystem.exists(path(id, $0)) }
    }
}

extension Filer {
    var journal: CommitJournal { CommitJournal(locksPath: locksPath) }

    /// Brings a dossier to a settled state before anything else is done to it: a commit cut
    /// off after its version folder moved is rolled forward (``StorageRoot/recover(_:)``), and
    /// a change whose audit line was never written gets it now, marked as written by
    /// recovery. Call holding the dossier's lock.
    /// - Returns: the audit lines written by recovery.
    @discardableResult
    func settle(_ id: DossierID) throws -> [AuditRecord] {
        try store.recover(id)
        // A new dossier stopped before its object moved in leaves the tuple folders made for
        // it, empty: an OCFL root must end in objects, so they go.
        if !store.exists(id), journal.isPending(id) { store.removeEmptyParents(of: id) }
        var written: [AuditRecord] = []
        for kind in CommitJournal.Kind.allCases {
            guard let entry = journal.read(id, kind) else { continue }
            if store.exists(id), entry.expected.allSatisfy({ version, digest in store.versionInventoryDigest(of: id, version: version) == digest }) {
                if try !audit.log.holds(entry.event, expected: entry.expected) {
                    var event = entry.event
                    event.details["recovery"] = .bool(true)
                    event.details["committedAt"] = .string(entry.at)
                    written.append(try audit.record(event))
                }
            }
            journal.remove(id, kind)
        }
        return written
    }
}

extension Filer {
    /// Settles every dossier whose journal a stopped process left and whose lock nobody holds
    /// (a stopped `new` of a dossier nobody files into again would otherwise keep its empty
    /// folders and its pending line for ever). Called before each change; never throws:
    /// what cannot be settled now is settled by the next writer of that dossier.
    func settleAbandoned() {
        guard let names = try? FileSystem.contents(of: locksPath) else { return }
        var ids = Set<DossierID>()
        for name in names where name.hasSuffix(".json") {
            for kind in CommitJournal.Kind.allCases where name.hasSuffix(".\(kind.rawValue).json") {
                if let id = DossierID(String(name.dropLast(".\(kind.rawValue).json".count))) { ids.insert(id) }
            }
        }
        for id in ids.sorted() {
            guard let lock = try? DossierLock(id: id, directory: locksPath, timeout: 0) else { continue }
            withExtendedLifetime(lock) { _ = try? settle(id) }
        }
    }
}

extension AuditLog {
    /// Whether the log already holds the line a journal was about to write: same action,
    /// dossier and version, and the same inventory digests.
    func holds(_ event: AuditEvent, expected: [VersionNumber: String]) throws(AuditError) -> Bool {
        try records().reversed().contains { record in
            guard record.action == event.action, record.fields["dossier"]?.stringValue == event.dossier?.rawValue else { return false }
            if let version = event.version, record.fields["version"]?.stringValue != version.description { return false }
            for key in ["inventory", "newInventory"] {
                if let digest = event.details[key]?.stringValue, record.fields[key]?.stringValue != digest { return false }
            }
            return true
        }
    }
}

/// The filer's messages about the audit log, in one place for translation.
enum FilerMessages {
    /// A version committed whose audit line could not be written (zh: 「已归档，但审计日志未能写入；下次对该案卷的操作将补写该行（标记为恢复写入）」).
    static func auditLinePending(_ id: DossierID, _ version: VersionNumber, _ error: any Error) -> String {
        "\(id) \(version) is filed, but its audit line could not be written (\(error)); "
            + "the next filing, rename, withdrawal or classification of \(id) writes it, marked as written by recovery"
    }
}
