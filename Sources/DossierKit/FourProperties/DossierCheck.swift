import DossierModel
import Foundation

/// What the check knows of one dossier in the store before it looks at the dossier itself.
struct DossierEvidence: Sendable {
    var id: DossierID
    /// The version checked; nil for the head.
    var version: VersionNumber?
    /// `verify`'s findings about the object (all versions).
    var findings: [OCFLFinding]
    /// How A1's digests were established when verify did not recompute them (at filing, in an
    /// export); nil when it did.
    var fixityStatement: String?
    /// What verify read of the dossier (its versions, head record and state).
    var observation: DossierObservation?
    /// What the index recorded of each head document's text, by logical path (storage stage).
    var indexed: [String: IndexedText]?
}

/// The four-properties check of one dossier in the store: the items of the options' stage, each
/// from the evidence the rest of the vault already produces (verify's findings, the audit log, the
/// rules) or from the documents' bytes.
struct DossierCheck: Sendable {
    let evidence: DossierEvidence
    let store: StorageRoot
    let audit: AuditEvidence
    let profile: Profile?
    let options: FourPropertiesOptions

    /// The snapshot, read the first time an item needs it (or given: an export has read it).
    private let loaded: SnapshotLoader

    init(
        evidence: DossierEvidence, store: StorageRoot, audit: AuditEvidence, profile: Profile?, options: FourPropertiesOptions,
        snapshot: DossierSnapshot? = nil
    ) {
        loaded = SnapshotLoader(snapshot)
        self.evidence = evidence
        self.store = store
        self.audit = audit
        self.profile = profile
        self.options = options
    }

    var id: DossierID { evidence.id }

    func snapshot() -> Result<DossierSnapshot, StoreError> {
        loaded.get { () throws(StoreError) in try store.snapshot(of: id, version: evidence.version) }
    }

    /// The record of the version checked: verify's copy when it is the head, else the snapshot's.
    func record() -> DossierRecord? {
        if evidence.version == nil, let record = evidence.observation?.headRecord { return record }
        return try? snapshot().get().record
    }

    /// Every version up to the one checked, as its inventory states them.
    func versions() -> [ObservedVersion] {
        if evidence.version == nil, let observed = evidence.observation?.versions { return observed }
        guard let snapshot = try? snapshot().get() else { return evidence.observation?.versions ?? [] }
        return snapshot.versions.keys.sorted().compactMap { number in
            snapshot.versions[number].map { version in
                ObservedVersion(
                    name: number.description, number: number.number, created: version.created, userName: version.user?.name,
                    userAddress: version.user?.address)
            }
        }
    }

    func report() -> FourPropertiesReport {
        let routed = StoreFindingRoutes.details(evidence.findings)
        let items = options.items
        let version = evidence.version?.description ?? versions().last?.name
        var results: [CheckItem: ItemResult] = [:]
        let contentItems = items.filter { [.A2, .U2, .U3, .U4, .S1, .S2].contains($0) }
        if !contentItems.isEmpty {
            for result in contentResults(Set(contentItems), routed: routed) { results[result.item] = result }
        }
        for item in items where results[item] == nil {
            results[item] = result(item, routed: routed[item] ?? [])
        }
        return FourPropertiesReport(
            subject: id.rawValue, kind: .dossier, version: version, stage: options.stage, checkedAt: options.checkedAt,
            asOf: options.asOf, items: items.compactMap { results[$0] })
    }

