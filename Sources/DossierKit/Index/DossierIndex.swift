import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The vault's index: an SQLite database derived from the store (FORMATS.md §1), never the
/// truth. It answers `search`, `list` and reports without reading the store.
///
/// Every connection registers ``CJKTokenizer``, through which the full-text table cuts Chinese
/// into characters and pairs (see ``TextSegmenter``).
///
/// Searches score matches with BM25 through the auxiliary function of ``RankFunction``, and
/// read at most ``candidateLimit`` matches, newest first.
///
/// ## Topics
/// - Opening: ``open(at:)``, ``inMemory()``, ``build(at:folders:_:)``
/// - Writing: ``replace(_:)``, ``remove(_:)``, ``record(folders:objects:)``
/// - Reading: ``search(_:filter:limit:candidates:)``, ``list(filter:)``, ``inventoryDigests()``, ``statistics()``
/// - The freshness check's record of the store: ``storeState()``, ``inventoryDigest(of:)``
public struct DossierIndex: Sendable {
    let writer: any DatabaseWriter
    /// The database file, or `:memory:`.
    public let path: String
    /// The shared lock on the vault's index that keeps a rebuild from renaming another file
    /// over this one while it is open (see ``Vault/openIndexFile()``); released with the last copy.
    let lease: FileLock?

    /// Bumped whenever the schema or ``TextSegmenter`` changes what is stored: an index of
    /// another format is rebuilt, not migrated (it is derived data).
    public static let format = "dossier-index 2"

    // MARK: Opening

    /// Opens the index file at `path` (creating an empty index when there is none) and checks
    /// that it is an index of this format.
    /// - Throws: ``IndexError/corrupt(path:reason:)`` when the file is not a readable database,
    ///   ``IndexError/otherFormat(path:found:)`` when another format wrote it.
    /// - Parameter lease: a lock to hold for as long as the index is open.
    public static func open(at path: String, lease: FileLock? = nil) throws(IndexError) -> DossierIndex {
        let index = try perform(path, lease: lease) { try DatabaseQueue(path: path, configuration: configuration()) }
        try index.prepare()
        return index
    }

    /// A new empty index in memory, for tests.
    public static func inMemory() throws(IndexError) -> DossierIndex {
        let index = try perform(":memory:") { try DatabaseQueue(configuration: configuration()) }
        try index.prepare()
        return index
    }

    private init(writer: any DatabaseWriter, path: String, lease: FileLock? = nil) {
        self.writer = writer
        self.path = path
        self.lease = lease
    }

    private static func perform(_ path: String, lease: FileLock? = nil, _ open: () throws -> DatabaseQueue) throws(IndexError) -> DossierIndex {
        do {
            return DossierIndex(writer: try open(), path: path, lease: lease)
        } catch {
            throw IndexError.wrap(error, path: path)
        }
    }

