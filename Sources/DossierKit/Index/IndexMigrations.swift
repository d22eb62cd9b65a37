import DossierModel
import GRDB

/// The index's schema. Migration identifiers never change once released; a change to what is
/// stored (or to ``TextSegmenter``) is a new ``DossierIndex/format``, and such an index is rebuilt.
enum IndexMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: dossiers, documents, versions, rules, text") { db in
            try db.execute(sql: """
                CREATE TABLE indexState (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                INSERT INTO indexState (key, value) VALUES ('format', '\(DossierIndex.format)');

                CREATE TABLE dossier (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    type TEXT NOT NULL,
                    funding TEXT NOT NULL,
                    grantKind TEXT NOT NULL,
                    classification TEXT NOT NULL,
                    head INTEGER NOT NULL,
                    headCreated TEXT NOT NULL,
                    -- From the rules engine, through IndexEnrichment.
                    status TEXT NOT NULL,
                    -- dossier.json of the head version, compact.
                    record TEXT NOT NULL,
                    -- The root inventory's sha512 (its sidecar): the freshness fingerprint.
                    inventoryDigest TEXT NOT NULL
                );
                CREATE INDEX dossierByUnit ON dossier (unit, type);

                CREATE TABLE version (
                    dossier TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    created TEXT NOT NULL,
                    message TEXT,
                    userName TEXT,
                    userAddress TEXT,
                    PRIMARY KEY (dossier, number)
                ) WITHOUT ROWID;

                CREATE TABLE document (
                    dossier TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    fileName TEXT NOT NULL,
                    mediaType TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sha512 TEXT NOT NULL,
                    sha256 TEXT,
                    filedAt TEXT NOT NULL,
                    filedBy TEXT NOT NULL,
                    facts TEXT NOT NULL,
                    -- signedOn, else issuedOn: what --since and --until compare.
                    date TEXT,
                    textSource TEXT NOT NULL,
                    textProblem TEXT,
                    textBytes INTEGER NOT NULL,
                    PRIMARY KEY (dossier, path)
                ) WITHOUT ROWID;
                CREATE INDEX documentByKind ON document (kind, date);

                CREATE TABLE flag (
                    dossier TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    flag TEXT NOT NULL,
                    PRIMARY KEY (dossier, flag)
                ) WITHOUT ROWID;
                CREATE INDEX flagByName ON flag (flag);

                CREATE TABLE finding (
                    dossier TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    message TEXT NOT NULL,
                    -- JSON array of logical paths.
                    documents TEXT NOT NULL,
                    PRIMARY KEY (dossier, ordinal)
                ) WITHOUT ROWID;

                -- One row per searchable unit (a dossier's record, each document); its rowid is
                -- the rowid of the full-text row.
                CREATE TABLE textRow (
                    rowid INTEGER PRIMARY KEY,
                    dossier TEXT NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    date TEXT
                );
                CREATE INDEX textRowByDossier ON textRow (dossier);

                CREATE VIRTUAL TABLE text USING fts5(title, names, facts, body, tokenize = '\(CJKTokenizer.name)');
                """)
        }
        migrator.registerMigration("v2: store fingerprints") { db in
            // What `stat` said about the store when the index last matched it (see
            // Vault.refreshIndex): every tuple folder of the layout, and every object's
            // inventory.json. `settled` is 0 for a fingerprint taken so soon after the file's last
            // change that another change could still leave it equal; such entries are verified
            // by content at the next check.
            try db.execute(sql: """
                -- The folders in one row (see StoreFolders): some 24,000 of them at 10,000 dossiers,
                -- read at every command, and rewritten only when a folder changed.
                CREATE TABLE storeFolders (folders BLOB NOT NULL);

                -- `dossier index` reports the text indexed and the documents without any: from this
                -- index alone (it holds the table's key), not from 60,000 rows of facts.
                CREATE INDEX documentText ON document (textProblem, textBytes);

                CREATE TABLE storeObject (
                    dossier TEXT PRIMARY KEY NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    fingerprint BLOB NOT NULL,
                    settled INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3: OCR") { db in
            // The mean confidence of text read by OCR (textSource 'ocr'); the index step finds the
            // scans still to read by their source.
            try db.execute(sql: """
                ALTER TABLE document ADD COLUMN textConfidence REAL;
                CREATE INDEX documentBySource ON document (textSource);
                """)
        }
        return migrator
    }
}