    private func result(_ item: CheckItem, routed: [CheckDetail]) -> ItemResult {
        switch item {
        case .A1:
            let summary = evidence.fixityStatement ?? "every content file of every version hashed again: sha512 and sha256 match the inventory"
            return ItemResult(.A1, details: routed, summary: routed.isEmpty ? summary : "stored files do not match the inventory")
        case .A3: return properties(routed)
        case .A4:
            if let result = options.seals?.packageSeal(of: .dossier(id: id, version: evidence.version ?? currentHead(), inventorySHA512: inventoryDigest())) {
                return result
            }
            return ItemResult(.A4, .notRun, "not checked in the export itself: the bag's seal (tagmanifest-sha512.txt.sig) is made after this report; check it with verify-bundle --key or check --bag --key")
        case .A5: return values(routed)
        case .A6: return filers(routed)
        case .I1:
            let record = record()
            let bytes = record?.documents.reduce(Int64(0)) { $0 + $1.size } ?? 0
            let summary = "the object holds exactly the files its inventory lists (\(record?.documents.count ?? 0) documents, \(bytes) bytes in \(versions().last?.name ?? "the head"))"
            return ItemResult(.I1, details: routed, summary: routed.isEmpty ? summary : "the object's files differ from what its inventory lists")
        case .I2: return requiredFields()
        case .I3: return requiredPapers()
        case .I4: return history(routed)
        case .I5:
            return ItemResult(.I5, details: routed, summary: routed.isEmpty ? "each version's record lists exactly the documents of its state" : "a record and its version's state disagree")
        case .U1: return parsing(routed)
        case .S3: return audit.chainResult
        case .S4: return classified()
        case .A2, .U2, .U3, .U4, .S1, .S2:
            return ItemResult(item, .notRun, "not run")
        }
    }

    private func currentHead() -> VersionNumber {
        VersionNumber(versions().last?.number ?? 1)
    }

    private func inventoryDigest() -> String { (try? snapshot().get().inventoryDigest) ?? "" }

    // MARK: Content (A2, U2, U3, U4, S1, S2)

    private func contentResults(_ items: Set<CheckItem>, routed: [CheckItem: [CheckDetail]]) -> [ItemResult] {
        guard let record = record() else {
            let reason = snapshotProblem() ?? "the record cannot be read"
            return items.sorted().map { ItemResult($0, .notRun, "the documents cannot be found: \(reason)") }
        }
        // Text the index read from the same bytes stands only when A1 found every stored file intact.
        let indexed = (routed[.A1] ?? []).isEmpty ? evidence.indexed : nil
        var collected: [CheckItem: [CheckDetail]] = [:]
        let documents = record.documents.filter { options.contentOf?.contains($0.path) ?? true }
        // Papers are checked on every core (libmagic, PDF walks and signature checks are most of
        // a large filing's check), and their details collected in the record's order.
        let check = self
        try? orderedParallelMap(
            count: documents.count, workers: ProcessInfo.processInfo.activeProcessorCount, window: 64,
            produce: { index in check.details(of: documents[index], items: items, indexed: indexed?[documents[index].path]) },
            consume: { _, details in for (item, detail) in details { collected[item, default: []].append(detail) } })
        return items.sorted().map { ContentAggregate.result($0, collected[$0] ?? [], documents: documents.count, options: options) }
    }

    /// One paper's details for the content items.
    private func details(of entry: DocumentEntry, items: Set<CheckItem>, indexed: IndexedText?) -> [(CheckItem, CheckDetail)] {
        // U3 alone, from the index's text of the same bytes: the file need not be found or opened.
        if items == [.U3], let passed = DocumentChecks.indexedPass(
            PaperToCheck(label: entry.path, fileName: entry.fileName, indexed: indexed, sha512: entry.sha512.hex), options: options)
        {
            return [(.U3, passed)]
        }
        let details = withPaper(entry, indexed: indexed) { paper in DocumentChecks.run(paper, items: items, options: options) }
        return details.map { ($0.key, $0.value) }
    }

    /// Runs `body` with the document made readable: the stored file itself, or a classified
    /// paper decrypted into memory.
    private func withPaper<R>(_ entry: DocumentEntry, indexed: IndexedText?, _ body: (PaperToCheck) -> R) -> R {
        var paper = PaperToCheck(
            label: entry.path, fileName: entry.fileName, indexed: indexed, sha512: entry.sha512.hex,
            recordedSignatures: options.recordedSignatures?(entry))
        let content: StoredContent
        switch snapshot().flatMap({ snapshot in Result { () throws(StoreError) in try snapshot.content(entry.path) } }) {
        case .success(let found): content = found
        case .failure(let error):
            paper.unreadable = "the stored file cannot be found: \(error)"
            return body(paper)
        }
        guard let encryption = entry.encryption else {
            return content.withFilePath { path in
                paper.path = path
                return body(paper)
            }
        }
        paper.vaultEncryption = "stored encrypted by the vault (age, to \(encryption.readers.joined(separator: ", "))) for its classification"
        guard !options.identities.isEmpty else {
            paper.unreadable = "a classified paper stored encrypted: give --identity of a cleared reader to check its content"
            return body(paper)
        }
        do {
            let memory = try MemoryFile(name: "dossier-check")
            let input = try content.open()
            defer { input.closeQuietly() }
            try AgeFile.decrypt(with: options.identities, read: { try input.read(into: $0) }, write: { try memory.write($0) })
            paper.path = memory.path
            return withExtendedLifetime(memory) { body(paper) }
        } catch {
            paper.unreadable = "a classified paper that cannot be decrypted with the identity given: \(error)"
            return body(paper)
        }
    }

