import DossierModel
import Foundation

/// What to export, for whom, and why.
public struct ExportRequest: Sendable {
    public var id: DossierID
    /// The version; the head when `nil`.
    public var version: VersionNumber?
    public var format: ArchiveFormat
    /// The archive to write; `ID-vN.<format>` in the current folder when `nil`.
    public var output: String?
    /// The level the exporter says they are cleared for: checked against the identity's
    /// (``access``), never trusted on its own.
    public var clearance: Classification?
    /// Why the export is made; required for a classified dossier.
    public var reason: String?
    /// The identity of a reader cleared for a classified dossier's level.
    public var access: ReadAccess?
    /// The receiving auditor's age public keys: a classified dossier's papers are encrypted
    /// to them in the bag.
    public var recipients: [String] = []
    /// Put a classified dossier's papers in the bag in the clear (recorded as such).
    public var plaintext = false
    public var user: Agent
    /// Flush the archive to disk before it appears (see `BagWriter.write`).
    public var durable = false
    /// The day the rules judge the version by (`metadata/validation.json`); today when `nil`.
    /// Two exports of a version are byte-identical when they judge by the same day.
    public var asOf: LocalDate?
    /// Whether the bag is sealed with the vault's seal key (``Vault/sealKey()``). Always, from
    /// the command line; `false` only where an unsealed bag is wanted on purpose (the
    /// benchmark that measures what sealing costs).
    public var sealed = true

    public init(id: DossierID, version: VersionNumber?, format: ArchiveFormat, output: String?, clearance: Classification?, reason: String?, user: Agent) {
        self.id = id
        self.version = version
        self.format = format
        self.output = output
        self.clearance = clearance
        self.reason = reason
        self.user = user
    }
}

/// What an export wrote.
public struct ExportResult: Sendable {
    public var id: DossierID
    public var version: VersionNumber
    public var bag: BagWriteResult
    public var classification: Classification
    /// Payload names changed in the bag: logical path → path in the bag.
    public var renamed: [(from: String, to: String)]
    /// The key whose seal the bag carries; `nil` for an unsealed bag.
    public var seal: SealPublicKey?
    /// The rules' status as of the export day.
    public var status: DossierStatus
    /// The transfer-stage four-properties check of the version exported, as the bag carries it in
    /// `metadata/four-properties.json` (a summary page shows it from here).
    public var fourProperties: FourPropertiesReport?
}

/// What a set export wrote.
public struct ExportSetResult: Sendable {
    /// The set's folder.
    public var folder: String
    /// Each bag, in the order asked for.
    public var bags: [ExportResult]
    /// The sha256 of `export-index.json`.
    public var indexSHA256: String
    public var seal: SealPublicKey
}

/// The bag layout of FORMATS.md §6.
enum DossierBag {
    /// Names the BagIt profile in `Schemas/bagit-profile.json` (bag-info's BagIt-Profile-Identifier).
    static let profileIdentifier = "urn:dossier:bagit-profile:1.0"
    /// The seal: the vault seal key's detached signature of `tagmanifest-sha512.txt`.
    public static let sealFile = BagWriter.sealFile

    /// A file name as it may appear in a bag: `%`, CR and LF, which common validators
    /// mishandle, become ％ (U+FF05), ␍ (U+240D) and ␊ (U+240A).
    static func bagSafeName(_ name: String) -> String {
        BagText.replacingReserved(name, percent: "％", carriageReturn: "␍", lineFeed: "␊")
    }
}

/// Exports dossier versions as BagIt bags: the plan of the bag from one snapshot of the
/// dossier, the rules' verdict as of a day, the archive written by `BagWriter`, and the
/// export (or its refusal) in the audit log.
public struct Exporter: Sendable {
    let store: StorageRoot
    let settings: VaultSettings
    let audit: AuditTrail
    let profile: Result<Profile, VaultError>
    let locksPath: String
    /// Checks a classified read and records a refusal (``Vault/authorize``).
    let authorize: @Sendable (ReadAccess?, Classification, DossierID, VersionNumber, Agent) throws(VaultError) -> Void
    /// The vault's seal key (``Vault/sealKey()``), read before anything is written.
    let sealKey: @Sendable () throws(VaultError) -> SealKey
    /// The transfer-stage four-properties check of a version as of a day (the payload's content
    /// read with these identities when classified), for `metadata/four-properties.json`.
    var fourProperties: (@Sendable (DossierSnapshot, LocalDate, [AgeIdentity]) -> FourPropertiesReport)?

