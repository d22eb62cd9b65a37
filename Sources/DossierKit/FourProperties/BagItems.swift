import DossierModel

/// The items of a bag that do not read payload content: from BagIt's own rules (what
/// ``BagVerifier`` found) and, for this vault's exports, from the tag files it writes
/// (`metadata/dossier.json`, `history.json`, `inventory.json`, `validation.json`).
struct BagItems {
    let bag: ReceivedBag
    let options: FourPropertiesOptions
    let profile: Profile?
    /// The bag's record, decoded, or why it is not.
    let record: Result<DossierRecord, FieldError>?
    /// Versions of `metadata/history.json`: name, created, user name and address.
    let history: [ObservedVersion]?
    let historyProblem: String?
    /// Versions of `metadata/inventory.json`.
    let inventoryVersions: [ObservedVersion]?
    let inventoryProblem: String?

    static let foreign = "a bag from another system: it carries no dossier record, history or profile to check this against"

    init(bag: ReceivedBag, options: FourPropertiesOptions, profile: Profile?) {
        self.bag = bag
        self.options = options
        self.profile = profile
        guard bag.isDossierBag else {
            record = nil
            history = nil
            historyProblem = nil
            inventoryVersions = nil
            inventoryProblem = nil
            return
        }
        if let bytes = bag.tagFiles["metadata/dossier.json"] {
            record = Result { () throws(FieldError) in try RecordCodec.decodeRecord(try FieldReader.parse(file: "metadata/dossier.json", data: bytes)) }
        } else {
            record = .failure(FieldError(file: "metadata/dossier.json", field: "", problem: "missing from the bag"))
        }
        (history, historyProblem) = Self.versions(bag.tagFiles["metadata/history.json"], file: "metadata/history.json") { json in
            json.arrayValue?.map { ($0["version"]?.stringValue, $0) }
        }
        (inventoryVersions, inventoryProblem) = Self.versions(bag.tagFiles["metadata/inventory.json"], file: "metadata/inventory.json") { json in
            json["versions"]?.objectValue.map { object in object.map { ($0.key, $0.value) } }
        }
    }

    /// Versions read from a JSON tag file.
    static func versions(
        _ bytes: [UInt8]?, file: String, _ blocks: (JSONValue) -> [(String?, JSONValue)]?
    ) -> ([ObservedVersion]?, String?) {
        guard let bytes else { return (nil, "\(file) is missing from the bag") }
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { return (nil, "\(file) does not parse: \(error)") }
        guard let entries = blocks(json) else { return (nil, "\(file) does not list versions") }
        var versions: [ObservedVersion] = []
        for (name, block) in entries {
            guard let name, let number = VersionNumber(name) else { return (nil, "\(file): \"\(name ?? "null")\" is not a version name") }
            versions.append(ObservedVersion(
                name: name, number: number.number, created: block["created"]?.stringValue, userName: block["user"]?["name"]?.stringValue,
                userAddress: block["user"]?["address"]?.stringValue))
        }
        return (versions.sorted { $0.number < $1.number }, nil)
    }

