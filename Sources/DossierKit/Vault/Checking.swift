import DossierModel
import Foundation

/// What a four-properties check of the vault found (`dossier check`).
public struct FourPropertiesRun: Sendable {
    public var stage: CheckStage?
    public var checkedAt: String
    public var asOf: LocalDate
    /// One report per dossier, in the order asked (the store's order for all).
    public var reports: [FourPropertiesReport]
    /// Problems of the storage root itself, which belong to no dossier.
    public var storeProblems: [OCFLFinding]
    /// The audit line a storage-stage check of the whole vault wrote, or nil.
    public var auditLine: Int?
    /// How many files verify hashed, and their bytes (A1).
    public var filesHashed: Int
    public var bytesHashed: Int64

    /// Whether some item failed somewhere (or the storage root has an error): `dossier check` exits 1.
    public var hasFailures: Bool {
        reports.contains { $0.outcome == .failed } || storeProblems.contains { $0.severity == .error }
    }

    /// Counts of dossiers by outcome, and of each item's outcomes.
    public var summary: JSONValue {
        var dossiers = JSONObject()
        for outcome in [CheckOutcome.passed, .warning, .failed] {
            dossiers[outcome.rawValue] = .number(Double(reports.count { $0.outcome == outcome }))
        }
        var items = JSONObject()
        for item in stage?.items ?? CheckItem.allCases {
            var counts = JSONObject()
            for outcome in CheckOutcome.allCases {
                let count = reports.count { $0.result(item)?.outcome == outcome }
                if count > 0 { counts[outcome.rawValue] = .number(Double(count)) }
            }
            items[item.rawValue] = .object(counts)
        }
        return ["dossiers": .object(dossiers), "items": .object(items)]
    }

    public var json: JSONValue {
        [
            "stage": stage.map { .string($0.rawValue) } ?? .null,
            "checkedAt": .string(checkedAt),
            "asOf": .string(asOf.description),
            "standard": "DA/T 70-2018",
            "summary": summary,
            "storeProblems": .array(storeProblems.map { $0.json() }),
            "auditLine": auditLine.map { .number(Double($0)) } ?? .null,
            "reports": .array(reports.map(\.json)),
        ]
    }
}

extension Vault {
    /// Runs the four-properties check (DA/T 70) on dossiers of the vault: every item of the
    /// options' stage for each, from verify's findings (one pass over the store, every digest
    /// recomputed when A1 runs), the audit log (read once), the rules and the documents' bytes.
    ///
    /// A storage-stage check of the whole vault (`ids` empty, stage `storage`) is the periodic job
    /// of an archive: its result is recorded as an audit line (``AuditAction/check``).
    ///
    /// - Parameters:
    ///   - ids: the dossiers; empty for every dossier.
    ///   - options: the stage, day, anchors, virus scanner and keys.
    ///   - access: a cleared reader's identity: the content of classified papers at or below their
    ///     level is checked (decrypted into memory, never to disk), and each such read is an audit
    ///     line; without it those papers' content items are not run.
    ///   - agent: who runs the check (the audit line's `by`).
    ///   - notice: told when the index had to be rebuilt or refreshed first (storage-stage U3 takes
    ///     the text it recorded).
    ///   - progress: verify's progress over the objects (A1's hashing).
    /// - Throws: ``VaultError`` when a named dossier is not in the store, or the audit line cannot
    ///   be written.
    public func check(
        _ ids: [DossierID], options: FourPropertiesOptions, access: ReadAccess? = nil, by agent: Agent, notice: (IndexRepair) -> Void = { _ in },
        progress: (VerifyProgress) -> Void = { _ in }
    ) throws(VaultError) -> FourPropertiesRun {
        var options = options
        options.units = options.units ?? settings.units.map(\.id)
        let items = Set(options.items)
        let needsAudit = !items.isDisjoint(with: [.A6, .I4, .S3, .S4])
        // The log is read once, for A4's filing lines and for the audit items alike.
        let auditRecords = needsAudit || items.contains(.A4) ? Result { () throws(AuditError) in try auditLog.records() } : nil
        try prepare(&options, auditRecords: auditRecords.flatMap { try? $0.get() })
        let verification: VerificationReport
        do {
            verification = try StoreVerifier.verify(
                store, ids: ids, locks: locks, options: VerifyOptions(checkDigests: items.contains(.A1), observeDossiers: true), progress: progress)
        } catch {
            throw .store(error)
        }
        // Every object verify found, whether or not its inventory could be read.
        let targets = ids.isEmpty ? verification.objectFolders.keys.compactMap { DossierID($0) }.sorted { $0.rawValue < $1.rawValue } : ids
        var byObject: [String: [OCFLFinding]] = [:]
        var storeProblems: [OCFLFinding] = []
        let names = Set(targets.map(\.rawValue))
        for finding in verification.findings {
            if names.contains(finding.object) { byObject[finding.object, default: []].append(finding) } else { storeProblems.append(finding) }
        }
        let audit = if needsAudit, let auditRecords { AuditEvidence.load(auditLog, records: auditRecords) } else { AuditEvidence() }
        var texts: [String: [String: IndexedText]]?
        if items.contains(.U3), !options.rereadText {
            texts = try? index.withIndex(notice: notice) { index in try Self.indexedTexts(index.textRecords(), of: names) }
        }
        let profile = try? self.profile()
        let store = self.store
        let evidence: [DossierEvidence] = targets.map { id in
            DossierEvidence(
                id: id, version: nil, findings: byObject[id.rawValue] ?? [], fixityStatement: nil,
                observation: verification.observations[id.rawValue], indexed: texts?[id.rawValue])
        }
        var reports: [FourPropertiesReport] = []
        reports.reserveCapacity(evidence.count)
        options.identities = []
        let frozen = options
        let readsContent = !items.isDisjoint(with: [.A2, .U2, .U3, .U4, .S1, .S2])
        // A cleared reader's keys open the papers of dossiers at or below their level only.
        let cleared: @Sendable (DossierEvidence) -> Bool = { evidence in
            guard let access, readsContent, let record = evidence.observation?.headRecord else { return false }
            return record.documents.contains { $0.encryption != nil } && max(record.classification, .secret) <= access.level
        }
        // consume cannot throw here, so neither can the map.
        try? orderedParallelMap(
            count: evidence.count, workers: ProcessInfo.processInfo.activeProcessorCount, window: 256,
            produce: { index in
                var options = frozen
                if cleared(evidence[index]), let access { options.identities = access.identities }
                return DossierCheck(evidence: evidence[index], store: store, audit: audit, profile: profile, options: options).report()
            },
            consume: { _, report in reports.append(report) })
        if let access {
            for item in evidence where cleared(item) {
                for entry in item.observation?.headRecord?.documents ?? [] where entry.encryption != nil {
                    let version = VersionNumber(item.observation?.versions.last?.number ?? 1)
                    try recordRead(access, id: item.id, version: version, path: entry.path, attempt: "check", by: agent)
                }
            }
        }
        var run = FourPropertiesRun(
            stage: options.stage, checkedAt: options.checkedAt ?? clock.timestamp(), asOf: options.asOf, reports: reports,
            storeProblems: storeProblems, filesHashed: verification.filesHashed, bytesHashed: verification.bytesHashed)
        if ids.isEmpty, options.stage == .storage {
            run.auditLine = try recordCheck(run, by: agent)
        }
        return run
    }

