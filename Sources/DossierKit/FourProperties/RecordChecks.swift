import DossierModel

/// The checks of a record (`dossier.json`) that do not need the store: the same for a dossier in
/// the vault and for `metadata/dossier.json` in a bag.
enum RecordChecks {
    static let valuesSummary = "every value of the record has its type, length and range; every date is a real date, every id well formed"
    static let requiredSummary = "the record's required fields and every document's required facts are filled"

    /// A5: values of the right type, length and range (beyond what decoding the record checks).
    static func values(_ record: DossierRecord) -> [CheckDetail] {
        var details: [CheckDetail] = []
        let file = LogicalPath.record
        for (index, completer) in record.completers.enumerated() {
            if let share = completer.share, !(0...100).contains(share) {
                details.append(CheckDetail(.failed, file: file, "completers[\(index)].share is \(share); a share is 0 to 100 percent"))
            }
        }
        if let secrecy = record.secrecy, let from = secrecy.classifiedOn, let until = secrecy.until, until < from {
            details.append(CheckDetail(.failed, file: file, "secrecy.until \(until) is before secrecy.classifiedOn \(from)"))
        }
        if record.title.count > 500 {
            details.append(CheckDetail(.failed, file: file, "title is \(record.title.count) characters long; at most 500 are expected"))
        }
        for entry in record.documents {
            if entry.size < 0 { details.append(CheckDetail(.failed, file: entry.path, "size is \(entry.size); a size is 0 or more bytes")) }
            if case .failure(let problem) = Timestamp.parse(entry.filedAt) {
                details.append(CheckDetail(.failed, file: entry.path, "filedAt \"\(entry.filedAt)\" is not an RFC 3339 time: \(problem)"))
            }
            if let problem = factProblem(entry), !problem.isMissing {
                details.append(CheckDetail(.failed, file: entry.path, problem.text))
            }
        }
        return details
    }

    /// I2: required fields filled.
    static func requiredFields(_ record: DossierRecord, units: [String]?) -> [CheckDetail] {
        var details: [CheckDetail] = []
        let file = LogicalPath.record
        if record.title.allSatisfy(\.isWhitespace) { details.append(CheckDetail(.failed, file: file, "title is empty")) }
        if record.unit.isEmpty {
            details.append(CheckDetail(.failed, file: file, "unit is empty"))
        } else if let units, !units.contains(record.unit) {
            details.append(CheckDetail(.failed, file: file, "unit \"\(record.unit)\" is not one of the vault's units (\(units.joined(separator: ", ")))"))
        }
        if record.completers.isEmpty {
            details.append(CheckDetail(.failed, file: file, "completers is empty: the team that completed the achievement is not recorded"))
        } else if record.representative == nil {
            details.append(CheckDetail(.warning, file: file, "no completer is marked as the team's representative"))
        }
        if record.classification != .none, record.secrecy == nil {
            details.append(CheckDetail(.failed, file: file, "classified \(record.classification.rawValue), but secrecy (period and readers) is not filled"))
        }
        for entry in record.documents {
            if entry.filedBy.allSatisfy(\.isWhitespace) { details.append(CheckDetail(.failed, file: entry.path, "filedBy is empty")) }
            if let problem = factProblem(entry), problem.isMissing { details.append(CheckDetail(.failed, file: entry.path, problem.text)) }
        }
        return details
    }

    /// The first problem with a document's facts, as filing checks them (FORMATS.md §4): a
    /// missing one (I2) or a wrong one (A5).
    static func factProblem(_ entry: DocumentEntry) -> (text: String, isMissing: Bool)? {
        do {
            _ = try FactSchema.validate(FieldReader(file: entry.path, value: .object(entry.facts), path: "facts"), kind: entry.kind)
            return nil
        } catch {
            return ("\(error.field): \(error.problem)", error.problem.hasPrefix("missing"))
        }
    }

    /// A3's checks of the record against itself: the path names the kind and the file, in NFC;
    /// the media type is the name's.
    static func namesAndFormats(_ record: DossierRecord) -> [CheckDetail] {
        var details: [CheckDetail] = []
        for entry in record.documents {
            let expectedPath = DocumentEntry.logicalPath(kind: entry.kind, fileName: entry.fileName)
            if entry.path != entry.path.precomposedNFC {
                details.append(CheckDetail(.failed, file: entry.path, "the name is not in Unicode NFC, as the vault writes names"))
            } else if entry.path != expectedPath {
                details.append(CheckDetail(.failed, file: entry.path, "the record files it as \(entry.kind.rawValue), but its path says otherwise (expected \(expectedPath))"))
            }
            let byName = MediaType.forFileName(entry.fileName)
            if entry.mediaType != byName {
                details.append(CheckDetail(.failed, file: entry.path, "the record gives the format \(entry.mediaType), but the file's name gives \(byName)"))
            }
        }
        return details
    }
}