    /// Exports one version of a dossier as a serialized BagIt 1.0 bag (FORMATS.md §6) and
    /// records the export in the audit log. Reads the dossier's inventory and the version's
    /// record once (``DossierSnapshot``).
    ///
    /// Every payload byte is read from the store and checked against the store's sha256
    /// fixity while it is written (see `BagWriter`), and the archive appears at
    /// `request.output` only when all matched.
    ///
    /// - Parameters:
    ///   - request: the dossier, version, format, output, and who asks and why.
    ///   - progress: payload bytes copied so far.
    /// - Throws: ``VaultError``: `.invalid` for a classified dossier without clearance or
    ///   reason (nothing is written), `.store(.digestMismatch …)` for corrupt content.
    public func export(_ request: ExportRequest, progress: (Int64) -> Void = { _ in }) throws(VaultError) -> ExportResult {
        let seal = request.sealed ? try sealKey() : nil
        let (result, details) = try writeBag(request, seal: seal, progress: progress)
        do {
            try audit.record(AuditEvent(action: .export, by: request.user, dossier: request.id, version: result.version, details: details))
        } catch {
            try? FileSystem.removeFile(result.bag.path)
            throw .invalid("\(error); the export was removed, since it could not be recorded")
        }
        return result
    }

    /// Writes one bag and says what the audit line will record; records nothing itself (a
    /// set's bags are recorded once the whole set is in place).
    func writeBag(_ request: ExportRequest, seal: SealKey?, progress: (Int64) -> Void) throws(VaultError) -> (ExportResult, JSONObject) {
        let snapshot: DossierSnapshot
        let head: DossierRecord
        do {
            snapshot = try store.snapshot(of: request.id, version: request.version)
            head = snapshot.version == snapshot.head ? snapshot.record : try store.snapshot(of: request.id).record
        } catch {
            throw .store(error)
        }
        let version = snapshot.version
        let level = Exporter.guardLevel(of: snapshot, head: head)
        let protection = try checkClearance(level: level, id: request.id, version: version, request: request)
        let verdict: Verdict
        do {
            verdict = try Judge(profile: try profile.get(), asOf: request.asOf ?? audit.clock.today).verdict(of: snapshot)
        } catch {
            throw .wrap(error)
        }
        let output = request.output ?? "\(FileManager.default.currentDirectoryPath)/\(request.id)-\(version).\(request.format.rawValue)"
        // Papers decrypted (and encrypted again for the auditor) wait in a claimed folder beside
        // the output, which is removed whatever happens.
        let folder = FileSystem.parent(of: output)
        let scratchPrefix = ".\(FileSystem.lastComponent(of: output)).papers-"
        var scratch: Scratch?
        defer { scratch?.remove() }
        if protection != nil {
            do {
                Scratch.sweep(in: folder, prefix: scratchPrefix, locks: locksPath)
                scratch = try Scratch(in: folder, prefix: scratchPrefix, locks: locksPath)
                if let path = scratch?.path { try FileSystem.makeDirectories(path) }
            } catch {
                throw .wrap(error)
            }
        }
        let checked = fourProperties?(snapshot, request.asOf ?? audit.clock.today, request.access?.identities ?? [])
        var (plan, renamed) = try bagPlan(
            snapshot, verdict: verdict, level: level, protection: protection, access: request.access, scratch: scratch?.path, seal: seal,
            fourProperties: checked)
        plan.seal = seal
        let written: BagWriteResult
        do {
            written = try BagWriter.write(
                plan, format: request.format, to: output, durable: request.durable, claims: locksPath,
                localTimeOffset: settings.offsetSeconds, progress: progress)
        } catch {
            if case .corrupt(let file, let problem) = error {
                let path = renamed.first { $0.to == file.bagPath }?.from ?? String(file.bagPath.dropFirst("data/".count))
                throw .store(.corruptObject(request.id, path: "\(version) \(path)", reason: "\(problem); nothing was exported"))
            }
            throw .invalid(error.description)
        }
        var details = JSONObject()
        details["format"] = .string(request.format.rawValue)
        details["file"] = .string(output)
        details["bytes"] = .number(Double(written.archiveBytes))
        details["payload"] = .string("\(written.payloadBytes).\(written.payloadFiles)")
        details["tagmanifest-sha512"] = .string(written.tagManifestSHA512)
        details["tagmanifestSHA256"] = .string(written.tagManifestSHA256)
        if let seal { details["seal"] = ["algorithm": .string(seal.algorithm.rawValue), "key": .string(seal.publicKey.fingerprint)] }
        details["classification"] = .string(level.rawValue)
        if let clearance = request.clearance { details["clearance"] = .string(clearance.rawValue) }
        if let reason = request.access?.reason ?? request.reason { details["reason"] = .string(reason) }
        if let access = request.access, level != .none { details["readers"] = .array(access.readers.map { .string($0) }) }
        switch protection {
        case .encryptedTo(let recipients)?:
            details["payloadEncryption"] = "age"
            details["to"] = .array(recipients.map { .string($0.encoded) })
        case .plaintext?:
            details["payloadEncryption"] = "none"
            details["plaintext"] = true
        case nil: break
        }
        if level != .none {
            details["documents"] = .array(plan.payload.map { .string(String($0.bagPath.dropFirst("data/".count))) })
        }
        let result = ExportResult(id: request.id, version: version, bag: written, classification: level, renamed: renamed, seal: seal?.publicKey, status: verdict.status,
            fourProperties: checked)
        return (result, details)
    }

