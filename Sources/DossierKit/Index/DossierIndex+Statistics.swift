import DossierModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension DossierIndex {
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

}
