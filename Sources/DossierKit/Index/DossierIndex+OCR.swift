import DossierModel
import Foundation
import GRDB

/// A scan the index holds no OCR text of yet.
public struct AwaitingScan: Sendable, Equatable {
    public var dossier: DossierID
    /// The document's logical path in the head version.
    public var path: String
    public var fileName: String
    /// The content's sha512: OCR text is recorded only if the document still has these bytes.
    public var sha512: String
}

extension DossierIndex {
    /// The documents whose OCR has not run yet (their text source is `awaiting-ocr`),
    /// in the order of their dossiers and paths.
    public func awaitingScans() throws(IndexError) -> [AwaitingScan] {
        try runRead { db in
            try Row.fetchAll(db, sql: """
                SELECT dossier, path, fileName, sha512 FROM document WHERE textSource = ? ORDER BY dossier, path
                """, arguments: [ExtractedText.Source.awaitingOCR.rawValue]).compactMap { row in
                guard let id = DossierID(row[0] as String) else { return nil }
                return AwaitingScan(dossier: id, path: row[1], fileName: row[2], sha512: row[3])
            }
        }
    }

    /// How many documents wait for OCR.
    public func awaitingScanCount() throws(IndexError) -> Int {
        try runRead { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM document WHERE textSource = ?", arguments: [ExtractedText.Source.awaitingOCR.rawValue]) ?? 0
        }
    }

    /// Records what OCR read of a scan, searchable at once: `body` is given the text the
    /// document's own layer gave (a PDF with some pages typed, some scanned) and returns the
    /// document's whole text. Nothing is recorded when the document changed meanwhile (another
    /// version, other bytes). A document left with no text at all gets `problem`, else
    /// `problemIfEmpty()`.
    /// - Returns: whether the document was still awaiting these bytes' OCR.
    @discardableResult
    func recordOCR(_ scan: AwaitingScan, problem: String?, confidence: Double?, body: (String) -> String, problemIfEmpty: () -> String) throws(IndexError) -> Bool {
        try run { db in
            let unit = try Row.fetchOne(db, sql: """
                SELECT textRow.rowid, text.body FROM document
                JOIN textRow ON textRow.dossier = document.dossier AND textRow.path = document.path
                JOIN text ON text.rowid = textRow.rowid
                WHERE document.dossier = ? AND document.path = ? AND document.sha512 = ? AND document.textSource = ?
                """, arguments: [scan.dossier.rawValue, scan.path, scan.sha512, ExtractedText.Source.awaitingOCR.rawValue])
            guard let unit else { return false }
            let text = body(unit[1] ?? "")
            let problem = problem ?? (text.allSatisfy(\.isWhitespace) ? problemIfEmpty() : nil)
            try db.execute(sql: "UPDATE text SET body = ? WHERE rowid = ?", arguments: [text, unit[0] as Int64])
            try db.execute(sql: """
                UPDATE document SET textSource = ?, textProblem = ?, textBytes = ?, textConfidence = ?
                WHERE dossier = ? AND path = ?
                """, arguments: [ExtractedText.Source.ocr.rawValue, problem, text.utf8.count, confidence, scan.dossier.rawValue, scan.path])
            return true
        }
    }

    /// Every text OCR produced, by content sha512 (with the text layer it was joined to): a
    /// rebuild reuses them rather than reading every scan again at 1.3 CPU-seconds a page.
    func ocrTexts() throws(IndexError) -> [String: ExtractedText] {
        try runRead { db in
            var result: [String: ExtractedText] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT document.sha512, document.textProblem, text.body, document.textConfidence
                FROM document JOIN textRow ON textRow.dossier = document.dossier AND textRow.path = document.path
                JOIN text ON text.rowid = textRow.rowid
                WHERE document.textSource = ?
                """, arguments: [ExtractedText.Source.ocr.rawValue])
            while let row = try rows.next() {
                result[row[0]] = ExtractedText(text: row[2] ?? "", source: .ocr, problem: row[1], confidence: row[3])
            }
            return result
        }
    }

    /// What the index could read of each of a dossier's documents, by logical path: for `show`.
    public func textStates(of id: DossierID) throws(IndexError) -> [String: TextState] {
        try runRead { db in
            var result: [String: TextState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, textSource, textProblem, textBytes, textConfidence FROM document WHERE dossier = ?", arguments: [id.rawValue]) {
                guard let source = ExtractedText.Source(rawValue: row[1]) else { continue }
                result[row[0]] = TextState(source: source, problem: row[2], bytes: row[3], confidence: row[4])
            }
            return result
        }
    }
}

/// What the index holds of a document's text, without the text.
public struct TextState: Sendable, Equatable {
    public var source: ExtractedText.Source
    public var problem: String?
    public var bytes: Int
    public var confidence: Double?
}
