import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension DossierIndex {
    /// Puts `dossier` in the index, replacing what the index had for it, in one transaction.
    public func replace(_ dossier: IndexedDossier) throws(IndexError) {
        try run { db in try insert(dossier, db) }
    }

    /// Replaces only what the rules said of a dossier (status, flags, findings): for the daily
    /// re-judging, when nothing in the store changed but the day did.
    func replaceEnrichments(_ enrichments: [(id: DossierID, enrichment: IndexEnrichment)]) throws(IndexError) {
        try run { db in
            for (id, enrichment) in enrichments { try writeEnrichment(id.rawValue, enrichment, db) }
        }
    }

    /// What the rules last judged the indexed dossiers by (the day and the profile, as
    /// `IndexMaintainer.judgment(profileID:source:today:)` writes them), if recorded.
    public func judgment() throws(IndexError) -> String? {
        try runRead { db in try String.fetchOne(db, sql: "SELECT value FROM indexState WHERE key = 'judgment'") }
    }

    func setJudgment(_ judgment: String) throws(IndexError) {
        try run { db in
            try db.execute(sql: "INSERT OR REPLACE INTO indexState (key, value) VALUES ('judgment', ?)", arguments: [judgment])
        }
    }

    private func writeEnrichment(_ id: String, _ enrichment: IndexEnrichment, _ db: Database) throws {
        try DossierRow.filter(key: id).updateAll(db, DossierRow.Columns.status.set(to: enrichment.status.rawValue))
        try FlagRow.filter(FlagRow.Columns.dossier == id).deleteAll(db)
        try FindingRow.filter(FindingRow.Columns.dossier == id).deleteAll(db)
        for flag in Set(enrichment.flags).sorted() {
            try FlagRow(dossier: id, flag: flag).insert(db)
        }
        for (ordinal, finding) in enrichment.findings.enumerated() {
            try FindingRow(dossier: id, ordinal: ordinal, finding: finding).insert(db)
        }
    }

    /// Removes a dossier (one that left the store) from the index.
    public func remove(_ id: DossierID) throws(IndexError) {
        try run { db in try delete(id, db) }
    }

    private func delete(_ id: DossierID, _ db: Database) throws {
        // The full-text rows first: they are found through `textRow`, which the dossier's
        // deletion takes with it (ON DELETE CASCADE).
        try db.execute(sql: "DELETE FROM text WHERE rowid IN (SELECT rowid FROM textRow WHERE dossier = ?)", arguments: [id.rawValue])
        // Child rows by name too, not only by the cascade: a dossier row deleted behind the
        // index's back (without foreign keys on) leaves them, and re-adding the dossier would
        // then fail on their unique keys instead of repairing the index.
        for table in ["textRow", "version", "document", "flag", "finding", "storeObject"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE dossier = ?", arguments: [id.rawValue])
        }
        try DossierRow.deleteOne(db, key: id.rawValue)
    }

    func insert(_ dossier: IndexedDossier, _ db: Database) throws {
        let id = dossier.record.id.rawValue
        try delete(dossier.record.id, db)
        try DossierRow(dossier).insert(db)
        for version in dossier.versions {
            try VersionRow(dossier: id, version: version).insert(db)
        }
        try writeEnrichment(id, dossier.enrichment, db)
        if let state = dossier.objectState {
            try StoreObjectRow(dossier: id, state: state).insert(db)
        }
        let textStatement = try db.cachedStatement(sql: "INSERT INTO text (rowid, title, names, facts, body) VALUES (?, ?, ?, ?, ?)")
        func addText(path: String, kind: String, date: LocalDate?, _ columns: SearchableText.Columns) throws {
            try SearchUnitRow(dossier: id, path: path, kind: kind, date: date?.description).insert(db)
            try textStatement.execute(arguments: [db.lastInsertedRowID, columns.title, columns.names, columns.facts, columns.body])
        }
        try addText(path: SearchHit.recordPath, kind: SearchHit.recordKind, date: nil, SearchableText.record(dossier))
        for document in dossier.documents {
            try DocumentRow(dossier: id, document).insert(db)
            try addText(path: document.entry.path, kind: document.entry.kind.rawValue, date: document.date, SearchableText.document(document))
        }
    }
}
