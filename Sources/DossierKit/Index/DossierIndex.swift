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
/// Every connection registers `CJKTokenizer`, through which the full-text table cuts Chinese
/// into characters and pairs (see ``TextSegmenter``).
///
/// Searches score matches with BM25 through the auxiliary function of `RankFunction`, and
/// read at most ``candidateLimit`` matches, newest first.
///
/// Split by job, as GRDB splits `Database`: opening and building here; writing in
/// DossierIndex+Writing.swift, the store's fingerprints in DossierIndex+StoreState.swift,
/// search, list and statistics in their own files.
///
/// ## Topics
/// ### Opening
/// - ``open(at:lease:)``
/// - ``inMemory()``
/// - ``build(at:folders:_:)``
/// ### Writing
/// - ``replace(_:)``
/// - ``remove(_:)``
/// ### Reading
/// - ``search(_:filter:limit:candidates:)``
/// - ``list(filter:)``
/// - ``statistics()``
/// ### The freshness check's record of the store
/// - ``record(folders:objects:)``
/// - ``inventoryDigest(of:)``
public struct DossierIndex: Sendable {
    let writer: any DatabaseWriter
    /// The database file, or `:memory:`.
    public let path: String
    /// The shared lock on the vault's index that keeps a rebuild from renaming another file
    /// over this one while it is open (see ``Vault/openIndexFile()``); released with the last copy.
    let lease: FileLock?

    /// Bumped whenever the schema or ``TextSegmenter`` changes what is stored: an index of
    /// another format is rebuilt, not migrated (it is derived data).
    public static let format = "dossier-index 3"

    // MARK: Opening

    /// Opens the index file at `path` (creating an empty index when there is none) and checks
    /// that it is an index of this format.
    /// - Throws: ``IndexError/corrupt(path:reason:)`` when the file is not a readable database,
    ///   ``IndexError/otherFormat(path:found:)`` when another format wrote it.
    /// - Parameters:
    ///   - path: the index file.
    ///   - lease: a lock to hold for as long as the index is open.
    public static func open(at path: String, lease: FileLock? = nil) throws(IndexError) -> DossierIndex {
        let index = try perform(path, lease: lease) { try DatabaseQueue(path: path, configuration: configuration()) }
        DossierIndex.restrictPermissions(path)
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

    /// SQLite creates its files 0644 less the umask; the index holds the vault's records, so it
    /// is the vault's owner's and group's only, like every other file (SQLite's journals copy
    /// the database file's mode).
    static func restrictPermissions(_ path: String) {
        guard path != ":memory:", let mode = FileSystem.permissions(of: path), mode & 0o007 != 0 || mode & 0o020 != 0 else { return }
        chmod(path, FileDescriptor.filePermissions)
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
    ///   - path: the new file.
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
            DossierIndex.restrictPermissions(path)
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

    /// Runs `body` in a read-only transaction, mapping every error to ``IndexError``.
    func runRead<T>(_ body: (Database) throws -> T) throws(IndexError) -> T {
        do {
            return try writer.read { db in try body(db) }
        } catch {
            throw IndexError.wrap(error, path: path)
        }
    }

    /// Runs `body` in a write transaction, mapping every error to ``IndexError``.
    func run<T>(_ body: (Database) throws -> T) throws(IndexError) -> T {
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