    static func configuration(bulk: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.label = "dossier-index"
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            db.add(tokenizer: CJKTokenizer.self)
            RankFunction.register(db)
            if !bulk {
                // Pages are read from the mapped file instead of copied by one pread() each: a
                // search that scans a long position list touches thousands of pages.
                try db.execute(sql: "PRAGMA mmap_size = \(1 << 31)")
            } else {
                // A build writes a new file that nobody reads until it is complete and renamed
                // into place: a crash loses only the build, so no journal and no syncs.
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            }
        }
        return configuration
    }

    private func prepare() throws(IndexError) {
        try run { db in
            // Reading the schema is what fails first on a file that is not a database.
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if !tables.isEmpty, !tables.contains("indexState") {
                throw IndexError.otherFormat(path: path, found: "no indexState table")
            }
        }
        do {
            let migrator = IndexMigrations.migrator
            if try writer.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw IndexError.otherFormat(path: path, found: "migrations from a newer dossier")
            }
            try migrator.migrate(writer)
        } catch {
            throw IndexError.wrap(error, path: path)
        }
        let found = try run { db in try String.fetchOne(db, sql: "SELECT value FROM indexState WHERE key = 'format'") }
        guard found == DossierIndex.format else {
            throw IndexError.otherFormat(path: path, found: found ?? "no format")
        }
    }

    /// Builds a new index file at `path` from `dossiers`, fast and without a journal: the file
    /// is meant to be renamed into place once this returns.
    ///
    /// - Parameters:
    ///   - folders: the store's tuple folders as listed for the build (for the freshness check),
    ///     asked for once every dossier is added.
    ///   - dossiers: called once with a function that adds one dossier.
    /// - warning: `path` must not exist or must be a file nobody else uses; it is overwritten.
    public static func build(
        at path: String, folders: () -> [StoreFingerprint] = { [] }, _ dossiers: ((IndexedDossier) throws -> Void) throws -> Void
    ) throws {
        for suffix in ["", "-journal", "-wal", "-shm"] where FileSystem.exists(path + suffix) {
            try FileSystem.removeFile(path + suffix)
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration(bulk: true))
            try IndexMigrations.migrator.migrate(queue)
            // While loading: no incremental merging of the full-text segments and a large
            // in-memory hash (fewer, bigger segments); one 'optimize' merges them all at the end.
            try queue.write { db in
                try db.execute(sql: "INSERT INTO text(text, rank) VALUES ('automerge', 0)")
                try db.execute(sql: "INSERT INTO text(text, rank) VALUES ('hashsize', \(64 << 20))")
            }
        } catch {
            throw IndexError.wrap(error, path: path)
        }
        let index = DossierIndex(writer: queue, path: path)
        var batch: [IndexedDossier] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            let dossiers = batch
            batch.removeAll(keepingCapacity: true)
            try index.run { db in
                for dossier in dossiers { try index.insert(dossier, db) }
            }
        }
        try dossiers { dossier in
            batch.append(dossier)
            if batch.count >= 500 { try flush() }
        }
        try flush()
        try index.record(folders: folders().map { ($0.path, $0) }, objects: [])
        // Merging the full-text segments into one b-tree makes every later query read less; the
        // defaults come back for the index's later updates.
        try index.run { db in
            try db.execute(sql: "INSERT INTO text(text, rank) VALUES ('automerge', 4)")
            try db.execute(sql: "INSERT INTO text(text, rank) VALUES ('hashsize', \(1 << 20))")
            try db.execute(sql: "INSERT INTO text(text) VALUES ('optimize')")
        }
        do { try queue.close() } catch { throw IndexError.wrap(error, path: path) }
    }

    // MARK: Writing

    /// Puts `dossier` in the index, replacing what the index had for it, in one transaction.
    public func replace(_ dossier: IndexedDossier) throws(IndexError) {
        try run { db in try insert(dossier, db) }
    }

    /// Replaces only what the rules said of a dossier (status, flags, findings): for the daily
    /// re-judging, when nothing in the store changed but the day did.
    public func replaceEnrichments(_ enrichments: [(id: DossierID, enrichment: IndexEnrichment)]) throws(IndexError) {
        try run { db in
            for (id, enrichment) in enrichments { try writeEnrichment(id.rawValue, enrichment, db) }
        }
    }

    /// What the rules last judged the indexed dossiers by (the day and the profile, as
    /// ``Vault/judgment`` writes them), if recorded.
    public func judgment() throws(IndexError) -> String? {
        try runRead { db in try String.fetchOne(db, sql: "SELECT value FROM indexState WHERE key = 'judgment'") }
    }

    public func setJudgment(_ judgment: String) throws(IndexError) {
        try run { db in
            try db.execute(sql: "INSERT OR REPLACE INTO indexState (key, value) VALUES ('judgment', ?)", arguments: [judgment])
        }
    }

    private func writeEnrichment(_ id: String, _ enrichment: IndexEnrichment, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE dossier SET status = ? WHERE id = ?").execute(arguments: [enrichment.status, id])
        try db.cachedStatement(sql: "DELETE FROM flag WHERE dossier = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM finding WHERE dossier = ?").execute(arguments: [id])
        for flag in Set(enrichment.flags).sorted() {
            try db.cachedStatement(sql: "INSERT INTO flag (dossier, flag) VALUES (?, ?)").execute(arguments: [id, flag])
        }
        for (ordinal, finding) in enrichment.findings.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO finding (dossier, ordinal, rule, severity, message, documents) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [id, ordinal, finding.rule, finding.severity, finding.message, JSONValue.array(finding.documents.map { .string($0) }).serialized(.compact)])
        }
    }

    /// Removes a dossier (one that left the store) from the index.
    public func remove(_ id: DossierID) throws(IndexError) {
        try run { db in try delete(id, db) }
    }

    private func delete(_ id: DossierID, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM text WHERE rowid IN (SELECT rowid FROM textRow WHERE dossier = ?)", arguments: [id.rawValue])
        try db.execute(sql: "DELETE FROM dossier WHERE id = ?", arguments: [id.rawValue])
    }

    private func insert(_ dossier: IndexedDossier, _ db: Database) throws {
        let record = dossier.record
        let id = record.id.rawValue
        try delete(record.id, db)
        try db.cachedStatement(sql: """
            INSERT INTO dossier (id, title, unit, type, funding, grantKind, classification, head, headCreated, status, record, inventoryDigest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                id, record.title, record.unit, record.type.rawValue, record.funding.rawValue, record.grant.rawValue,
                record.classification.rawValue, dossier.head.number, dossier.headCreated, dossier.enrichment.status,
                RecordCodec.encode(record).serialized(.compact), dossier.inventoryDigest,
            ])
        let versionStatement = try db.cachedStatement(sql: "INSERT INTO version (dossier, number, created, message, userName, userAddress) VALUES (?, ?, ?, ?, ?, ?)")
        for version in dossier.versions {
            try versionStatement.execute(arguments: [id, version.number.number, version.created, version.message, version.user?.name, version.user?.address])
        }
        try writeEnrichment(id, dossier.enrichment, db)
        if let state = dossier.objectState {
            try db.cachedStatement(sql: "INSERT INTO storeObject (dossier, path, fingerprint, settled) VALUES (?, ?, ?, ?)")
                .execute(arguments: [id, state.path, Data(state.fingerprint.bytes), state.settled])
        }
        let textRowStatement = try db.cachedStatement(sql: "INSERT INTO textRow (dossier, path, kind, date) VALUES (?, ?, ?, ?)")
        let textStatement = try db.cachedStatement(sql: "INSERT INTO text (rowid, title, names, facts, body) VALUES (?, ?, ?, ?, ?)")
        func addText(path: String, kind: String, date: LocalDate?, _ columns: SearchableText.Columns) throws {
            try textRowStatement.execute(arguments: [id, path, kind, date?.description])
            try textStatement.execute(arguments: [db.lastInsertedRowID, columns.title, columns.names, columns.facts, columns.body])
        }
        try addText(path: SearchHit.recordPath, kind: SearchHit.recordKind, date: nil, SearchableText.record(dossier))
        let documentStatement = try db.cachedStatement(sql: """
            INSERT INTO document (dossier, path, kind, fileName, mediaType, size, sha512, sha256, filedAt, filedBy, facts, date, textSource, textProblem, textBytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for document in dossier.documents {
            let entry = document.entry
            try documentStatement.execute(arguments: [
                id, entry.path, entry.kind.rawValue, entry.fileName, entry.mediaType, entry.size, entry.sha512.hex, document.sha256,
                entry.filedAt, entry.filedBy, JSONValue.object(entry.facts).serialized(.compact), document.date?.description,
                document.text.source.rawValue, document.text.problem, document.text.text.utf8.count,
            ])
            try addText(path: entry.path, kind: entry.kind.rawValue, date: document.date, SearchableText.document(document))
        }
    }

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

    // MARK: Reading

    /// What the index last recorded about the store (see ``record(folders:objects:)``).
    public func storeState() throws(IndexError) -> RecordedStore {
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
    public func knownTexts(of id: DossierID) throws(IndexError) -> [String: ExtractedText] {
        try runRead { db in
            var result: [String: ExtractedText] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT document.sha512, document.textSource, document.textProblem, text.body
                FROM document JOIN textRow ON textRow.dossier = document.dossier AND textRow.path = document.path
                JOIN text ON text.rowid = textRow.rowid
                WHERE document.dossier = ?
                """, arguments: [id.rawValue])
            for row in rows {
                guard let source = ExtractedText.Source(rawValue: row[1]) else { continue }
                result[row[0]] = ExtractedText(text: row[3] ?? "", source: source, problem: row[2])
            }
            return result
        }
    }

    /// How many matching rows a search scores at most. A query whose matches are fewer is
    /// ranked exactly (BM25 over every match); one with more (a word in nearly every contract:
    /// 甲方, 保密) is ranked among its `candidateLimit` most recently indexed matches, and its
    /// hits say so (``SearchHit/Ranking/commonTerms``).
    public static let candidateLimit = 1000

    /// Finds documents and records matching `query`, best first.
    ///
    /// The matches are read newest first (highest rowid: the most recently indexed dossiers)
    /// and at most ``candidateLimit`` of them are scored, so a common word costs a bounded
    /// scan, not a pass over every document that has it.
    ///
    /// - Parameters:
    ///   - filter: narrows the hits; document filters (kind, dates) leave out record hits.
    ///   - limit: at most this many hits.
    ///   - candidates: how many matches are scored at most (``candidateLimit``; tests lower it).
    public func search(
        _ query: SearchQuery, filter: IndexFilter = IndexFilter(), limit: Int = 20, candidates candidateLimit: Int = DossierIndex.candidateLimit
    ) throws(IndexError) -> [SearchHit] {
        var conditions = ["text MATCH ?"]
        var arguments: [any DatabaseValueConvertible] = [query.matchExpression]
        Self.documentConditions(filter, table: "textRow", into: &conditions, &arguments)
        let documentConditionCount = conditions.count - 1
        Self.dossierConditions(filter, into: &conditions, &arguments)
        let filtered = conditions.count > 1
        var joins = ""
        if filtered { joins += " CROSS JOIN textRow ON textRow.rowid = text.rowid" }
        if conditions.count - 1 > documentConditionCount { joins += " CROSS JOIN dossier ON dossier.id = textRow.dossier" }
        // The full-text table drives (CROSS JOIN keeps it outermost) in rowid order, so that
        // SQLite stops reading matches at the limit.
        let sql = """
            SELECT text.rowid, \(RankFunction.name)(text) FROM text\(joins)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY text.rowid DESC LIMIT \(candidateLimit + 1)
            """
        return try runRead { db in
            var candidates = RankFunction.Candidates(phrases: query.phrases.count, capacity: min(candidateLimit + 1, 4096))
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let rowid: Int64 = row[0]
                let added = try row.withUnsafeData(atIndex: 1) { data in
                    data?.withUnsafeBytes { candidates.append(rowid, $0) } ?? false
                }
                guard added else { throw IndexError.database(path: path, message: "\(RankFunction.name) gave no frequencies for row \(rowid)") }
            }
            let complete = candidates.count <= candidateLimit
            let lastRead = candidates.rowids.last
            if !complete { candidates.removeLast() }
            let documents = try documentFrequencies(
                query, db, limit: candidateLimit, wholeScan: !filtered && query.phrases.count == 1 ? (candidates.count, complete, lastRead) : nil)
            let ranked = candidates.rowids.indices.map { (rowid: candidates.rowids[$0], score: candidates.score($0, documents: documents)) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.rowid < $1.rowid }
                .prefix(limit)
            let highlighter = PhraseHighlighter(query)
            let details = try db.cachedStatement(sql: """
                SELECT textRow.dossier, textRow.path, textRow.kind, dossier.head, dossier.title
                FROM textRow JOIN dossier ON dossier.id = textRow.dossier WHERE textRow.rowid = ?
                """)
            // Read from the table's content table (FTS5's `%_content`, columns c0…c3 in declaration
            // order): a plain rowid lookup, where selecting through the full-text table costs
            // several times as much per row.
            let columns = try db.cachedStatement(sql: "SELECT c3, c0, c2, c1 FROM text_content WHERE id = ?")
            return try ranked.compactMap { candidate -> SearchHit? in
                guard let row = try Row.fetchOne(details, arguments: [candidate.rowid]), let id = DossierID(row[0] as String) else { return nil }
                // The body (the paper's own text) shows best where it matched; then the title, facts, names.
                let texts = try Row.fetchOne(columns, arguments: [candidate.rowid]).map { row in (0..<4).map { (row[$0] as String?) ?? "" } } ?? []
                let marked = texts.lazy.compactMap { highlighter.highlight($0) }.first
                return SearchHit(
                    dossier: id, title: row[4], version: VersionNumber(max(1, row[3] as Int)), path: row[1], kind: row[2],
                    snippet: Snippet.make(from: marked ?? texts.first ?? ""), score: candidate.score,
                    ranking: complete ? .relevance : .commonTerms)
            }
        }
    }

    /// How many rows of the whole table each phrase of `query` occurs in, for BM25's inverse
    /// document frequency: counted exactly up to `candidateLimit`, estimated beyond.
    ///
    /// - Parameter wholeScan: when the search itself read one phrase unfiltered, what it read:
    ///   that count is the phrase's, and no second scan is needed.
    private func documentFrequencies(
        _ query: SearchQuery, _ db: Database, limit candidateLimit: Int, wholeScan: (count: Int, complete: Bool, lastRowid: Int64?)?
    ) throws -> [Double] {
        // Two subqueries: min() and max() together in one SELECT would scan the table.
        let bounds = try Row.fetchOne(db, sql: "SELECT (SELECT min(rowid) FROM textRow), (SELECT max(rowid) FROM textRow)")
        let lowest: Int64 = bounds?[0] ?? 0
        let highest: Int64 = bounds?[1] ?? 0
        // Matches are read from the highest rowid down: when the limit is reached at rowid r, the
        // phrase's density over (r, highest] stands for the whole table.
        func estimate(count: Int, complete: Bool, lastRowid: Int64?) -> Double {
            guard !complete, let lastRowid, highest >= lastRowid else { return Double(count) }
            let span = Double(highest - lowest + 1)
            let read = Double(highest - lastRowid + 1)
            return min(span, Double(count) * span / read)
        }
        if let wholeScan { return [estimate(count: wholeScan.count, complete: wholeScan.complete, lastRowid: wholeScan.lastRowid)] }
        let probe = try db.cachedStatement(sql: "SELECT rowid FROM text WHERE text MATCH ? ORDER BY rowid DESC LIMIT \(candidateLimit + 1)")
        var known: [String: Double] = [:]
        return try query.phrases.map { phrase in
            let expression = phrase.matchExpression
            if let count = known[expression] { return count }
            let rowids = try Int64.fetchAll(probe, arguments: [expression])
            let complete = rowids.count <= candidateLimit
            let count = estimate(count: complete ? rowids.count : candidateLimit, complete: complete, lastRowid: rowids.last)
            known[expression] = count
            return count
        }
    }

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
            var flags: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT dossier, flag FROM flag \(selected) ORDER BY dossier, flag", arguments: StatementArguments(arguments)) {
                flags[row[0], default: []].append(row[1])
            }
            var findings: [String: [IndexedFinding]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT dossier, rule, severity, message, documents FROM finding \(selected) ORDER BY dossier, ordinal", arguments: StatementArguments(arguments)
            ) {
                let documents = (try? JSONValue.parse(row[4] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
                findings[row[0], default: []].append(IndexedFinding(rule: row[1], severity: row[2], message: row[3], documents: documents))
            }
            let rows = try Row.fetchAll(db, sql: "SELECT id, head, headCreated, status, record FROM dossier \(whereClause) ORDER BY id", arguments: StatementArguments(arguments))
            return try rows.map { row -> DossierSummary in
                let id: String = row["id"]
                let record: DossierRecord
                do {
                    record = try RecordCodec.decodeRecord(try FieldReader.parse(file: "index.sqlite dossier \(id)", data: Array((row["record"] as String).utf8)))
                } catch {
                    throw IndexError.corrupt(path: path, reason: "the record of \(id) does not decode: \(error)")
                }
                return DossierSummary(
                    record: record, head: VersionNumber(max(1, row["head"] as Int)), headCreated: row["headCreated"],
                    status: row["status"], flags: flags[id] ?? [], findings: findings[id] ?? [])
            }
        }
    }

    /// Kind and dates, on a table with `kind` and `date` columns (`textRow` or `document`).
    private static func documentConditions(_ filter: IndexFilter, table: String, into conditions: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
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

    private static func dossierConditions(_ filter: IndexFilter, into conditions: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
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
            arguments.append(status)
        }
        if let flag = filter.flag {
            conditions.append("EXISTS (SELECT 1 FROM flag WHERE flag.dossier = dossier.id AND flag.flag = ?)")
            arguments.append(flag)
        }
    }

    /// Counts for `dossier index` and the benchmark.
    public struct Statistics: Sendable, Equatable {
        public var dossiers: Int
        public var documents: Int
        /// Bytes of document text indexed.
        public var textBytes: Int64
        /// Documents whose text could not be read, and why.
        public var textProblems: [(dossier: String, path: String, problem: String)]

        public static func == (lhs: Statistics, rhs: Statistics) -> Bool {
            lhs.dossiers == rhs.dossiers && lhs.documents == rhs.documents && lhs.textBytes == rhs.textBytes
                && lhs.textProblems.map { "\($0.dossier) \($0.path) \($0.problem)" } == rhs.textProblems.map { "\($0.dossier) \($0.path) \($0.problem)" }
        }
    }

    public func statistics() throws(IndexError) -> Statistics {
        try runRead { db in
            let problems = try Row.fetchAll(db, sql: "SELECT dossier, path, textProblem FROM document WHERE textProblem IS NOT NULL ORDER BY dossier, path")
            return Statistics(
                dossiers: try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier") ?? 0,
                documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0,
                textBytes: try Int64.fetchOne(db, sql: "SELECT coalesce(sum(textBytes), 0) FROM document") ?? 0,
                textProblems: problems.map { ($0[0], $0[1], $0[2]) })
        }
    }

    /// SQLite's own integrity check of the whole file (slow on a large index: for `index --check`).
    public func integrityProblems() throws(IndexError) -> [String] {
        try run { db in
            let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            do {
                try db.execute(sql: "INSERT INTO text(text, rank) VALUES ('integrity-check', 1)")
            } catch {
                return problems + ["full-text index: \(error)"]
            }
            return problems
        }
    }

    /// Runs `body` in a read-only transaction, mapping every error to ``IndexError``.
    private func runRead<T>(_ body: (Database) throws -> T) throws(IndexError) -> T {
        do {
            return try writer.read { db in try body(db) }
        } catch {
            throw IndexError.wrap(error, path: path)
        }
    }

    /// Runs `body` in a write transaction, mapping every error to ``IndexError``.
    private func run<T>(_ body: (Database) throws -> T) throws(IndexError) -> T {
        do {
            return try writer.write { db in try body(db) }
        } catch {
            throw IndexError.wrap(error, path: path)
        }
    }
}

extension IndexError {
    /// Maps an error from SQLite or GRDB to an ``IndexError``: damage to ``corrupt(path:reason:)``.
    static func wrap(_ error: any Error, path: String) -> IndexError {
        if let error = error as? IndexError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return .corrupt(path: path, reason: error.message ?? "\(error.resultCode)")
            default:
                return .database(path: path, message: error.message ?? "\(error)")
            }
        }
        return .database(path: path, message: "\(error)")
    }
}
