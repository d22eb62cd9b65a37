import DossierModel
import GRDB

/// The FTS5 tokenizer of the index: ``TextSegmenter`` registered with SQLite, so that the
/// table stores the original text and `snippet()`/`highlight()` mark exactly the characters
/// that matched.
///
/// Registered on every connection the index opens (``DossierIndex``); a connection without it
/// cannot read the full-text table, which is why the index is only ever opened through
/// ``DossierIndex``. Related SQLite documentation: <https://www.sqlite.org/fts5.html#custom_tokenizers>.
final class CJKTokenizer: FTS5CustomTokenizer {
    static let name = "dossier_cjk"

    /// `SQLITE_OK` and `FTS5_TOKEN_COLOCATED` from sqlite3.h / fts5.h, which GRDB does not re-export.
    private static let ok: CInt = 0
    private static let colocated: CInt = 0x0001

    init(db: Database, arguments: [String]) throws {}

    func tokenize(
        context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?, nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return Self.ok }
        let text = UnsafeBufferPointer(start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
        // A prefix phrase keeps its last character: `玉*` must also find 玉 at the end of a run.
        let mode: TextSegmenter.Mode =
            if tokenization.contains(.query) { tokenization.contains(.prefix) ? .query : .match } else { .document }
        var code = Self.ok
        TextSegmenter.segment(text, mode: mode) { token, start, end, colocated in
            code = token.withMemoryRebound(to: CChar.self) { bytes in
                tokenCallback(context, colocated ? Self.colocated : 0, bytes.baseAddress, CInt(bytes.count), CInt(start), CInt(end))
            }
            return code == Self.ok
        }
        return code
    }
}
