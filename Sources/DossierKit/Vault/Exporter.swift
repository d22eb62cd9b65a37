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
    /// The exporter's clearance; required at or above a classified dossier's level.
    public var clearance: Classification?
    /// Why the export is made; required for a classified dossier.
    public var reason: String?
    public var user: Agent
    /// Flush the archive to disk before it appears (see `BagWriter.write`).
    public var durable = false
    /// The day the rules judge the version by (`metadata/validation.json`); today when `nil`.
    /// Two exports of a version are byte-identical when they judge by the same day.
    public var asOf: LocalDate?

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
}

/// The bag layout of FORMATS.md §6.
enum DossierBag {
    /// Names the BagIt profile in `Schemas/bagit-profile.json` (bag-info's BagIt-Profile-Identifier).
    static let profileIdentifier = "urn:dossier:bagit-profile:1.0"

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
        let snapshot: DossierSnapshot
        do { snapshot = try store.snapshot(of: request.id, version: request.version) } catch { throw .store(error) }
        let record = snapshot.record
        let version = snapshot.version
        try checkClearance(record, version: version, request: request)
        let verdict: Verdict
        do {
            verdict = try Judge(profile: try profile.get(), asOf: request.asOf ?? audit.clock.today).verdict(of: snapshot)
        } catch {
            throw .wrap(error)
        }
        let (plan, renamed) = try bagPlan(snapshot, verdict: verdict)
        let output = request.output ?? "\(FileManager.default.currentDirectoryPath)/\(request.id)-\(version).\(request.format.rawValue)"
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
        details["classification"] = .string(record.classification.rawValue)
        if let clearance = request.clearance { details["clearance"] = .string(clearance.rawValue) }
        if let reason = request.reason { details["reason"] = .string(reason) }
        do {
            try audit.record(AuditEvent(action: .export, by: request.user, dossier: request.id, version: version, details: details))
        } catch {
            try? FileSystem.removeFile(output)
            throw .invalid("\(error); the export was removed, since it could not be recorded")
        }
        return ExportResult(id: request.id, version: version, bag: written, classification: record.classification, renamed: renamed)
    }

    private func checkClearance(_ record: DossierRecord, version: VersionNumber, request: ExportRequest) throws(VaultError) {
        let level = record.classification
        guard level != .none else { return }
        guard let clearance = request.clearance, clearance >= level else {
            let given = request.clearance.map { "; --clearance \($0.rawValue) is below it" } ?? ""
            throw .invalid("\(record.id) \(version) is classified \(level.rawValue) (\(level.chineseName)): exporting it needs --clearance \(level.rawValue) or higher and --reason\(given)")
        }
        guard let reason = request.reason, !reason.allSatisfy(\.isWhitespace) else {
            throw .invalid("\(record.id) \(version) is classified \(level.rawValue) (\(level.chineseName)): give --reason, the audit log records why it was exported")
        }
    }

    /// The bag's contents: tag files from the snapshot, payload from the version's state.
    func bagPlan(_ snapshot: DossierSnapshot, verdict: Verdict) throws(VaultError) -> (BagPlan, [(from: String, to: String)]) {
        let id = snapshot.id
        let record = snapshot.record
        let version = snapshot.version
        do {
            guard let block = snapshot.versionInfo else { throw StoreError.versionMissing(id, version, head: snapshot.head) }
            var payload: [BagPayloadFile] = []
            var renamed: [(from: String, to: String)] = []
            var taken: Set<[UInt8]> = []
            for logical in block.documentFiles.keys.sorted(by: utf8Order) {
                let content = try snapshot.content(logical)
                let bagPath = Exporter.uniqueBagPath(for: logical, taken: &taken)
                if bagPath != "data/" + logical { renamed.append((logical, bagPath)) }
                let document = record.document(at: logical)
                let mediaType = document?.mediaType ?? MediaType.forFileName(logical)
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
            if !renamed.isEmpty {
                let names: JSONValue = .array(renamed.map { ["path": .string($0.from), "bagPath": .string($0.to)] })
                tagFiles.append(("metadata/payload-names.json", Array(names.serialized().utf8)))
            }
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
                ("Classification", record.classification.rawValue),
            ]
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