    /// Connects what the vault keeps to the options: A2 trusts the vault's anchors (`dossier trust
    /// add`) beside those given, and takes the verdicts recorded at filing (R28) where the record
    /// has them, recomputing them from the stored file where it has none.
    /// - Parameter auditRecords: the audit log's records when the caller has read them already.
    func prepare(_ options: inout FourPropertiesOptions, auditRecords: [AuditRecord]? = nil) throws(VaultError) {
        if Set(options.items).contains(.A2) {
            let known = Set(options.anchors.map(\.fingerprint))
            options.anchors += try trust.anchors().filter { !known.contains($0.fingerprint) }
        }
        if options.recordedSignatures == nil {
            options.recordedSignatures = { entry in entry.signatures.isEmpty ? nil : entry.signatures }
        }
        if options.seals == nil, Set(options.items).contains(.A4) {
            options.seals = FilingLineSeals(store: store, records: auditRecords ?? (try? auditLog.records()) ?? [])
        }
    }

    /// The index's text records of the dossiers named, by dossier and path.
    static func indexedTexts(_ records: [DossierIndex.TextRecord], of names: Set<String>) -> [String: [String: IndexedText]] {
        var result: [String: [String: IndexedText]] = [:]
        for record in records where names.contains(record.dossier) {
            guard let source = ExtractedText.Source(rawValue: record.source) else { continue }
            result[record.dossier, default: [:]][record.path] = IndexedText(sha512: record.sha512, source: source, problem: record.problem, bytes: record.bytes)
        }
        return result
    }

    /// The audit line of a periodic check: how many dossiers passed, warned and failed, and which
    /// items failed in which dossiers (the first 50).
    private func recordCheck(_ run: FourPropertiesRun, by agent: Agent) throws(VaultError) -> Int {
        var details = JSONObject()
        details["stage"] = .string(run.stage?.rawValue ?? "all")
        details["asOf"] = .string(run.asOf.description)
        details["dossiers"] = .number(Double(run.reports.count))
        for outcome in [CheckOutcome.passed, .warning, .failed] {
            details[outcome.rawValue] = .number(Double(run.reports.count { $0.outcome == outcome }))
        }
        var failedItems = JSONObject()
        for report in run.reports where report.outcome == .failed {
            guard failedItems.count < 50 else { break }
            failedItems[report.subject] = .array(report.items.filter { $0.outcome == .failed }.map { .string($0.item.rawValue) })
        }
        details["failures"] = .object(failedItems)
        var notRun = JSONObject()
        for item in run.stage?.items ?? CheckItem.allCases {
            let count = run.reports.count { $0.result(item)?.outcome == .notRun }
            if count > 0 { notRun[item.rawValue] = .number(Double(count)) }
        }
        details["notRun"] = .object(notRun)
        details["filesHashed"] = .number(Double(run.filesHashed))
        do {
            return try audit.record(AuditEvent(action: .check, by: agent, details: details)).line
        } catch {
            throw .invalid("the check ran, but its audit line could not be written: \(error)")
        }
    }