    /// Exports the head version of each dossier as one sealed bag in a new folder, with a
    /// sealed index of them (``ExportSetIndex``): a unit's year for an auditor at once.
    ///
    /// All or nothing: the bags are written into a claimed folder beside `folder`, which is
    /// renamed into place when every bag and the index are written; a failure (a classified
    /// dossier without clearance, a corrupt paper) leaves no folder behind. The dossiers'
    /// clearances are checked before the first bag is written. Each bag's export is an audit
    /// line, and so is the set (its index's sha256), once the folder is in place.
    ///
    /// - Parameters:
    ///   - ids: the dossiers, exported at their head versions in this order.
    ///   - folder: the set's folder; it must not exist, or be empty.
    ///   - request: format, as-of day, who asks and why, and, for classified dossiers, the
    ///     identity, `--to` keys or `--plaintext`, as for one export (`id`, `version` and
    ///     `output` are ignored).
    ///   - selection: what was asked for (`unit` and `year`, or the ids), kept in the index.
    ///   - progress: the dossier being exported and its payload bytes copied so far.
    public func exportSet(
        _ ids: [DossierID], into folder: String, like request: ExportRequest, selection: JSONObject,
        progress: (DossierID, Int64) -> Void = { _, _ in }
    ) throws(VaultError) -> ExportSetResult {
        guard !ids.isEmpty else { throw .invalid("\(folder): nothing to export: no dossier matches") }
        switch FileSystem.kind(of: folder, followingLinks: true) {
        case .missing: break
        case .directory:
            let contents = (try? FileSystem.contents(of: folder)) ?? []
            guard contents.isEmpty else { throw .invalid("\(folder): the folder is not empty; a set is written into a new or empty folder") }
        default: throw .invalid("\(folder): exists and is not a folder; a set is written into a new or empty folder")
        }
        let parent = FileSystem.parent(of: folder)
        guard FileSystem.isDirectory(parent) else { throw .io(FileSystemError(operation: "create", path: folder, code: ENOENT)) }
        let seal = try sealKey()
        // Every clearance first: a set refused half-way would have read classified papers for nothing.
        for id in ids {
            let snapshot: DossierSnapshot
            do { snapshot = try store.snapshot(of: id) } catch { throw .store(error) }
            let level = Exporter.guardLevel(of: snapshot, head: snapshot.record)
            _ = try checkClearance(level: level, id: id, version: snapshot.version, request: request)
        }
        let prefix = ".\(FileSystem.lastComponent(of: folder)).partial-"
        let staging: Scratch
        do {
            Scratch.sweep(in: parent, prefix: prefix, locks: locksPath)
            staging = try Scratch(in: parent, prefix: prefix, locks: locksPath)
            try FileSystem.makeDirectories(staging.path)
        } catch {
            throw .wrap(error)
        }
        defer { staging.remove() }
        var written: [(ExportResult, JSONObject)] = []
        for id in ids {
            var one = request
            one.id = id
            one.version = nil
            one.output = nil
            let snapshotVersion: VersionNumber
            do { snapshotVersion = try store.snapshot(of: id).version } catch { throw .store(error) }
            one.output = "\(staging.path)/\(id.rawValue)-\(snapshotVersion).\(request.format.rawValue)"
            written.append(try writeBag(one, seal: seal, progress: { progress(id, $0) }))
        }
        let entries = written.map { result, _ in
            ExportSetIndex.Entry(
                file: FileSystem.lastComponent(of: result.bag.path), dossier: result.id.rawValue, version: result.version.description,
                archiveBytes: result.bag.archiveBytes, payload: "\(result.bag.payloadBytes).\(result.bag.payloadFiles)",
                tagManifestSHA256: result.bag.tagManifestSHA256, status: result.status.rawValue, classification: result.classification.rawValue)
        }
        let index = ExportSetIndex(
            organisation: settings.organisation, selection: selection, asOf: (request.asOf ?? audit.clock.today).description,
            exportedAt: audit.clock.timestamp(),
            seal: ["algorithm": .string(seal.algorithm.rawValue), "key": .string(seal.publicKey.fingerprint)], bags: entries)
        let indexBytes = Array(index.json.serialized(.pretty).utf8)
        let indexSHA256: String
        do {
            try FileSystem.writeNewFile("\(staging.path)/\(ExportSetIndex.fileName)", indexBytes)
            try FileSystem.writeNewFile("\(staging.path)/\(ExportSetIndex.sealFileName)", try seal.sign(indexBytes))
            indexSHA256 = try NamedHasher.hex("sha256", of: indexBytes)
            if FileSystem.isDirectory(folder) { try FileSystem.removeEmptyDirectory(folder) }
            try FileSystem.rename(staging.path, to: folder)
        } catch {
            throw .wrap(error)
        }
        var results: [ExportResult] = []
        do {
            for (result, details) in written {
                var details = details
                var moved = result
                moved.bag.path = "\(folder)/\(FileSystem.lastComponent(of: result.bag.path))"
                details["file"] = .string(moved.bag.path)
                details["set"] = .string(folder)
                try audit.record(AuditEvent(action: .export, by: request.user, dossier: result.id, version: result.version, details: details))
                results.append(moved)
            }
            var details = JSONObject()
            details["set"] = .string(folder)
            details["format"] = .string(request.format.rawValue)
            details["selection"] = .object(selection)
            details["bags"] = .array(entries.map { .string("\($0.dossier) \($0.version)") })
            details["index-sha256"] = .string(indexSHA256)
            details["seal"] = ["algorithm": .string(seal.algorithm.rawValue), "key": .string(seal.publicKey.fingerprint)]
            try audit.record(AuditEvent(action: .export, by: request.user, details: details))
        } catch {
            throw .invalid("\(error); the set is at \(folder), but its export is not fully recorded in the audit log")
        }
        return ExportSetResult(folder: folder, bags: results, indexSHA256: indexSHA256, seal: seal.publicKey)
    }