    func result(_ item: CheckItem) -> ItemResult {
        switch item {
        case .A1: return problems(.A1, .fixity, summary: "every payload and tag file matches the checksums of every manifest (\(bag.report.manifests.joined(separator: ", ")))")
        case .I1:
            return problems(.I1, .completeness, summary: "\(bag.report.payloadFiles) payload files, \(bag.report.payloadBytes) bytes, as the manifests and Payload-Oxum declare")
        case .U1: return parsing()
        case .A4:
            if let result = options.seals?.packageSeal(of: .bag(path: bag.path, tagFiles: bag.tagFiles)) { return result }
            return bag.isDossierBag
                ? ItemResult(.A4, .notRun, "no seal: this export carries no seal over its tag manifest (sealed exports are not in this vault yet)")
                : ItemResult(.A4, .notApplicable, "a bag from another system carries no seal; BagIt defines none (its manifests are A1)")
        case .S3:
            if let result = options.seals?.sealedAuditHead(of: .bag(path: bag.path, tagFiles: bag.tagFiles)) { return result }
            return bag.isDossierBag
                ? ItemResult(.S3, .notRun, "no sealed audit head: this export does not carry the vault's audit log head yet")
                : ItemResult(.S3, .notApplicable, "a bag from another system carries no audit log")
        case .A5: return values()
        default:
            guard bag.isDossierBag else { return ItemResult(item, .notApplicable, Self.foreign) }
            switch item {
            case .A3: return properties()
            case .A6: return filers()
            case .I2: return requiredFields()
            case .I3: return requiredPapers()
            case .I4: return continuity()
            case .I5: return listed()
            case .S4: return classified()
            default: return ItemResult(item, .notRun, "not run")
            }
        }
    }

    private func problems(_ item: CheckItem, _ aspect: BagProblem.Aspect, summary: String) -> ItemResult {
        let details = bag.report.errors.filter { $0.aspect == aspect }.map { CheckDetail(.failed, file: $0.file.isEmpty ? nil : $0.file, $0.problem) }
            + bag.report.warnings.filter { $0.aspect == aspect }.map { CheckDetail(.warning, file: $0.file.isEmpty ? nil : $0.file, $0.problem) }
        return ItemResult(item, details: details, summary: details.contains { $0.outcome == .failed } ? "the bag does not hold what it declares" : summary)
    }

    // MARK: U1, A5

    private func parsing() -> ItemResult {
        var details = bag.report.errors.filter { $0.aspect == .structure }.map { CheckDetail(.failed, file: $0.file.isEmpty ? nil : $0.file, $0.problem) }
            + bag.report.warnings.filter { $0.aspect == .structure }.map { CheckDetail(.warning, file: $0.file.isEmpty ? nil : $0.file, $0.problem) }
        if bag.isDossierBag {
            if case .failure(let error)? = record { details.append(CheckDetail(.failed, file: "metadata/dossier.json", error.description)) }
            if let historyProblem { details.append(CheckDetail(.failed, file: "metadata/history.json", historyProblem)) }
            if let inventoryProblem { details.append(CheckDetail(.failed, file: "metadata/inventory.json", inventoryProblem)) }
            if let bytes = bag.tagFiles["metadata/validation.json"], (try? JSONValue.parse(bytes)) == nil {
                details.append(CheckDetail(.failed, file: "metadata/validation.json", "does not parse as JSON"))
            }
        }
        let what = bag.isDossierBag ? "bagit.txt, bag-info.txt, the manifests and metadata/*.json parse" : "bagit.txt, bag-info.txt and the manifests parse"
        return ItemResult(.U1, details: details, summary: details.contains { $0.outcome == .failed } ? "a tag file does not parse" : what)
    }

