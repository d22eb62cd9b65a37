import DossierModel
/// Why the index could not answer.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// The query has nothing that can be searched (only punctuation or spaces).
    case emptyQuery(String)
    /// The file is not an index this version of dossier can read: damaged, or not a database.
    case corrupt(path: String, reason: String)
    /// The index was written by another format of dossier.
    case otherFormat(path: String, found: String)
    /// SQLite refused an operation.
    case database(path: String, message: String)
    /// Another dossier process kept the index (`path` is its lock file) for the whole wait.
    case busy(path: String, holder: String, waitedSeconds: Double)

    public var description: String {
        switch self {
        case .emptyQuery(let text): "the query \"\(text)\" has no words to search for"
        case .corrupt(let path, let reason): "\(path) is damaged: \(reason)"
        case .otherFormat(let path, let found): "\(path) was written by another index format (\(found))"
        case .database(let path, let message): "\(path): \(message)"
        case .busy(let path, let holder, let waited): "the index is in use by another dossier process (\(holder), \(path)); gave up after \(Int(waited)) s"
        }
    }

    /// Whether the file should be thrown away and rebuilt from the store.
    var needsRebuild: Bool {
        switch self {
        case .corrupt, .otherFormat: true
        case .emptyQuery, .database, .busy: false
        }
    }
}