    /// How a classified dossier's papers go into a bag.
    enum Protection {
        /// Encrypted anew to the receiving auditor's keys.
        case encryptedTo([AgeRecipient])
        /// In the clear, as the exporter asked.
        case plaintext
    }

    /// A classified paper made ready for the bag in `file`: decrypted with the exporter's
    /// identity (its stored bytes checked against the store's fixity on the way), then
    /// encrypted anew to the auditor or left in the clear, with the digests of what the bag holds.
    static func prepare(
        _ content: StoredContent, protection: Protection, access: ReadAccess, bagPath: String, mediaType: String, into file: String
    ) throws -> BagPayloadFile {
        let output = try SequentialFileWriter(creating: file)
        let digester = try PushDigester()
        let keep: AgeWrite = { bytes in
            digester.update(bytes)
            try output.write(bytes)
        }
        switch protection {
        case .plaintext:
            try content.decrypt(with: access.identities, authenticateFirst: false, write: keep)
        case .encryptedTo(let recipients):
            var encryptor = try AgeEncryptor(to: recipients)
            try content.decrypt(with: access.identities, authenticateFirst: false) { bytes in try encryptor.update(bytes, write: keep) }
            _ = try encryptor.finish(write: keep)
        }
        try output.sync()
        guard let digests = digester.finish() else { throw CryptoError(operation: "digest", detail: "finished twice") }
        let encrypted: Bool = if case .encryptedTo = protection { true } else { false }
        let opener: @Sendable () throws -> FileDescriptor = { try FileDescriptor.open(file, .readOnly) }
        return BagPayloadFile(
            bagPath: bagPath, size: digests.size, sha512: digests.sha512.hex, sha256: digests.sha256.hex,
            compressible: !encrypted && !MediaType.isCompressed(mediaType), open: opener)
    }