    private func snapshotProblem() -> String? {
        if case .failure(let error) = snapshot() { return error.description }
        return nil
    }

    // MARK: A3

    private func properties(_ routed: [CheckDetail]) -> ItemResult {
        guard let record = record() else { return ItemResult(.A3, .notRun, "the record cannot be read: \(snapshotProblem() ?? "unknown")") }
        var details = routed
        let versions = versions()
        let states: [String: Set<String>]
        if let snapshot = try? snapshot().get() {
            states = Dictionary(uniqueKeysWithValues: snapshot.versions.map { ($0.key.description, Set($0.value.files.values)) })
        } else {
            states = [:]
        }
        details += RecordChecks.namesAndFormats(record)
        for entry in record.documents {
            let filedIn = versions.filter { $0.created == entry.filedAt }
            if filedIn.isEmpty {
                details.append(CheckDetail(.failed, file: entry.path, "the record says it was filed at \(entry.filedAt), but no version was created then"))
            } else if !states.isEmpty, !filedIn.contains(where: { states[$0.name]?.contains(entry.sha512.hex) == true }) {
                details.append(CheckDetail(
                    .failed, file: entry.path,
                    "the record says it was filed at \(entry.filedAt) (\(filedIn.map(\.name).joined(separator: ", "))), but that version does not hold these bytes"))
            }
        }
        let summary = "\(record.documents.count) documents: name, size, sha512, format and filing time agree with the store"
        return ItemResult(.A3, details: details, summary: details.isEmpty ? summary : "a document's properties disagree with its record")
    }

    // MARK: A5 and I2

    private func values(_ routed: [CheckDetail]) -> ItemResult {
        guard let record = record() else { return ItemResult(.A5, .failed, "the record does not decode: \(snapshotProblem() ?? "unknown")") }
        let details = routed + RecordChecks.values(record)
        return ItemResult(.A5, details: details, summary: details.isEmpty ? RecordChecks.valuesSummary : "a metadata value is wrong")
    }

    private func requiredFields() -> ItemResult {
        guard let record = record() else { return ItemResult(.I2, .notRun, "the record cannot be read: \(snapshotProblem() ?? "unknown")") }
        let details = RecordChecks.requiredFields(record, units: options.units)
        return ItemResult(.I2, details: details, summary: details.isEmpty ? RecordChecks.requiredSummary : "a required field is not filled")
    }

    // MARK: A6 and I4

