import DossierModel
/// Why an archive could not be read or written, with libarchive's own message.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public var archive: String
    public var problem: String

    public init(archive: String, problem: String) {
        self.archive = archive
        self.problem = problem
    }

    public var description: String { "\(archive): \(problem)" }
}
