import DossierModel

/// The index of a set of exported bags (`export-index.json` in the set's folder): one entry per
/// bag with the dossier, version and the sha256 of its `tagmanifest-sha512.txt`, sealed like
/// the bags themselves (`export-index.json.sig`). A bag swapped, altered, added or taken away
/// is found against it.
public struct ExportSetIndex: Sendable, Equatable {
    /// One bag of the set.
    public struct Entry: Sendable, Equatable {
        /// The archive's file name inside the set's folder.
        public var file: String
        public var dossier: String
        public var version: String
        public var archiveBytes: Int64
        /// `octets.files`, as Payload-Oxum.
        public var payload: String
        public var tagManifestSHA256: String
        public var status: String
        public var classification: String

        public init(file: String, dossier: String, version: String, archiveBytes: Int64, payload: String, tagManifestSHA256: String, status: String, classification: String) {
            self.file = file
            self.dossier = dossier
            self.version = version
            self.archiveBytes = archiveBytes
            self.payload = payload
            self.tagManifestSHA256 = tagManifestSHA256
            self.status = status
            self.classification = classification
        }
    }

    public static let fileName = "export-index.json"
    public static let sealFileName = "export-index.json.sig"
    static let format = "dossier-export-set 1"

    public var organisation: String
    /// What was asked for: `{"unit": …, "year": …}` or `{"dossiers": […]}`.
    public var selection: JSONObject
    public var asOf: String
    public var exportedAt: String
    /// `{"algorithm": …, "key": "sha256:…"}` of the seal.
    public var seal: JSONObject?
    public var bags: [Entry]

    public init(organisation: String, selection: JSONObject, asOf: String, exportedAt: String, seal: JSONObject?, bags: [Entry]) {
        self.organisation = organisation
        self.selection = selection
        self.asOf = asOf
        self.exportedAt = exportedAt
        self.seal = seal
        self.bags = bags
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["format"] = .string(Self.format)
        object["organisation"] = .string(organisation)
        object["selection"] = .object(selection)
        object["asOf"] = .string(asOf)
        object["exportedAt"] = .string(exportedAt)
        if let seal { object["seal"] = .object(seal) }
        object["bags"] = .array(bags.map { entry in
            [
                "file": .string(entry.file), "dossier": .string(entry.dossier), "version": .string(entry.version),
                "bytes": .number(Double(entry.archiveBytes)), "payload": .string(entry.payload),
                "tagManifestSHA256": .string(entry.tagManifestSHA256), "status": .string(entry.status),
                "classification": .string(entry.classification),
            ]
        })
        return .object(object)
    }

    /// Reads an index, naming the field that is wrong.
    public init(bytes: [UInt8], file: String = fileName) throws(FieldError) {
        let reader = try FieldReader.parse(file: file, data: bytes)
        _ = try reader.object(allowing: ["format", "organisation", "selection", "asOf", "exportedAt", "seal", "bags"])
        let formatField = try reader.required("format")
        let format = try formatField.string()
        guard format == Self.format else { throw formatField.fail("expected \"\(Self.format)\", got \"\(format)\"") }
        var entries: [Entry] = []
        for entry in try reader.required("bags").array() {
            _ = try entry.object(allowing: ["file", "dossier", "version", "bytes", "payload", "tagManifestSHA256", "status", "classification"])
            let fileField = try entry.required("file")
            let file = try fileField.string()
            guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                throw fileField.fail("expected a file name inside the set's folder, got \"\(file)\"")
            }
            let digestField = try entry.required("tagManifestSHA256")
            let digest = try digestField.string()
            guard digest.utf8.count == 64, digest.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw digestField.fail("expected 64 lowercase hexadecimal digits, got \"\(digest)\"")
            }
            entries.append(Entry(
                file: file, dossier: try entry.required("dossier").string(), version: try entry.required("version").string(),
                archiveBytes: Int64(try entry.required("bytes").number()), payload: try entry.required("payload").string(),
                tagManifestSHA256: digest, status: try entry.required("status").string(),
                classification: try entry.required("classification").string()))
        }
        self.init(
            organisation: try reader.required("organisation").string(), selection: try reader.required("selection").object(),
            asOf: try reader.required("asOf").string(), exportedAt: try reader.required("exportedAt").string(),
            seal: try reader.optional("seal")?.object(), bags: entries)
    }
}

/// The verdict on a set of bags: the index's own problems, then each bag's.
public struct ExportSetReport: Sendable {
    /// One bag listed in the index (or found beside it unlisted).
    public struct Bag: Sendable {
        public var file: String
        public var entry: ExportSetIndex.Entry?
        /// The bag's report; `nil` when the file is missing or could not be read at all.
        public var report: BagReport?
        /// Problems beyond the bag's own: missing, not in the index, unreadable.
        public var problems: [BagProblem]

