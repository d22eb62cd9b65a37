import DossierModel
import GRDB

#if canImport(Glibc)
import Glibc
#endif
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// What the index needs from FTS5 to rank a matching row, and the ranking itself: Okapi BM25 as
/// SQLite's `bm25()` computes it, with the same column weights, but with each phrase's document
/// frequency supplied by the caller.
///
/// SQLite's `bm25()` counts every phrase's documents by running the phrase over the whole
/// table the first time it is called in a query: for a phrase in nearly every document (甲方,
/// 保密) that alone took 20–50 ms. ``DossierIndex/search(_:filter:limit:)`` estimates those
/// counts from a bounded scan instead, and scores only the candidates it keeps.
///
/// The auxiliary function `dossier_frequencies(text)` returns, for the current row, a blob of
/// `Double`s: the row's length in tokens, the table's average row length, its row count, and
/// each phrase's weighted frequency in the row (title ×4, names ×3, facts ×2, body ×1).
/// Related SQLite documentation: <https://www.sqlite.org/fts5.html#custom_auxiliary_functions>.
enum RankFunction {
    static let name = "dossier_frequencies"
    /// Weights of the columns title, names, facts, body, as `bm25(text, 4, 3, 2, 1)` had them.
    static let columnWeights: [Double] = [4, 3, 2, 1]
    static let k1 = 1.2
    static let b = 0.75

    /// Registers `dossier_frequencies` on a connection (every connection of the index).
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        guard let create = api.pointee.xCreateFunction else { return }
        _ = create(UnsafeMutablePointer(mutating: api), name, nil, frequencies, nil)
    }

    /// The candidates of one search: their rowids and, end to end, the numbers
    /// `dossier_frequencies` gave for each (a flat buffer: a search scores up to a thousand).
    struct Candidates {
        private(set) var rowids: [Int64] = []
        private var values: [Double] = []
        /// Numbers per candidate: row length, average length, rows, then one per phrase.
        let stride: Int

        init(phrases: Int, capacity: Int) {
            stride = 3 + phrases
            rowids.reserveCapacity(capacity)
            values.reserveCapacity(capacity * stride)
        }

        var count: Int { rowids.count }

        /// Adds a row from its `dossier_frequencies` blob.
        /// - Returns: `false` when the blob is not one of this query's.
        mutating func append(_ rowid: Int64, _ blob: UnsafeRawBufferPointer) -> Bool {
            guard blob.count == stride * 8 else { return false }
            rowids.append(rowid)
            for offset in Swift.stride(from: 0, to: blob.count, by: 8) {
                values.append(blob.loadUnaligned(fromByteOffset: offset, as: Double.self))
            }
            return true
        }

        mutating func removeLast() {
            rowids.removeLast()
            values.removeLast(stride)
        }

        /// BM25 of candidate `index`, with `documents[i]` the number of rows phrase i occurs in
        /// (as `bm25()` defines the inverse document frequency, floored at 1e-6). Higher is better.
        func score(_ index: Int, documents: [Double]) -> Double {
            let base = index * stride
            let rowLength = values[base]
            let averageLength = values[base + 1]
            let rows = values[base + 2]
            let norm = RankFunction.k1 * (1 - RankFunction.b + RankFunction.b * rowLength / max(averageLength, 1))
            var score = 0.0
            for phrase in 0..<(stride - 3) {
                let frequency = values[base + 3 + phrase]
                guard frequency > 0 else { continue }
                let count = phrase < documents.count ? documents[phrase] : rows
                var idf = log((rows - count + 0.5) / (count + 0.5))
                if idf <= 0 { idf = 1e-6 }
                score += idf * (frequency * (RankFunction.k1 + 1)) / (frequency + norm)
            }
            return score
        }
    }

    /// `SQLITE_TRANSIENT` (a cast macro Swift cannot import): SQLite copies the blob.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private static let frequencies: fts5_extension_function = { api, fts, context, _, _ in
        guard let api = api?.pointee, let fts else {
            sqlite3_result_error(context, "dossier_frequencies: no FTS5 context", -1)
            return
        }
        let ok = SQLITE_OK
        let phraseCount = Int(api.xPhraseCount?(fts) ?? 0)
        var instances: Int32 = 0
        guard api.xInstCount?(fts, &instances) == ok else {
            sqlite3_result_error(context, "dossier_frequencies: xInstCount failed", -1)
            return
        }
        var rowLength: Int32 = 0
        var totalLength: Int64 = 0
        var rows: Int64 = 0
        guard api.xColumnSize?(fts, -1, &rowLength) == ok, api.xColumnTotalSize?(fts, -1, &totalLength) == ok,
            api.xRowCount?(fts, &rows) == ok
        else {
            sqlite3_result_error(context, "dossier_frequencies: cannot read the row's size", -1)
            return
        }
        // Called once per candidate: no heap allocation of its own.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 + phraseCount) { values in
            values.initialize(repeating: 0)
            for instance in 0..<instances {
                var phrase: Int32 = 0
                var column: Int32 = 0
                var offset: Int32 = 0
                guard api.xInst?(fts, instance, &phrase, &column, &offset) == ok, Int(phrase) < phraseCount else { continue }
                values[3 + Int(phrase)] += column >= 0 && Int(column) < columnWeights.count ? columnWeights[Int(column)] : 1
            }
            values[0] = Double(rowLength)
            values[1] = rows > 0 ? Double(totalLength) / Double(rows) : 0
            values[2] = Double(rows)
            sqlite3_result_blob(context, values.baseAddress, Int32(values.count * 8), transient)
        }
    }
}
