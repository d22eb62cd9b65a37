import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension DossierIndex {
    /// The dossiers that pass `filter`, by id.
    public func list(filter: IndexFilter = IndexFilter()) throws(IndexError) -> [DossierSummary] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        Self.dossierConditions(filter, into: &conditions, &arguments)
        if filter.narrowsDocuments {
            var documentConditions = ["document.dossier = dossier.id"]
            Self.documentConditions(filter, table: "document", into: &documentConditions, &arguments)
            conditions.append("EXISTS (SELECT 1 FROM document WHERE \(documentConditions.joined(separator: " AND ")))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // Flags and findings of the selected dossiers only: a narrow filter over a large vault
        // should not decode every finding's JSON.
        let selected = conditions.isEmpty ? "" : "WHERE dossier IN (SELECT id FROM dossier \(whereClause))"
        return try runRead { db in
            var flags: [String: [DossierFlag]] = [:]
            for row in try FlagRow.fetchAll(db, sql: "SELECT * FROM flag \(selected) ORDER BY dossier, flag", arguments: StatementArguments(arguments)) {
                flags[row.dossier, default: []].append(row.flag)
            }
            var findings: [String: [IndexedFinding]] = [:]
            for row in try FindingRow.fetchAll(db, sql: "SELECT * FROM finding \(selected) ORDER BY dossier, ordinal", arguments: StatementArguments(arguments)) {
                findings[row.dossier, default: []].append(row.finding)
            }
            let rows = try DossierRow.fetchAll(db, sql: "SELECT * FROM dossier \(whereClause) ORDER BY id", arguments: StatementArguments(arguments))
            return try rows.map { row -> DossierSummary in
                let record: DossierRecord
                do {
                    record = try RecordCodec.decodeRecord(try FieldReader.parse(file: "index.sqlite dossier \(row.id)", data: Array(row.record.utf8)))
                } catch {
                    throw IndexError.corrupt(path: path, reason: "the record of \(row.id) does not decode: \(error)")
                }
                guard let status = DossierStatus(rawValue: row.status) else { throw IndexError.unknownValue(column: "dossier.status", value: row.status) }
                return DossierSummary(
                    record: record, head: VersionNumber(max(1, row.head)), headCreated: row.headCreated,
                    status: status, flags: flags[row.id] ?? [], findings: findings[row.id] ?? [])
            }
        }
    }


    /// Kind and dates, on a table with `kind` and `date` columns (`textRow` or `document`).
    static func documentConditions(_ filter: IndexFilter, table: String, into conditions: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
        if let kind = filter.kind {
            conditions.append("\(table).kind = ?")
            arguments.append(kind.rawValue)
        }
        if let since = filter.since {
            conditions.append("\(table).date >= ?")
            arguments.append(since.description)
        }
        if let until = filter.until {
            conditions.append("\(table).date <= ?")
            arguments.append(until.description)
        }
    }

    static func dossierConditions(_ filter: IndexFilter, into conditions: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
        if let unit = filter.unit {
            conditions.append("dossier.unit = ?")
            arguments.append(unit)
        }
        if let type = filter.type {
            conditions.append("dossier.type = ?")
            arguments.append(type)
        }
        if let status = filter.status {
            conditions.append("dossier.status = ?")
            arguments.append(status.rawValue)
        }
        if let flag = filter.flag {
            conditions.append("EXISTS (SELECT 1 FROM flag WHERE flag.dossier = dossier.id AND flag.flag = ?)")
            arguments.append(flag.rawValue)
        }
    }

}