    /// The level an export of `snapshot` must be cleared for (see ``Vault/guardLevel(of:head:)``).
    static func guardLevel(of snapshot: DossierSnapshot, head: DossierRecord) -> Classification {
        let stored = snapshot.record.documents.contains { $0.encryption != nil }
        return max(head.classification, snapshot.record.classification, stored ? .secret : .none)
    }

    /// Checks that a classified export is cleared, reasoned and says how the papers travel.
    /// - Returns: how the papers go into the bag, or `nil` for a dossier anyone may export.
    private func checkClearance(level: Classification, id: DossierID, version: VersionNumber, request: ExportRequest) throws(VaultError) -> Protection? {
        guard level != .none else { return nil }
        try authorize(request.access, level, id, version, request.user)
        if let claimed = request.clearance, let access = request.access, claimed > access.level {
            throw .invalid("--clearance \(claimed.rawValue): \(access.source) is cleared for \(access.level.rawValue) only")
        }
        if request.plaintext {
            guard request.recipients.isEmpty else { throw .invalid("give --to or --plaintext, not both") }
            return .plaintext
        }
        guard !request.recipients.isEmpty else {
            throw .invalid("\(id) \(version) is classified \(level.rawValue) (\(level.chineseName)): give --to age1… (the receiving auditor's key), or --plaintext to export its papers in the clear")
        }
        var recipients: [AgeRecipient] = []
        for text in request.recipients {
            do { recipients.append(try AgeRecipient(text)) } catch { throw .invalid("--to \(text): \(error)") }
        }
        return .encryptedTo(recipients)
    }

    /// What is wrong with a member's path in an export: a component over the vault's
    /// ``FilingLimits/nameComponentBytes``, or a whole path over 4,096 bytes (PATH_MAX); `nil`
    /// when it is fine.
    static func bagPathProblem(_ path: String, limits: FilingLimits) -> String? {
        for component in path.split(separator: "/") where component.utf8.count > limits.nameComponentBytes {
            return "has a component of \(component.utf8.count) bytes; at most \(limits.nameComponentBytes) are allowed"
        }
        if path.utf8.count > 4096 { return "is \(path.utf8.count) bytes long; at most 4096 are allowed" }
        return nil
    }

