import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension DossierIndex {
    /// Records what the freshness check found: folders listed (their fingerprints taken just
    /// before), folders gone (`nil`), and objects whose inventory was verified unchanged.
    public func record(folders: [(path: String, state: StoreFingerprint?)], objects: [(id: DossierID, state: StoreFingerprint)]) throws(IndexError) {
        guard !folders.isEmpty || !objects.isEmpty else { return }
        try run { db in
            if !folders.isEmpty {
                var all: [String: StoreFingerprint] = [:]
                if let blob = try Data.fetchOne(db, sql: "SELECT folders FROM storeFolders") {
                    var recorded = RecordedStore()
                    blob.withUnsafeBytes { _ = StoreFolders.decode($0, into: &recorded) }
                    for number in 0..<recorded.folders.count {
                        let path = recorded.folders.path(at: number)
                        all[path] = StoreFingerprint(path: path, fingerprint: recorded.folderFingerprints[number], settled: recorded.folderSettled[number])
                    }
                }
                for (path, state) in folders { all[path] = state }
                try db.execute(sql: "DELETE FROM storeFolders")
                try db.execute(sql: "INSERT INTO storeFolders (folders) VALUES (?)", arguments: [Data(StoreFolders.encode(all.values.sorted { $0.path < $1.path }))])
            }
            let updateObject = try db.cachedStatement(sql: "UPDATE storeObject SET path = ?, fingerprint = ?, settled = ? WHERE dossier = ?")
            for (id, state) in objects {
                try updateObject.execute(arguments: [state.path, Data(state.fingerprint.bytes), state.settled, id.rawValue])
            }
        }
    }


    /// What the index last recorded about the store (see ``record(folders:objects:)``).
    func storeState() throws(IndexError) -> RecordedStore {
        try runRead { db in
            // Stepped through SQLite's own API straight into byte buffers: some 35,000 rows at
            // every command's freshness check, where decoding GRDB rows into strings cost more
            // than the `stat` calls.
            func rows(_ sql: String, _ body: (SQLiteStatement) -> Void) throws {
                let statement = try db.makeStatement(sql: sql)
                let raw = statement.sqliteStatement
                while true {
                    let code = sqlite3_step(raw)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "reading the store's fingerprints") }
                    body(raw)
                }
            }
            func bytes(_ raw: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: sqlite3_column_text(raw, column), count: Int(sqlite3_column_bytes(raw, column)))
            }
            func fingerprint(_ raw: SQLiteStatement, _ column: Int32) -> FileFingerprint? {
                guard let blob = sqlite3_column_blob(raw, column) else { return nil }
                return FileFingerprint(bytes: UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(raw, column))))
            }
            var recorded = RecordedStore()
            try rows("SELECT folders FROM storeFolders") { raw in
                let blob = UnsafeRawBufferPointer(start: sqlite3_column_blob(raw, 0), count: Int(sqlite3_column_bytes(raw, 0)))
                if !StoreFolders.decode(blob, into: &recorded) {
                    // A blob that does not decode is as good as no record: every folder is listed.
                    recorded.folders = PathList()
                    recorded.folderFingerprints = []
                    recorded.folderSettled = []
                }
            }
            let objectCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM storeObject") ?? 0
            recorded.inventories.reserve(paths: objectCount, bytes: objectCount * 64)
            recorded.dossiers.reserve(paths: objectCount, bytes: objectCount * 16)
            try rows("SELECT dossier, path, fingerprint, settled FROM storeObject") { raw in
                guard let fingerprint = fingerprint(raw, 2) else { return }
                recorded.dossiers.append(bytes(raw, 0))
                recorded.inventories.append(bytes(raw, 1), suffix: RecordedStore.inventorySuffix)
                recorded.inventoryFingerprints.append(fingerprint)
                recorded.inventorySettled.append(sqlite3_column_int(raw, 3) != 0)
            }
            return recorded
        }
    }

    /// The inventory digest (its sidecar's) the index recorded for a dossier.
    public func inventoryDigest(of id: DossierID) throws(IndexError) -> String? {
        try runRead { db in try String.fetchOne(db, sql: "SELECT inventoryDigest FROM dossier WHERE id = ?", arguments: [id.rawValue]) }
    }

    /// Every indexed dossier's inventory digest.
    public func inventoryDigests() throws(IndexError) -> [DossierID: String] {
        try runRead { db in
            var result: [DossierID: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, inventoryDigest FROM dossier")
            while let row = try rows.next() {
                guard let id = DossierID(row[0] as String) else { continue }
                result[id] = row[1]
            }
            return result
        }
    }

    /// The texts the index already holds for a dossier's documents, by content sha512: a filing
    /// that adds one paper need not read the others again.
    func knownTexts(of id: DossierID) throws(IndexError) -> [String: ExtractedText] {
        try runRead { db in
            var result: [String: ExtractedText] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT document.sha512, document.textSource, document.textProblem, text.body, document.textConfidence
                FROM document JOIN textRow ON textRow.dossier = document.dossier AND textRow.path = document.path
                JOIN text ON text.rowid = textRow.rowid
                WHERE document.dossier = ?
                """, arguments: [id.rawValue])
            for row in rows {
                guard let source = ExtractedText.Source(rawValue: row[1]) else { continue }
                result[row[0]] = ExtractedText(text: row[3] ?? "", source: source, problem: row[2], confidence: row[4])
            }
            return result
        }
    }

}
