import DossierModel
/// How much a finding matters: an error makes the object invalid, a warning asks a person to look.
public enum FindingSeverity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs == .error && rhs == .warning }
}

/// A validation code: OCFL 1.1's own (https://ocfl.io/1.1/spec/validation-codes.html), `E` for a
/// MUST and `W` for a SHOULD, plus the vault's `D` codes for what FORMATS.md adds to the store.
///
/// Every code of the spec's list is here, so that a finding can only carry a real code. A few are
/// never reported (``isReported`` is `false` and ``unreportedReason`` says why): they constrain
/// writers, clients or file systems rather than the files on disk, or a more specific code
/// reports the same fault.
public enum ValidationCode: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case E001, E002, E003, E004, E005, E006, E007, E008, E009, E010
    case E011, E012, E013, E014, E015, E016, E017, E018, E019, E020
    case E021, E022, E023, E024, E025, E026, E027, E028, E029, E030
    case E031, E032, E033, E034, E035, E036, E037, E038, E039, E040
    case E041, E042, E043, E044, E045, E046, E047, E048, E049, E050
    case E051, E052, E053, E054, E055, E056, E057, E058, E059, E060
    case E061, E062, E063, E064, E066, E067, E069, E070
    case E071, E072, E073, E074, E075, E076, E077, E078, E079, E080
    case E081, E082, E083, E084, E085, E087, E088, E089, E090
    case E091, E092, E093, E094, E095, E096, E097, E098, E099, E100
    case E101, E102, E103, E104, E105, E106, E107, E108, E110
    case E111, E112
    case W001, W002, W003, W004, W005, W007, W008, W009, W010
    case W011, W012, W013, W014, W015, W016
    /// The object's id is not a dossier's (`urn:dossier:<id>`).
    case D001
    /// A version's state has no `dossier.json`.
    case D002
    /// A version's `dossier.json` does not decode as a dossier record.
    case D003
    /// A version's `dossier.json` names another dossier than the object's id.
    case D004
    /// `dossier.json` lists a document that is not in its version's state.
    case D005
    /// The version's state holds a document that `dossier.json` does not list.
    case D006
    /// `dossier.json` gives a document a sha512 other than the state's.
    case D007
    /// `dossier.json` gives a document a size other than its content file's.
    case D008
    /// A version in the store has no line in the audit log.
    case A001
    /// A version's `inventory.json` is not the one its audit line recorded (sha512).
    case A002
    /// The audit log records a version or a dossier that the store does not hold.
    case A003
    /// The audit log is missing or empty while the store holds versions.
    case A004
    /// A change is in the store whose audit line is still to be written by recovery (a
    /// process was stopped between the two); the next change to the dossier writes it.
    case A005
    /// A version folder is committed but the root inventory not yet rolled forward (a process
    /// was stopped between the two); the next change to the dossier completes it.
    case A006

    public var severity: FindingSeverity { rawValue.hasPrefix("W") || self == .A005 || self == .A006 ? .warning : .error }

    /// Where the rule is written down.
    public var reference: String {
        if rawValue.hasPrefix("D") { return "FORMATS.md §2–3 (dossier.json)" }
        if rawValue.hasPrefix("A") { return "README.md, The store and the audit log vouch for each other" }
        return "https://ocfl.io/1.1/spec/#\(rawValue)"
    }

    public static func < (lhs: ValidationCode, rhs: ValidationCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `false` for the codes this validator never reports.
    public var isReported: Bool { unreportedReason == nil }

    /// Why a code is never reported: it cannot be seen in files at rest, or a more specific
    /// code reports the same fault.
    public var unreportedReason: String? {
        switch self {
        case .E002, .E075: "NAMASTE form is checked piece by piece: E003–E007 for objects, E076–E080 for roots"
        case .E026: "unknown fixity algorithms are reported as E056, the fixity block's code for the same rule"
        case .E044: "a missing versions key is reported as E043"
        case .E072: "files outside objects are reported by where they sit: E084 in intermediate folders, E085 in folders ending the hierarchy"
        case .E088: "every root folder but extensions is read as storage hierarchy: stray ones are E073, E084 or E085"
        case .W012: "what the logs folder holds is local practice; nothing on disk shows whether it is used"
        case .E022: "it tells validators to ignore other folders in a version folder; they get W002 instead"
        case .E027: "it asks clients to support the fixity algorithms; this validator does, for all five"
        case .E028: "it asks clients to ignore unsupported optional algorithms; this validator does so silently"
        case .E034: "a misnamed inventory is indistinguishable from a missing one, reported as E063"
        case .E051, .E098: "they define how paths are read; the checkable parts are E052/E053 and E099/E100"
        case .E055: "it only says the block's key is `fixity`; any other key is E102"
        case .E062: "it orders the writer's steps; a wrong order shows up as E060 or E064"
        case .E074: "independence of storage roots is a deployment property"
        case .E082: "an object inside another object is reported as E001 of the outer object"
        case .E087: "it tells validators to ignore unknown files in the storage root, which this one does"
        case .E091: "case preservation belongs to the file system"
        default: nil
        }
    }

    /// The rule in one line (OCFL 1.1's wording, shortened).
    public var summary: String {
        switch self {
        case .E001: "The object root must not contain files or folders other than those the spec lists."
        case .E002: "The object's version declaration must follow NAMASTE."
        case .E003: "There must be exactly one version declaration file in the object root."
        case .E004: "The declaration's file name must be 0=ocfl_object_ followed by the spec version."
        case .E005: "The declaration's NAMASTE tag must be 0."
        case .E006: "The declaration's value must be ocfl_object_ followed by the spec version."
        case .E007: "The declaration's text must be its value followed by a newline."
        case .E008: "Object content must be stored as a sequence of one or more versions."
        case .E009: "The version sequence must start at 1."
        case .E010: "The version sequence must be continuous, without missing numbers."
        case .E011: "Zero-padded version names must start with v0."
        case .E012: "All version names must use the same convention: unpadded, or padded to one length."
        case .E013: "A new version must follow the naming convention of the earlier ones."
        case .E014: "Inventories must refer to files with the actual version folder names."
        case .E015: "A version folder may hold no files other than an inventory and its digest."
        case .E016: "A version that adds files must have the content folder."
        case .E017: "contentDirectory must not contain a slash."
        case .E018: "contentDirectory must not be . or .."
        case .E019: "contentDirectory, if set, must be set in the first version."
        case .E020: "contentDirectory must not change between versions."
        case .E021: "Without contentDirectory, the content folder is named content."
        case .E022: "Validators must ignore folders in a version folder other than the content folder."
        case .E023: "Every file in a version's content folder must be in the manifest."
        case .E024: "There must be no empty folders in a content folder."
        case .E025: "Content addressing must use sha512 or sha256."
        case .E026: "Fixity algorithms must come from the spec's list or the digest algorithms extension."
        case .E027: "Clients must support every fixity algorithm of the spec's list."
        case .E028: "Clients must ignore optional fixity algorithms they do not support."
        case .E029: "sha1 digests must be hex-encoded."
        case .E030: "sha256 digests must be hex-encoded."
        case .E031: "sha512 digests must be hex-encoded."
        case .E032: "blake2b-512 digests must be hex-encoded."
        case .E033: "The inventory must be JSON with the structure the spec describes."
        case .E034: "The inventory must be named inventory.json."
        case .E035: "Content paths must use the forward slash as separator."
        case .E036: "The inventory must have id, type, digestAlgorithm and head."
        case .E037: "The id must be unique in its context."
        case .E038: "type must be the inventory URI of the declared spec version."
        case .E039: "digestAlgorithm must be the algorithm of the manifest and state digests."
        case .E040: "head must be the highest version name."
        case .E041: "The inventory must have a manifest block (and a versions block)."
        case .E042: "Content paths must be relative to the object root, inside a version's content folder."
        case .E043: "The inventory must have a block of versions."
        case .E044: "That block's key must be versions."
        case .E045: "versions must be a JSON object."
        case .E046: "The keys of versions must be the names of the version folders."
        case .E047: "Each version must be a JSON object."
        case .E048: "Each version must have created and state."
        case .E049: "created must be an RFC 3339 date-time with seconds and a time zone."
        case .E050: "Every state digest must exactly match a manifest digest."
        case .E051: "A logical path is a sequence of elements joined by /."
        case .E052: "Logical path elements must not be ., .. or empty."
        case .E053: "A logical path must not begin or end with /."
        case .E054: "user must have a name."
        case .E055: "The fixity block's key must be fixity."
        case .E056: "fixity keys must be known digest algorithms."
        case .E057: "Each fixity block must map digests to arrays of content paths from the manifest."
        case .E058: "Every inventory must have a sidecar stating its digest."
        case .E059: "The sidecar's algorithm must be the inventory's digestAlgorithm."
        case .E060: "The sidecar must hold the inventory's digest."
        case .E061: "The sidecar must read: DIGEST inventory.json."
        case .E062: "The sidecar must be written last."
        case .E063: "Every object must have an inventory in its root."
        case .E064: "The root inventory must be the same file as the newest version's."
        case .E066: "Each older inventory must describe the same state for its versions as the root inventory."
        case .E067: "An object's extensions folder may hold only extension folders."
        case .E069: "A storage root must contain a root conformance declaration."
        case .E070: "ocfl_layout.json must be JSON with extension and description."
        case .E071: "ocfl_layout.json's extension must be a registered extension name."
        case .E072: "The storage hierarchy must not contain files that are not part of an object."
        case .E073: "There must be no empty folders under a storage root."
        case .E074: "Each storage root must be independent."
        case .E075: "The root declaration must follow NAMASTE."
        case .E076: "There must be exactly one root declaration file."
        case .E077: "The root declaration's file name must be 0=ocfl_ followed by the spec version."
        case .E078: "The root declaration's NAMASTE tag must be 0."
        case .E079: "The root declaration's value must be ocfl_ followed by the spec version."
        case .E080: "The root declaration's text must be its value followed by a newline."
        case .E081: "Objects must conform to the same or an earlier spec version than their storage root."
        case .E082: "Object roots must end a storage hierarchy or sit directly in the storage root."
        case .E083: "Object ids must map to storage paths deterministically (the declared layout)."
        case .E084: "Storage hierarchies must not have files in intermediate folders."
        case .E085: "Storage hierarchies must end in object roots."
        case .E087: "Validators must ignore files in the storage root they do not understand."
        case .E088: "A storage root may hold no folders but the storage hierarchy and extensions."
        case .E089: "Features OCFL cannot hold must be wrapped in a disk or file system image."
        case .E090: "Hard and symbolic links must not be used in OCFL storage."
        case .E091: "File systems must preserve the case of file names."
        case .E092: "Each manifest digest must be the digest of every content path listed under it."
        case .E093: "Each fixity digest must be the digest of every content path listed under it."
        case .E094: "message must be a JSON string."
        case .E095: "Logical paths in a version must be unique and not prefixes of one another."
        case .E096: "Each digest may appear only once in the manifest, whatever its case."
        case .E097: "Each digest may appear only once per fixity algorithm, whatever its case."
        case .E098: "A content path is a sequence of elements joined by /."
        case .E099: "Content path elements must not be ., .. or empty."
        case .E100: "A content path must not begin or end with /."
        case .E101: "Content paths must be unique and not prefixes of one another."
        case .E102: "An inventory must not contain keys the spec does not describe."
        case .E103: "Each version must conform to the same or a later spec version than the one before."
        case .E104: "Version folder names must be v followed by the version number."
        case .E105: "Version numbers must be positive base-ten integers."
        case .E106: "manifest must be a JSON object."
        case .E107: "Every manifest digest must be used by some version's state."
        case .E108: "contentDirectory must name a direct child of the version folder."
        case .E110: "The object id must not change between versions."
        case .E111: "fixity must be a JSON object."
        case .E112: "A storage root's extensions folder may hold only extension folders."
        case .W001: "Version names should not be zero-padded."
        case .W002: "A version folder should hold no folders but the content folder."
        case .W003: "A version without content should not have a content folder."
        case .W004: "Content addressing should use sha512."
        case .W005: "The object id should be a URI."
        case .W007: "Each version should have message and user."
        case .W008: "user should have an address."
        case .W009: "The user's address should be a URI (mailto: or a URL)."
        case .W010: "Every version folder should hold an inventory."
        case .W011: "created, message and user should be the same in every inventory that has the version."
        case .W012: "The logs folder should hold records of actions on the object."
        case .W013: "An object's extension folders should be named after registered extensions."
        case .W014: "A storage root should use one layout pattern."
        case .W015: "A storage root should hold objects either all at the top or all in a hierarchy."
        case .W016: "A storage root's extension folders should be named after registered extensions."
        case .D001: "Every object in the vault's store has the id urn:dossier:<dossier id>."
        case .D002: "Every version of a dossier has a dossier.json."
        case .D003: "Every dossier.json decodes as a dossier record."
        case .D004: "dossier.json names the dossier its object is."
        case .D005: "Every document dossier.json lists is in its version's state."
        case .D006: "dossier.json lists every document in its version's state."
        case .D007: "dossier.json gives each document the sha512 its version's state has."
        case .D008: "dossier.json gives each document the size of its content file."
        case .A001: "Every version in the store has its line in the audit log."
        case .A002: "Every version's inventory.json has the sha512 its audit line recorded."
        case .A003: "Every version and dossier the audit log records is in the store."
        case .A004: "The audit log is there, and not empty, when the store holds versions."
        case .A005: "An audit line left to recovery is written by the next change to the dossier."
        case .A006: "A version whose root inventory is not rolled forward is completed by the next change to the dossier."
        }
    }
}
