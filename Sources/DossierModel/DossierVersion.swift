/// One version of a dossier as its history sees it: when and by whom it was made, why, and the
/// digest of every logical path it holds (OCFL's version block, read into values).
public struct DossierVersion: Sendable, Equatable {
    public var number: VersionNumber
    /// RFC 3339 with seconds and zone.
    public var created: String
    public var message: String?
    public var user: Agent?
    /// Logical path → sha512 (lowercase hexadecimal).
    public var files: [String: String]

    public init(number: VersionNumber, created: String, message: String?, user: Agent?, files: [String: String]) {
        self.number = number
        self.created = created
        self.message = message
        self.user = user
        self.files = files
    }

    /// The logical paths of the documents, without the record.
    public var documentFiles: [String: String] { files.filter { $0.key != LogicalPath.record } }
}
