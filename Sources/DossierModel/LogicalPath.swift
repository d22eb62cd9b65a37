/// The logical paths of a dossier's version (FORMATS.md §2): `dossier.json` for the record,
/// `documents/<kind>/<file name>` for each document.
public enum LogicalPath {
    /// The record's logical path in every version.
    public static let record = "dossier.json"

    /// `documents/<kind>/<file name>`.
    public static func document(kind: DocumentKind, fileName: String) -> String {
        "documents/\(kind.rawValue)/\(fileName)"
    }

    /// The kind in `documents/<kind>/<file>`, or `nil` for other paths.
    public static func kind(of path: String) -> DocumentKind? {
        let parts = path.split(separator: "/", maxSplits: 2)
        guard parts.count == 3, parts[0] == "documents" else { return nil }
        return DocumentKind(rawValue: String(parts[1]))
    }

    /// The last component of a path: a document's file name.
    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
