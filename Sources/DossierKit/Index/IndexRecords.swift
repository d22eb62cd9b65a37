import DossierModel
import Foundation
import GRDB

// The index's tables as GRDB records: each names its columns once (`Columns`), and every
// query reads and writes them by those names. The schema is in IndexMigrations.swift.

/// A row of `dossier`: one dossier's head as the index keeps it.
struct DossierRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "dossier"
    enum Columns {
        static let id = Column("id")
        static let title = Column("title")
        static let unit = Column("unit")
        static let type = Column("type")
        static let funding = Column("funding")
        static let grantKind = Column("grantKind")
        static let classification = Column("classification")
        static let head = Column("head")
        static let headCreated = Column("headCreated")
        static let status = Column("status")
        /// dossier.json of the head version, compact.
        static let record = Column("record")
        /// The root inventory's sha512 (its sidecar's).
        static let inventoryDigest = Column("inventoryDigest")
    }

    var id: String
    var title: String
    var unit: String
    var type: String
    var funding: String
    var grantKind: String
    var classification: String
    var head: Int
    var headCreated: String
    var status: String
    var record: String
    var inventoryDigest: String

    init(_ dossier: IndexedDossier) {
        let record = dossier.record
        id = record.id.rawValue
        title = record.title
        unit = record.unit
        type = record.type.rawValue
        funding = record.funding.rawValue
        grantKind = record.grant.rawValue
        classification = record.classification.rawValue
        head = dossier.head.number
        headCreated = dossier.headCreated
        status = dossier.enrichment.status.rawValue
        self.record = RecordCodec.encode(record).serialized(.compact)
        inventoryDigest = dossier.inventoryDigest
    }

    init(row: Row) {
        id = row[Columns.id]
        title = row[Columns.title]
        unit = row[Columns.unit]
        type = row[Columns.type]
        funding = row[Columns.funding]
        grantKind = row[Columns.grantKind]
        classification = row[Columns.classification]
        head = row[Columns.head]
        headCreated = row[Columns.headCreated]
        status = row[Columns.status]
        record = row[Columns.record]
        inventoryDigest = row[Columns.inventoryDigest]
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.title] = title
        container[Columns.unit] = unit
        container[Columns.type] = type
        container[Columns.funding] = funding
        container[Columns.grantKind] = grantKind
        container[Columns.classification] = classification
        container[Columns.head] = head
        container[Columns.headCreated] = headCreated
        container[Columns.status] = status
        container[Columns.record] = record
        container[Columns.inventoryDigest] = inventoryDigest
    }
}

/// A row of `version`: one version of a dossier.
struct VersionRow: PersistableRecord {
    static let databaseTableName = "version"
    enum Columns {
        static let dossier = Column("dossier")
        static let number = Column("number")
        static let created = Column("created")
        static let message = Column("message")
        static let userName = Column("userName")
        static let userAddress = Column("userAddress")
    }

    var dossier: String
    var version: IndexedVersion

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.number] = version.number.number
        container[Columns.created] = version.created
        container[Columns.message] = version.message
        container[Columns.userName] = version.user?.name
        container[Columns.userAddress] = version.user?.address
    }
}

/// A row of `document`: one document of a dossier's head version.
struct DocumentRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "document"
    enum Columns {
        static let dossier = Column("dossier")
        static let path = Column("path")
        static let kind = Column("kind")
        static let fileName = Column("fileName")
        static let mediaType = Column("mediaType")
        static let size = Column("size")
        static let sha512 = Column("sha512")
        static let sha256 = Column("sha256")
        static let filedAt = Column("filedAt")
        static let filedBy = Column("filedBy")
        static let facts = Column("facts")
        /// signedOn, else issuedOn: what --since and --until compare.
        static let date = Column("date")
        static let textSource = Column("textSource")
        static let textProblem = Column("textProblem")
        static let textBytes = Column("textBytes")
        static let textConfidence = Column("textConfidence")
    }

    var dossier: String
    var path: String
    var kind: String
    var fileName: String
    var mediaType: String
    var size: Int64
    var sha512: String
    var sha256: String?
    var filedAt: String
    var filedBy: String
    var facts: String
    var date: String?
    var textSource: String
    var textProblem: String?
    var textBytes: Int
    var textConfidence: Double?

    init(dossier: String, _ document: IndexedDocument) {
        let entry = document.entry
        self.dossier = dossier
        path = entry.path
        kind = entry.kind.rawValue
        fileName = entry.fileName
        mediaType = entry.mediaType
        size = entry.size
        sha512 = entry.sha512.hex
        sha256 = document.sha256
        filedAt = entry.filedAt
        filedBy = entry.filedBy
        facts = JSONValue.object(entry.facts).serialized(.compact)
        date = document.date?.description
        textSource = document.text.source.rawValue
        textProblem = document.text.problem
        textBytes = document.text.text.utf8.count
        textConfidence = document.text.confidence
    }

    init(row: Row) {
        dossier = row[Columns.dossier]
        path = row[Columns.path]
        kind = row[Columns.kind]
        fileName = row[Columns.fileName]
        mediaType = row[Columns.mediaType]
        size = row[Columns.size]
        sha512 = row[Columns.sha512]
        sha256 = row[Columns.sha256]
        filedAt = row[Columns.filedAt]
        filedBy = row[Columns.filedBy]
        facts = row[Columns.facts]
        date = row[Columns.date]
        textSource = row[Columns.textSource]
        textProblem = row[Columns.textProblem]
        textBytes = row[Columns.textBytes]
        textConfidence = row[Columns.textConfidence]
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.path] = path
        container[Columns.kind] = kind
        container[Columns.fileName] = fileName
        container[Columns.mediaType] = mediaType
        container[Columns.size] = size
        container[Columns.sha512] = sha512
        container[Columns.sha256] = sha256
        container[Columns.filedAt] = filedAt
        container[Columns.filedBy] = filedBy
        container[Columns.facts] = facts
        container[Columns.date] = date
        container[Columns.textSource] = textSource
        container[Columns.textProblem] = textProblem
        container[Columns.textBytes] = textBytes
        container[Columns.textConfidence] = textConfidence
    }
}

