import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension DossierIndex {
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
    ///   - query: what to find.
    ///   - filter: narrows the hits; document filters (kind, dates) leave out record hits.
    ///   - limit: at most this many hits.
    ///   - candidateLimit: how many matches are scored at most (``candidateLimit``; tests lower it).
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

}