    private func values() -> ItemResult {
        var details: [CheckDetail] = []
        let file = "bag-info.txt"
        for (label, value) in bag.bagInfoFields {
            switch label.lowercased() {
            case "bagging-date":
                if LocalDate(value) == nil { details.append(CheckDetail(.failed, file: file, "Bagging-Date \"\(value)\" is not a real date YYYY-MM-DD")) }
            case "payload-oxum":
                let parts = value.split(separator: ".", omittingEmptySubsequences: false)
                if parts.count != 2 || Int64(parts[0]) == nil || Int(parts[1]) == nil {
                    details.append(CheckDetail(.failed, file: file, "Payload-Oxum \"\(value)\" is not octets.files"))
                }
            default: break
            }
        }
        if bag.isDossierBag {
            let checks: [(String, (String) -> Bool, String)] = [
                ("External-Identifier", { DossierID($0) != nil }, "a dossier id"),
                ("Dossier-Version", { VersionNumber($0) != nil }, "a version vN"),
                ("Classification", { Classification(rawValue: $0) != nil }, "one of \(Classification.allCases.map(\.rawValue).joined(separator: ", "))"),
                ("Dossier-Status", { DossierStatus(rawValue: $0) != nil }, "one of \(DossierStatus.allCases.map(\.rawValue).joined(separator: ", "))"),
            ]
            for (label, valid, expected) in checks {
                if let value = bag.bagInfo(label), !valid(value) {
                    details.append(CheckDetail(.failed, file: file, "\(label) \"\(value)\" is not \(expected)"))
                }
            }
            if case .success(let record)? = record {
                details += RecordChecks.values(record).map { CheckDetail($0.outcome, file: $0.file.map { "metadata/\($0)" }, $0.reason) }
                if let identifier = bag.bagInfo("External-Identifier"), identifier != record.id.rawValue {
                    details.append(CheckDetail(.failed, file: file, "External-Identifier \(identifier) is not the record's id \(record.id)"))
                }
            }
        }
        let summary = bag.isDossierBag
            ? "bag-info's values and the record's are of the right type, length and range; dates are real, ids well formed"
            : "bag-info's dates are real dates and Payload-Oxum is octets.files"
        return ItemResult(.A5, details: details, summary: details.isEmpty ? summary : "a metadata value is wrong")
    }

    // MARK: Dossier bags only

    /// The record's documents with where each is in the bag.
    private func placements(_ record: DossierRecord) -> [(entry: DocumentEntry, bagPath: String)] {
        var renamed: [String: String] = [:]
        if let bytes = bag.tagFiles["metadata/payload-names.json"], let names = try? JSONValue.parse(bytes), let list = names.arrayValue {
            for item in list {
                if let from = item["path"]?.stringValue, let to = item["bagPath"]?.stringValue { renamed[from] = to }
            }
        }
        return record.documents.map { ($0, renamed[$0.path] ?? "data/\($0.path)") }
    }

    /// The record, or the item's result when there is none to check.
    private func recordOrNotRun(_ item: CheckItem) -> (record: DossierRecord?, result: ItemResult?) {
        switch record {
        case .success(let found)?: return (found, nil)
        case .failure(let error)?: return (nil, ItemResult(item, .notRun, "metadata/dossier.json cannot be read: \(error)"))
        case nil: return (nil, ItemResult(item, .notApplicable, Self.foreign))
        }
    }

    private func properties() -> ItemResult {
        let found = recordOrNotRun(.A3)
        guard let record = found.record else { return found.result ?? ItemResult(.A3, .notRun, "no record") }
        var details = RecordChecks.namesAndFormats(record).map { CheckDetail($0.outcome, file: "metadata/dossier.json \($0.file ?? "")", $0.reason) }
        let sha512 = manifest("sha512")
        let encrypted = bag.payloadEncryption?.lowercased() == "age"
        let created = Set((history ?? []).compactMap(\.created))
        for (entry, bagPath) in placements(record) {
            guard let size = bag.payloadSize(bagPath) else { continue }  // I5 reports it missing
            let expected = entry.encryption?.size ?? entry.size
            if !encrypted, size != expected {
                details.append(CheckDetail(.failed, file: bagPath, "the record gives \(expected) bytes, the bag holds \(size)"))
            }
            if entry.encryption == nil, !encrypted, let listed = sha512[bagPath], listed != entry.sha512.hex {
                details.append(CheckDetail(.failed, file: bagPath, "the record gives sha512 \(entry.sha512.short), manifest-sha512.txt \(listed.shortDigest)"))
            }
            if history != nil, !created.contains(entry.filedAt) {
                details.append(CheckDetail(.failed, file: bagPath, "the record says it was filed at \(entry.filedAt), but no version of metadata/history.json was created then"))
            }
        }
        let summary = "\(record.documents.count) documents: name, size, sha512, format and filing time agree with the record"
        return ItemResult(.A3, details: details, summary: details.isEmpty ? summary : "a document's properties disagree with its record")
    }