    /// The bag's contents: tag files from the snapshot, payload from the version's state.
    func bagPlan(
        _ snapshot: DossierSnapshot, verdict: Verdict, level: Classification = .none, protection: Protection? = nil, access: ReadAccess? = nil,
        scratch: String? = nil, seal: SealKey? = nil, fourProperties: FourPropertiesReport? = nil
    ) throws(VaultError) -> (BagPlan, [(from: String, to: String)]) {
        let id = snapshot.id
        let record = snapshot.record
        let version = snapshot.version
        do {
            guard let block = snapshot.versionInfo else { throw StoreError.versionMissing(id, version, head: snapshot.head) }
            var payload: [BagPayloadFile] = []
            var renamed: [(from: String, to: String)] = []
            var taken: Set<[UInt8]> = []
            // Path → entry once, not a scan of the record per document.
            var documents: [String: DocumentEntry] = [:]
            for entry in record.documents { documents[entry.path] = entry }
            for logical in block.documentFiles.keys.sorted(by: utf8Order) {
                let content = try snapshot.content(logical)
                let bagPath = Exporter.uniqueBagPath(for: logical, taken: &taken)
                // Checked before an archive library sees the name: libarchive 3.6.2's zip writer
                // corrupts its heap on a path over 64 KiB, and a tar member with a component
                // over 255 bytes cannot be unpacked on Linux (a name filed before the limits).
                if let problem = Exporter.bagPathProblem("\(id)-\(version)/\(bagPath)", limits: settings.limits) {
                    throw VaultError.invalid("\(id) \(version) \(logical.utf8.count > 200 ? String(logical.prefix(80)) + "…" : logical): cannot be exported: its path in the bag \(problem); rename it first (dossier rename)")
                }
                if bagPath != "data/" + logical { renamed.append((logical, bagPath)) }
                let document = documents[logical]
                let mediaType = document?.mediaType ?? MediaType.forFileName(logical)
                if document?.encryption != nil {
                    guard let protection, let scratch, let access else {
                        throw VaultError.invalid("\(id) \(version) \(logical) is stored encrypted; exporting it needs a cleared identity")
                    }
                    payload.append(try Exporter.prepare(
                        content, protection: protection, access: access, bagPath: bagPath, mediaType: mediaType, into: "\(scratch)/\(payload.count)"))
                    continue
                }
                payload.append(BagPayloadFile(
                    bagPath: bagPath, size: document?.size ?? content.size, sha512: content.sha512.hex, sha256: content.sha256?.hex,
                    compressible: !MediaType.isCompressed(mediaType)) { () throws(StoreError) -> FileDescriptor in try content.open() })
            }
            let history = try snapshot.history()
            var tagFiles: [(path: String, contents: [UInt8])] = [
                ("metadata/dossier.json", snapshot.recordBytes),
                ("metadata/history.json", Array(JSONValue.array(history.map(\.json)).serialized().utf8)),
                ("metadata/inventory.json", try snapshot.versionInventoryBytes()),
                ("metadata/validation.json", Array(Exporter.validationJSON(verdict, version: version).serialized().utf8)),
            ]
            if let fourProperties {
                tagFiles.append(("metadata/four-properties.json", Array(fourProperties.json.serialized().utf8)))
            }
            if !renamed.isEmpty {
                let names: JSONValue = .array(renamed.map { ["path": .string($0.from), "bagPath": .string($0.to)] })
                tagFiles.append(("metadata/payload-names.json", Array(names.serialized().utf8)))
            }
            let summary = ExportSummary(
                record: record, version: version, history: history, verdict: verdict, organisation: settings.organisation,
                unitName: settings.unitName(record.unit), bagName: "\(id.rawValue)-\(version)", classification: level,
                disclosure: protection.map { if case .plaintext = $0 { .full } else { .withheld } } ?? .full,
                payloadEncryption: protection.map { if case .plaintext = $0 { "none" } else { "age" } },
                bagPaths: Dictionary(renamed.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first }),
                fourProperties: fourProperties.map(FourPropertiesSection.init(report:)),
                seal: seal.map { ExportSummary.Seal(algorithm: $0.algorithm, fingerprint: $0.publicKey.fingerprint) })
            tagFiles.append((ExportSummary.fileName, summary.bytes))
            let created = block.created
            let bagInfo: [(label: String, value: String)] = [
                ("Source-Organization", settings.organisation),
                ("External-Identifier", id.rawValue),
                ("External-Description", record.title),
                ("Bagging-Date", String(created.prefix(10))),
                ("Bag-Software-Agent", BagWriter.softwareAgent),
                ("BagIt-Profile-Identifier", DossierBag.profileIdentifier),
                ("Dossier-Version", version.description),
                ("Dossier-Status", verdict.status.rawValue),
                ("Classification", level.rawValue),
            ] + (protection.map { protection in
                switch protection {
                case .encryptedTo: [("Payload-Encryption", "age")]
                case .plaintext: [("Payload-Encryption", "none")]
                }
            } ?? []) + (seal.map { [("Seal-Algorithm", $0.algorithm.rawValue), ("Seal-Key-Fingerprint", $0.publicKey.fingerprint)] } ?? [])
            let plan = BagPlan(
                name: "\(id.rawValue)-\(version)", bagInfo: bagInfo, tagFiles: tagFiles, payload: payload,
                modificationTime: Timestamp.unixSeconds(of: created) ?? 0)
            return (plan, renamed)
        } catch {
            throw .wrap(error)
        }
    }

    /// `data/<logical path>` with a bag-safe file name, made unique if renaming collided.
    static func uniqueBagPath(for logical: String, taken: inout Set<[UInt8]>) -> String {
        let folder = FileSystem.parent(of: logical)
        let name = DossierBag.bagSafeName(FileSystem.lastComponent(of: logical))
        var candidate = "data/\(folder)/\(name)"
        var counter = 2
        while !taken.insert(Array(candidate.utf8)).inserted {
            let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
            let stem = dot.map { String(name[..<$0]) } ?? name
            let suffix = dot.map { String(name[$0...]) } ?? ""
            candidate = "data/\(folder)/\(stem) (\(counter))\(suffix)"
            counter += 1
        }
        return candidate
    }

    /// The rules' verdict with the version it is about: `metadata/validation.json`.
    static func validationJSON(_ verdict: Verdict, version: VersionNumber) -> JSONValue {
        var object: JSONObject = ["version": .string(version.description)]
        for (key, value) in verdict.json.objectValue ?? JSONObject() { object[key] = value }
        return .object(object)
    }
}

