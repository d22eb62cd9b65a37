import DossierModel
import Foundation

/// A document arriving in a filing, its bytes already staged.
public struct IncomingDocument: Sendable {
    public var kind: DocumentKind
    /// The name it is stored under: the last component of the file it came from, in NFC.
    public var fileName: String
    public var facts: JSONObject
    public var content: StagedFile
    /// Where it was declared, for messages (`documents[1]`, or the file's path).
    public var origin: String
    /// How the staged bytes are encrypted (a classified dossier's papers), or `nil`.
    public var encryption: DocumentEncryption?
    /// For an encrypted paper filed from a file on disk: that file, whose signatures are checked
    /// in place (the vault never writes a classified paper in the clear). `nil` otherwise.
    public var plaintextSource: String?

    public init(kind: DocumentKind, fileName: String, facts: JSONObject, content: StagedFile, origin: String, encryption: DocumentEncryption? = nil) {
        self.kind = kind
        self.fileName = fileName.precomposedNFC
        self.facts = facts
        self.content = content
        self.origin = origin
        self.encryption = encryption
    }

    public var logicalPath: String { DocumentEntry.logicalPath(kind: kind, fileName: fileName) }
}

/// Everything one filing changes; becomes exactly one new version.
public struct DossierChange: Sendable {
    public enum Target: Sendable {
        /// Open a new dossier with this record.
        case create(DossierRecord)
        /// Change an existing dossier; `update` holds record fields to change.
        case existing(update: FieldReader?)
    }

    public var target: Target
    public var documents: [IncomingDocument] = []
    /// Logical path → new file name (same kind).
    public var renames: [(from: String, to: String)] = []
    /// Logical paths of documents to take out of the dossier (they stay in earlier versions).
    /// Each is checked under the dossier's lock against the profile's keeping rule (R26).
    public var withdrawals: [String] = []
    /// Facts to change on filed documents: merged under the dossier's lock into the facts the
    /// head records (`removing` names facts, dotted, to take out), then checked for the kind.
    public var amendments: [FactAmendment] = []
    public var message: String?
    public var user: Agent
    /// Names the source in messages: the bundle's name, or "command line".
    public var source: String
    /// Whether the update may change the classification: only `classify` and `declassify`,
    /// which store every version's papers accordingly, set it.
    var changesClassification = false

    public init(target: Target, documents: [IncomingDocument] = [], renames: [(from: String, to: String)] = [], message: String? = nil, user: Agent, source: String) {
        self.target = target
        self.documents = documents
        self.renames = renames
        self.message = message
        self.user = user
        self.source = source
    }
}

/// A change to a filed document's facts, or its move to another kind (`dossier amend`,
/// `dossier move`): the bytes stay as they are; the record and, for a move, the path change.
public struct FactAmendment: Sendable {
    /// The document's logical path in the head version.
    public var path: String
    /// Facts to set (deep-merged into the recorded ones), in canonical form.
    public var setting: JSONObject
    /// Dotted paths of facts to take out.
    public var removing: [String]
    /// The kind to move the document to, or `nil` to keep its kind.
    public var newKind: DocumentKind?

    public init(path: String, setting: JSONObject, removing: [String] = [], newKind: DocumentKind? = nil) {
        self.path = path.precomposedNFC
        self.setting = setting
        self.removing = removing
        self.newKind = newKind
    }
}

/// What a filing did.
public struct FilingResult: Sendable {
    public var id: DossierID
    public var version: VersionNumber
    public var created: Bool
    public var documents: [String]
    /// Files whose bytes were new to the dossier and so were stored.
    public var storedFiles: Int
    public var storedBytes: Int64
    /// Files whose bytes the dossier already had: recorded, not stored again.
    public var deduplicatedFiles: Int
    /// Why the index could not be updated after the filing (the filing itself stands; the
    /// next command that reads the index brings it up to date), or `nil`.
    public var indexWarning: String?
    /// What a person should know about how the filing was read (a bundle's encodings).
    public var notes: [String] = []
    /// Why the version's audit line could not be written (the filing itself stands, with exit
    /// status 0; the next change to the dossier writes the line, marked as written by
    /// recovery), or `nil`.
    public var auditWarning: String?
    /// Papers filed that do not open, or whose text waits for OCR: one line each, naming the
    /// document (the filing stands).
    public var paperNotes: [PaperNote] = []
    /// The verdicts on the signatures of the papers filed (R28), by logical path; papers
    /// without signatures are not listed.
    public var signatures: [String: [SignatureVerdict]] = [:]
    /// The papers of a large filing being inspected for its four-properties check, which
    /// takes them (``Vault/checkFiling(_:options:)``).
    var inspectionsAhead: InspectionsAhead?
}

/// Something to tell the filer about one paper just filed.
public struct PaperNote: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The paper does not open (a broken PDF, an encrypted one, a refused OFD …): no text,
        /// no signature could be checked. A warning.
        case unreadable
        /// A scan: its text is read by OCR when `dossier index` runs. A note.
        case awaitingOCR = "awaiting-ocr"
    }

    public var kind: Kind
    /// The document's logical path.
    public var path: String
    public var detail: String
}

extension FactAmendment {
    /// `setting` merged into `facts`: groups (objects) member by member, everything else replaced.
    static func merge(_ setting: JSONObject, into facts: JSONObject) -> JSONObject {
        var result = facts
        for (key, value) in setting {
            if case .object(let inner) = value, case .object(let existing)? = result[key] {
                result[key] = .object(merge(inner, into: existing))
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// `facts` without the fact at a dotted path.
    static func removing(_ path: String, from facts: JSONObject) -> JSONObject {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first else { return facts }
        var result = facts
        if parts.count == 1 {
            result[first] = nil
        } else if case .object(let inner)? = result[first] {
            result[first] = .object(removing(parts.dropFirst().joined(separator: "."), from: inner))
        }
        return result
    }
}