    /// The filing-stage check of a version just filed (`dossier file`): the items of FOUR-PROPERTIES.md's
    /// filing stage on that version; A1 is the digests computed as the files were copied in (the
    /// storage stage reads them again), and the content items (A2, U2–U4, S1, S2) read the papers
    /// this filing added. A failed item is a warning of the filing, never a refusal.
    public func checkFiling(_ result: FilingResult, options: FourPropertiesOptions) -> FourPropertiesReport {
        var options = options
        options.stage = .filing
        options.contentOf = Set(result.documents)
        options.ocrPending = true
        options.units = options.units ?? settings.units.map(\.id)
        options.inspectionsAhead = result.inspectionsAhead
        defer { result.inspectionsAhead?.stop() }
        try? prepare(&options)
        return checkVersion(
            result.id, version: nil, options: options,
            fixity: "sha512 and sha256 of the \(result.storedFiles) new file\(result.storedFiles == 1 ? "" : "s") computed as they were copied into the store; the storage-stage check reads them again")
    }

    /// The transfer-stage check of a version being exported, for `metadata/four-properties.json`:
    /// the same whenever the same version is exported as of the same day (no time of checking;
    /// certificates checked at the version's time when a signature states none). A1 is the
    /// export's own fixity check: every payload byte is hashed against the store while written.
    func checkForExport(_ snapshot: DossierSnapshot, asOf: LocalDate, identities: [AgeIdentity]) -> FourPropertiesReport {
        let created = snapshot.versionInfo?.created
        var options = FourPropertiesOptions(stage: .transfer, asOf: asOf, checkedAt: nil, signatureTime: created ?? "\(asOf)T00:00:00Z")
        options.identities = identities
        options.units = settings.units.map(\.id)
        try? prepare(&options)
        // A4 is the bag's own seal, made after this report is written (verify-bundle --key, check
        // --bag --key); the audit lines' digests would also name later versions, and the report must
        // be the same in every export of this version as of the same day.
        options.seals = nil
        // The text OCR read in the index step stands for a scan whose bytes are the same (the other
        // documents are read again, so the report does not depend on the index); an export neither
        // builds nor refreshes the index for it.
        var indexed: [String: IndexedText]?
        if FileSystem.exists(indexPath), let index = try? index.openIndexFile(), let records = try? index.textRecords(of: snapshot.id.rawValue) {
            indexed = Self.indexedTexts(records.filter { $0.source == ExtractedText.Source.ocr.rawValue }, of: [snapshot.id.rawValue])[snapshot.id.rawValue]
        }
        var report = checkVersion(
            snapshot.id, version: snapshot.version, options: options, indexed: indexed,
            fixity: "every payload file hashed against the store's sha256 as it was written into this bag (the export stops at a mismatch); the bag's manifests carry sha256 and sha512",
            snapshot: snapshot)
        // The log grows with every export: the bag says the chain was intact, not how long it was,
        // so that the same version exports to the same bytes.
        if let index = report.items.firstIndex(where: { $0.item == .S3 }), report.items[index].outcome == .passed {
            report.items[index].summary = "hash chain intact, audit.log.head matches (the vault's audit log when this bag was made)"
        }
        return report
    }

    /// One version checked through the same items, with A1's digests established elsewhere
    /// (`fixity` says how): verify checks the object's structure only.
    func checkVersion(
        _ id: DossierID, version: VersionNumber?, options: FourPropertiesOptions, indexed: [String: IndexedText]? = nil, fixity: String,
        snapshot: DossierSnapshot? = nil
    ) -> FourPropertiesReport {
        let verification = try? StoreVerifier.verify(
            store, ids: [id], locks: locks, options: VerifyOptions(checkDigests: false, observeDossiers: true, allOlderInventories: options.stage != .filing))
        let needsAudit = !Set(options.items).isDisjoint(with: [.A6, .I4, .S3, .S4])
        let evidence = DossierEvidence(
            id: id, version: version, findings: verification?.findings ?? [], fixityStatement: fixity,
            observation: verification?.observations[id.rawValue], indexed: indexed)
        return DossierCheck(
            evidence: evidence, store: store, audit: needsAudit ? AuditEvidence.load(auditLog) : AuditEvidence(), profile: try? profile(),
            options: options, snapshot: snapshot
        ).report()
    }
}