    private func filers(_ routed: [CheckDetail]) -> ItemResult {
        let versions = versions()
        var details = routed
        var compared = 0
        let lines = audit.filings[id.rawValue] ?? []
        for version in versions {
            if version.userName?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
                details.append(CheckDetail(.failed, file: "\(version.name)", "the inventory records no filer (user.name)"))
            }
            if let address = version.userAddress, !address.hasPrefix("mailto:") {
                details.append(CheckDetail(.failed, file: "\(version.name)", "user.address \"\(address)\" is not a mailto: URI"))
            }
            guard let line = lines.last(where: { $0.fields["version"]?.stringValue == version.name }) else { continue }
            compared += 1
            let at = line.at
            let name = line.fields["by"]?["name"]?.stringValue
            let address = line.fields["by"]?["address"]?.stringValue
            if at != version.created || name != version.userName || address != version.userAddress {
                details.append(CheckDetail(
                    .failed, file: version.name,
                    "the inventory says \(version.userName ?? "nobody") <\(version.userAddress ?? "")> filed it at \(version.created ?? "?"); "
                        + "audit line \(line.number ?? line.line) says \(name ?? "nobody") <\(address ?? "")> at \(at ?? "?")"))
            }
        }
        if let unreadable = audit.unreadable { details.append(CheckDetail(.notRun, file: "audit.log", "the audit log cannot be read: \(unreadable)")) }
        let summary = "\(versions.count) version\(versions.count == 1 ? "" : "s"): filer and time recorded; \(compared) agree with their audit lines"
        return ItemResult(.A6, details: details, summary: details.isEmpty ? summary : "who filed a version, or when, is not recorded consistently")
    }

    private func history(_ routed: [CheckDetail]) -> ItemResult {
        let versions = versions()
        var details = routed
        let numbers = versions.map(\.number)
        if let highest = numbers.max() {
            let missing = Set(1...highest).subtracting(numbers).sorted()
            if !missing.isEmpty, !routed.contains(where: { $0.reason.hasPrefix("E010") }) {
                details.append(CheckDetail(.failed, file: "inventory.json", "versions \(missing.map { "v\($0)" }.joined(separator: ", ")) are missing"))
            }
        }
        if let unreadable = audit.unreadable {
            details.append(CheckDetail(.notRun, file: "audit.log", "the audit log cannot be read: \(unreadable)"))
        } else {
            let lines = audit.filings[id.rawValue] ?? []
            let recorded = Set(lines.compactMap { $0.fields["version"]?.stringValue })
            for version in versions where !recorded.contains(version.name) {
                details.append(CheckDetail(.failed, file: version.name, "no filing line in the audit log records \(version.name)"))
            }
            let known = Set(versions.map(\.name))
            let head = evidence.version?.number
            for line in lines {
                guard let name = line.fields["version"]?.stringValue, !known.contains(name) else { continue }
                if let head, let number = VersionNumber(name), number.number > head { continue }
                details.append(CheckDetail(.failed, file: "audit.log", "line \(line.number ?? line.line) records the filing of \(name), which the dossier does not have"))
            }
        }
        let summary = "v1…v\(numbers.max() ?? 0) without a gap, each with its filing line in the audit log"
        return ItemResult(.I4, details: details, summary: details.isEmpty ? summary : "the history has a gap")
    }

    // MARK: I3

    private func requiredPapers() -> ItemResult {
        guard let profile else { return ItemResult(.I3, .notRun, "no policy profile to judge by") }
        let snapshot: DossierSnapshot
        switch self.snapshot() {
        case .success(let found): snapshot = found
        case .failure(let error): return ItemResult(.I3, .notRun, "the dossier cannot be read: \(error)")
        }
        let verdict: Verdict
        do { verdict = try Judge(profile: profile, asOf: options.asOf).verdict(of: snapshot) } catch {
            return ItemResult(.I3, .notRun, "the dossier's history cannot be read: \(error)")
        }
        let findings = verdict.findings.filter { Self.requiredPaperRules.contains($0.rule) && $0.severity != .info }
        let details = findings.map { finding in
            CheckDetail(finding.severity == .error ? .failed : .warning, file: finding.documents.first?.path, "\(finding.rule.rawValue): \(finding.message)")
        }
        let rules = "R03, R04, R11–R18"
        let summary = "the papers the plan requires (\(rules)) are filed, as of \(options.asOf)"
        return ItemResult(.I3, details: details, summary: details.isEmpty ? summary : "papers the plan requires are missing or out of order (\(rules), as of \(options.asOf))")
    }

    /// The rules that say which papers a case needs (FOUR-PROPERTIES.md, I3).
    static let requiredPaperRules: Set<RuleID> = [.r03, .r04, .r11, .r12, .r13, .r14, .r15, .r16, .r17, .r18]

    // MARK: U1

    private func parsing(_ routed: [CheckDetail]) -> ItemResult {
        var details = routed
        if evidence.observation == nil || evidence.version != nil, case .failure(let error) = snapshot(),
            !routed.contains(where: { $0.outcome == .failed })
        {
            details.append(CheckDetail(.failed, file: nil, "the dossier cannot be read: \(error)"))
        }
        let summary = "inventory.json, its sidecar and every version's dossier.json parse"
        return ItemResult(.U1, details: details, summary: details.isEmpty ? summary : "a metadata file does not parse")
    }

    // MARK: S4

    private func classified() -> ItemResult {
        guard let record = record() else { return ItemResult(.S4, .notRun, "the record cannot be read: \(snapshotProblem() ?? "unknown")") }
        guard record.classification != .none else { return ItemResult(.S4, .notApplicable, "not classified") }
        let snapshot: DossierSnapshot
        switch self.snapshot() {
        case .success(let found): snapshot = found
        case .failure(let error): return ItemResult(.S4, .notRun, "the dossier cannot be read: \(error)")
        }
        var details: [CheckDetail] = []
        var papers = 0
        let header = Array("age-encryption.org/v1\n".utf8)
        for number in snapshot.versions.keys.sorted() {
            guard let versionRecord = try? snapshot.record(at: number) else {
                details.append(CheckDetail(.notRun, file: number.description, "the record of \(number) cannot be read"))
                continue
            }
            for entry in versionRecord.documents {
                papers += 1
                let label = "\(number) \(entry.path)"
                guard entry.encryption != nil else {
                    details.append(CheckDetail(.failed, file: label, "the record says it is stored in the clear"))
                    continue
                }
                guard let content = try? snapshot.content(entry.path, at: number), let input = try? content.open() else {
                    details.append(CheckDetail(.notRun, file: label, "the stored file cannot be opened"))
                    continue
                }
                var buffer = [UInt8](repeating: 0, count: header.count)
                let count = buffer.withUnsafeMutableBytes { (try? input.read(into: $0, at: 0)) ?? 0 }
                input.closeQuietly()
                if count != header.count || buffer != header {
                    details.append(CheckDetail(.failed, file: label, "the record says it is encrypted, but the stored file is not an age file"))
                }
            }
        }
        let reads = audit.reads[id.rawValue] ?? []
        for line in reads {
            let who = line.fields["by"]?["name"]?.stringValue ?? ""
            let why = line.fields["reason"]?.stringValue ?? ""
            if who.isEmpty || why.isEmpty {
                details.append(CheckDetail(
                    .failed, file: "audit.log",
                    "line \(line.number ?? line.line) records a \(line.fields["action"]?.stringValue ?? "read") without \(who.isEmpty ? "who" : "why")"))
            }
        }
        let summary = "classified \(record.classification.rawValue): \(papers) papers in \(snapshot.versions.count) versions stored encrypted (age); \(reads.count) reads and exports logged with who and why"
        return ItemResult(.S4, details: details, summary: details.isEmpty ? summary : "a classified paper is not kept as it must be")
    }
}