    /// A payload manifest's lines: bag path → checksum.
    private func manifest(_ algorithm: String) -> [String: String] {
        guard let bytes = bag.tagFiles["manifest-\(algorithm).txt"], let text = String(validating: bytes, as: UTF8.self) else { return [:] }
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            let path = BagText.decodePath(String(parts[1]).trimmingCharacters(in: .whitespaces)).path ?? String(parts[1])
            result[path] = String(parts[0]).lowercased()
        }
        return result
    }

    private func filers() -> ItemResult {
        guard let history else { return ItemResult(.A6, .failed, historyProblem ?? "metadata/history.json cannot be read") }
        var details: [CheckDetail] = []
        let inventory = Dictionary((inventoryVersions ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for version in history {
            if version.userName?.allSatisfy(\.isWhitespace) ?? true {
                details.append(CheckDetail(.failed, file: "metadata/history.json", "\(version.name) records no filer"))
            }
            if version.created.map({ if case .success = Timestamp.parse($0) { true } else { false } }) != true {
                details.append(CheckDetail(.failed, file: "metadata/history.json", "\(version.name) records no valid time (\(version.created ?? "none"))"))
            }
            if let other = inventory[version.name], other.created != version.created || other.userName != version.userName || other.userAddress != version.userAddress {
                details.append(CheckDetail(
                    .failed, file: "metadata/history.json",
                    "\(version.name): history.json says \(version.userName ?? "nobody") at \(version.created ?? "?"), inventory.json \(other.userName ?? "nobody") at \(other.created ?? "?")"))
            }
        }
        let summary = "\(history.count) versions: filer and time recorded, the same in history.json and inventory.json (the vault's audit log is not in the bag)"
        return ItemResult(.A6, details: details, summary: details.isEmpty ? summary : "who filed a version, or when, is not recorded consistently")
    }

    private func requiredFields() -> ItemResult {
        let found = recordOrNotRun(.I2)
        guard let record = found.record else { return found.result ?? ItemResult(.I2, .notRun, "no record") }
        var details = RecordChecks.requiredFields(record, units: nil).map { CheckDetail($0.outcome, file: $0.file.map { "metadata/\($0)" }, $0.reason) }
        for label in ["Source-Organization", "External-Identifier", "Bagging-Date", "Payload-Oxum", "Dossier-Version", "Classification"] {
            if bag.bagInfo(label)?.isEmpty ?? true { details.append(CheckDetail(.failed, file: "bag-info.txt", "\(label) is missing or empty")) }
        }
        return ItemResult(.I2, details: details, summary: details.isEmpty ? "bag-info's and the record's required fields are filled" : "a required field is not filled")
    }

    private func requiredPapers() -> ItemResult {
        let found = recordOrNotRun(.I3)
        guard let record = found.record else { return found.result ?? ItemResult(.I3, .notRun, "no record") }
        var chosen = profile
        if chosen == nil, let bytes = bag.tagFiles["metadata/validation.json"], let id = (try? JSONValue.parse(bytes))?["profile"]?.stringValue {
            chosen = Profile.builtIn(id)
        }
        guard let profile = chosen else { return ItemResult(.I3, .notRun, "no policy profile: metadata/validation.json names none built into this program") }
        let head = bag.bagInfo("Dossier-Version").flatMap(VersionNumber.init) ?? VersionNumber(history?.last?.number ?? 1)
        let verdict = Judge(profile: profile, asOf: options.asOf).verdict(of: RuleSubject(record: record, history: DossierHistory(head: head)))
        let findings = verdict.findings.filter { DossierCheck.requiredPaperRules.contains($0.rule) && $0.severity != .info }
        let details = findings.map { CheckDetail($0.severity == .error ? .failed : .warning, file: $0.documents.first.map { "data/\($0.path)" }, "\($0.rule.rawValue): \($0.message)") }
        let summary = "the papers the plan requires (R03, R04, R11–R18) are in the bag, as of \(options.asOf) (profile \(profile.id))"
        return ItemResult(.I3, details: details, summary: details.isEmpty ? summary : "papers the plan requires are missing or out of order, as of \(options.asOf)")
    }

    private func continuity() -> ItemResult {
        guard let history else { return ItemResult(.I4, .failed, historyProblem ?? "metadata/history.json cannot be read") }
        var details: [CheckDetail] = []
        let numbers = history.map(\.number)
        let declared = bag.bagInfo("Dossier-Version").flatMap(VersionNumber.init)?.number
        let highest = max(numbers.max() ?? 0, declared ?? 0)
        let missing = Set(1...max(highest, 1)).subtracting(numbers).sorted()
        if !missing.isEmpty { details.append(CheckDetail(.failed, file: "metadata/history.json", "versions \(missing.map { "v\($0)" }.joined(separator: ", ")) are missing")) }
        if let declared, numbers.max() != declared {
            details.append(CheckDetail(.failed, file: "metadata/history.json", "ends at v\(numbers.max() ?? 0), but bag-info's Dossier-Version is v\(declared)"))
        }
        if let inventoryVersions, Set(inventoryVersions.map(\.number)) != Set(numbers) {
            details.append(CheckDetail(.failed, file: "metadata/inventory.json", "lists versions \(inventoryVersions.map(\.name).joined(separator: ", ")), history.json \(history.map(\.name).joined(separator: ", "))"))
        }
        let summary = "v1…v\(numbers.max() ?? 0) without a gap in history.json and inventory.json"
        return ItemResult(.I4, details: details, summary: details.isEmpty ? summary : "the history has a gap")
    }

    private func listed() -> ItemResult {
        let found = recordOrNotRun(.I5)
        guard let record = found.record else { return found.result ?? ItemResult(.I5, .notRun, "no record") }
        var details: [CheckDetail] = []
        let placed = placements(record)
        let expected = Set(placed.map(\.bagPath))
        for (entry, bagPath) in placed where bag.payloadSize(bagPath) == nil {
            details.append(CheckDetail(.failed, file: bagPath, "the record lists \(entry.path), which the bag does not hold"))
        }
        for path in bag.payloadPaths where !expected.contains(path) {
            details.append(CheckDetail(.failed, file: path, "the bag holds it, but the record does not list it"))
        }
        let summary = "the \(record.documents.count) documents the record lists are the bag's payload, and nothing else is"
        return ItemResult(.I5, details: details, summary: details.isEmpty ? summary : "the record and the payload disagree")
    }

    private func classified() -> ItemResult {
        let level = bag.bagInfo("Classification").flatMap(Classification.init(rawValue:)) ?? .none
        guard level != .none else { return ItemResult(.S4, .notApplicable, "not classified") }
        switch bag.payloadEncryption?.lowercased() {
        case "age"?:
            return ItemResult(.S4, .passed, "classified \(level.rawValue): its papers travel encrypted to the receiving auditor (age); reads are logged in the exporting vault's audit log, which is not in the bag")
        case "none"?:
            return ItemResult(.S4, .warning, "classified \(level.rawValue), and exported with its papers in the clear at the exporter's request (recorded in the exporting vault's audit log)",
                details: [CheckDetail(.warning, file: "bag-info.txt", "Payload-Encryption: none")])
        default:
            return ItemResult(.S4, .failed, "classified \(level.rawValue), but bag-info.txt does not say how its papers are protected (Payload-Encryption)",
                details: [CheckDetail(.failed, file: "bag-info.txt", "Payload-Encryption is missing")])
        }
    }
}

extension ReceivedBag {
    /// Every payload file (bag-relative), from the manifests' view of the bag.
    var payloadPaths: [String] { payloadSizes.keys.sorted() }

    func payloadSize(_ path: String) -> Int64? { payloadSizes[path] }
}
