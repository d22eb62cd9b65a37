import DossierModel
import GRDB

extension DossierIndex {
    /// What the index recorded of one document's text when it read it.
    public struct TextRecord: Sendable, Equatable {
        public var dossier: String
        public var path: String
        /// The sha512 of the bytes the text was read from.
        public var sha512: String
        /// How the text was read (`pdf`, `utf-8`, `none`, `failed`, `encrypted` …).
        public var source: String
        public var problem: String?
        /// Bytes of text kept.
        public var bytes: Int
    }

    /// Every document's text record, by dossier and path: the four-properties check's U3 takes
    /// them for documents whose bytes are unchanged instead of reading every document again.
    public func textRecords() throws(IndexError) -> [TextRecord] {
        try runRead { db in
            try Row.fetchAll(db, sql: "SELECT dossier, path, sha512, textSource, textProblem, textBytes FROM document").map { row in
                TextRecord(dossier: row[0], path: row[1], sha512: row[2], source: row[3], problem: row[4], bytes: row[5])
            }
        }
    }

    /// The text records of one dossier's documents (an export's check takes the text OCR read).
    public func textRecords(of dossier: String) throws(IndexError) -> [TextRecord] {
        try runRead { db in
            try Row.fetchAll(
                db, sql: "SELECT dossier, path, sha512, textSource, textProblem, textBytes FROM document WHERE dossier = ?", arguments: [dossier]
            ).map { row in
                TextRecord(dossier: row[0], path: row[1], sha512: row[2], source: row[3], problem: row[4], bytes: row[5])
            }
        }
    }
}