/// A dossier's snapshot, read once and only when some item needs it.
final class SnapshotLoader: @unchecked Sendable {
    // `@unchecked Sendable`: `value` is written once, under `lock`.
    private let lock = NSLock()
    private var value: Result<DossierSnapshot, StoreError>?

    init(_ snapshot: DossierSnapshot? = nil) { value = snapshot.map { .success($0) } }

    func get(_ load: () throws(StoreError) -> DossierSnapshot) -> Result<DossierSnapshot, StoreError> {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let loaded = Result(catching: load)
        value = loaded
        return loaded
    }
}

/// The item results of the content items, from each document's detail.
enum ContentAggregate {
    static func result(_ item: CheckItem, _ details: [CheckDetail], documents: Int, options: FourPropertiesOptions) -> ItemResult {
        guard documents > 0 else { return ItemResult(item, .notApplicable, "no documents") }
        if item == .S2, options.scanner == nil {
            return ItemResult(.S2, .notRun, "no virus signature database was given (--clamav-db DIR); Debian ships none offline")
        }
        if item == .A2, details.allSatisfy({ $0.outcome == .notApplicable }) {
            return ItemResult(.A2, .notApplicable, "no document carries an e-signature or a seal")
        }
        var counts: [CheckOutcome: Int] = [:]
        // A2 counts the signed documents only: the others are not applicable to it.
        for detail in details where item != .A2 || detail.outcome != .notApplicable { counts[detail.outcome, default: 0] += 1 }
        let parts = CheckOutcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        let noun = item == .A2 ? "signed documents" : "documents"
        let signed = item == .A2 ? details.filter { $0.outcome != .notApplicable }.count : documents
        let summary = "\(signed) \(signed == 1 ? String(noun.dropLast()) : noun): \(parts.joined(separator: ", "))"
        return ItemResult(item, details: details.filter { $0.outcome != .notApplicable }, summary: summary)
    }
}