        public var isValid: Bool { problems.isEmpty && (report?.isValid ?? false) }
        /// Every problem of this bag, its own first.
        public var allProblems: [BagProblem] { problems + (report?.errors ?? []) }
    }

    public var folder: String
    public var index: ExportSetIndex?
    /// Problems of the index itself: unreadable, unsealed, a seal that does not verify.
    public var problems: [BagProblem] = []
    /// Warnings about the index (a seal not checked for want of a key).
    public var warnings: [BagProblem] = []
    public var bags: [Bag] = []
    /// Whether the index's seal verified with the key given; `nil` when no key was given.
    public var sealVerified: Bool?

    public var isValid: Bool { problems.isEmpty && bags.allSatisfy(\.isValid) }
    /// The bags that fail.
    public var failing: [Bag] { bags.filter { !$0.isValid } }
}

/// Verifies a set of bags exported together: the index and its seal, then every bag it lists
/// (BagIt, the seal with the key, the tag manifest the index recorded), and any file beside
/// them that the index does not list.
public enum ExportSetVerifier {
    /// Whether `folder` holds a set (an `export-index.json`) rather than one unpacked bag.
    public static func isSet(_ folder: String) -> Bool {
        FileSystem.isDirectory(folder) && FileSystem.exists("\(folder)/\(ExportSetIndex.fileName)") && !FileSystem.exists("\(folder)/bagit.txt")
    }

    /// - Parameters:
    ///   - folder: the set's folder.
    ///   - key: the unit's published seal key; without it the seals are reported, not checked.
    ///   - progress: the bag being checked and bytes hashed so far.
    public static func verify(_ folder: String, key: SealPublicKey?, progress: (String, Int64) -> Void = { _, _ in }) -> ExportSetReport {
        var report = ExportSetReport(folder: folder)
        let indexPath = "\(folder)/\(ExportSetIndex.fileName)"
        let indexBytes: [UInt8]
        do { indexBytes = try FileSystem.readFile(indexPath, limit: 64 << 20) } catch {
            report.problems.append(BagProblem(file: ExportSetIndex.fileName, problem: "cannot be read: \(error)"))
            return report
        }
        let index: ExportSetIndex
        do { index = try ExportSetIndex(bytes: indexBytes) } catch {
            report.problems.append(BagProblem(file: ExportSetIndex.fileName, problem: "\(error.field): \(error.problem)"))
            return report
        }
        report.index = index
        let seal = try? FileSystem.readFile("\(folder)/\(ExportSetIndex.sealFileName)", limit: 64 << 10)
        if let key {
            if let seal, key.verifies(seal, of: indexBytes) {
                report.sealVerified = true
            } else {
                report.sealVerified = false
                report.problems.append(BagProblem(
                    file: ExportSetIndex.sealFileName,
                    problem: seal == nil
                        ? "missing: the index is not sealed"
                        : "is not the seal of \(ExportSetIndex.fileName) by the key \(key.fingerprint): the index was changed after it was sealed, or sealed with another key"))
            }
        } else {
            report.warnings.append(BagProblem(file: ExportSetIndex.sealFileName, problem: "not checked: give --key (the unit's published seal key) to check the seals"))
        }
        var listed: Set<String> = []
        for entry in index.bags {
            listed.insert(entry.file)
            let path = "\(folder)/\(entry.file)"
            var bag = ExportSetReport.Bag(file: entry.file, entry: entry, report: nil, problems: [])
            guard FileSystem.kind(of: path) == .regular else {
                bag.problems.append(BagProblem(file: entry.file, problem: "missing: the index lists it (\(entry.dossier) \(entry.version))"))
                report.bags.append(bag)
                continue
            }
            do {
                bag.report = try BagVerifier.verify(path, expecting: BagExpectation(key: key, tagManifest: entry.tagManifestSHA256)) { progress(entry.file, $0) }
            } catch {
                bag.problems.append(BagProblem(file: entry.file, problem: error.reason))
            }
            report.bags.append(bag)
        }
        let present = (try? FileSystem.contents(of: folder)) ?? []
        for name in present.sorted(by: utf8Order) where !listed.contains(name) && name != ExportSetIndex.fileName && name != ExportSetIndex.sealFileName {
            report.bags.append(ExportSetReport.Bag(
                file: name, entry: nil, report: nil, problems: [BagProblem(file: name, problem: "is not in \(ExportSetIndex.fileName): it was added to the set after it was exported")]))
        }
        return report
    }
}