/// A row of `flag`: one flag raised on a dossier.
struct FlagRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "flag"
    enum Columns {
        static let dossier = Column("dossier")
        static let flag = Column("flag")
    }

    var dossier: String
    var flag: DossierFlag

    init(dossier: String, flag: DossierFlag) {
        self.dossier = dossier
        self.flag = flag
    }

    init(row: Row) throws {
        dossier = row[Columns.dossier]
        let name: String = row[Columns.flag]
        guard let flag = DossierFlag(rawValue: name) else {
            throw IndexError.unknownValue(column: "flag", value: name)
        }
        self.flag = flag
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.flag] = flag.rawValue
    }
}

/// A row of `finding`: one finding of the rules about a dossier's head.
struct FindingRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "finding"
    enum Columns {
        static let dossier = Column("dossier")
        static let ordinal = Column("ordinal")
        static let rule = Column("rule")
        static let severity = Column("severity")
        static let message = Column("message")
        /// A JSON array of logical paths.
        static let documents = Column("documents")
    }

    var dossier: String
    var ordinal: Int
    var finding: IndexedFinding

    init(dossier: String, ordinal: Int, finding: IndexedFinding) {
        self.dossier = dossier
        self.ordinal = ordinal
        self.finding = finding
    }

    init(row: Row) throws {
        dossier = row[Columns.dossier]
        ordinal = row[Columns.ordinal]
        let ruleName: String = row[Columns.rule]
        let severityName: String = row[Columns.severity]
        guard let rule = RuleID(rawValue: ruleName) else {
            throw IndexError.unknownValue(column: "finding.rule", value: ruleName)
        }
        guard let severity = Severity(rawValue: severityName) else {
            throw IndexError.unknownValue(column: "finding.severity", value: severityName)
        }
        let documents = (try? JSONValue.parse(row[Columns.documents] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
        finding = IndexedFinding(rule: rule, severity: severity, message: row[Columns.message], documents: documents)
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.ordinal] = ordinal
        container[Columns.rule] = finding.rule.rawValue
        container[Columns.severity] = finding.severity.rawValue
        container[Columns.message] = finding.message
        container[Columns.documents] = JSONValue.array(finding.documents.map { .string($0) }).serialized(.compact)
    }
}

/// A row of `textRow`: one searchable unit (a dossier's record, or a document), whose rowid is
/// its row's in the full-text table `text`.
struct SearchUnitRow: PersistableRecord {
    static let databaseTableName = "textRow"
    enum Columns {
        static let rowid = Column("rowid")
        static let dossier = Column("dossier")
        static let path = Column("path")
        static let kind = Column("kind")
        static let date = Column("date")
    }

    var dossier: String
    var path: String
    var kind: String
    var date: String?

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.path] = path
        container[Columns.kind] = kind
        container[Columns.date] = date
    }
}

/// A row of `storeObject`: where a dossier's object is and what `stat` said of its inventory.
struct StoreObjectRow: PersistableRecord {
    static let databaseTableName = "storeObject"
    enum Columns {
        static let dossier = Column("dossier")
        static let path = Column("path")
        static let fingerprint = Column("fingerprint")
        static let settled = Column("settled")
    }

    var dossier: String
    var state: StoreFingerprint

    func encode(to container: inout PersistenceContainer) {
        container[Columns.dossier] = dossier
        container[Columns.path] = state.path
        container[Columns.fingerprint] = Data(state.fingerprint.bytes)
        container[Columns.settled] = state.settled
    }
}

/// The full-text table's columns, in declaration order (its content table names them c0…c3).
enum TextColumns {
    static let title = Column("title")
    static let names = Column("names")
    static let facts = Column("facts")
    static let body = Column("body")
}

extension IndexError {
    /// A stored name that is not one of a closed set's: an index another build wrote, rebuilt.
    static func unknownValue(column: String, value: String) -> IndexError {
        .otherFormat(path: "index.sqlite", found: "\(column) \"\(value)\" is unknown to this dossier")
    }
}
