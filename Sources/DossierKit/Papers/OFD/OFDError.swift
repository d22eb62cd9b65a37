/// Why an OFD file was refused: a one-line description naming the member and the limit or
/// expectation that was not met.
public enum OFDError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file could not be read from disk.
    case unreadable(file: String, detail: String)
    /// The file is not a zip container (OFD is a zip), or its zip structure is broken.
    case notZip(file: String, detail: String)
    /// libarchive could not read or decompress a member.
    case archive(member: String, detail: String)
    /// The package holds more members than ``OFDLimits/maximumMembers``.
    case tooManyMembers(file: String, count: Int, limit: Int)
    /// A member name that could escape the package or be read two ways (`..`, absolute, `\`).
    case unsafeMemberName(member: String, reason: String)
    /// Two members with the same name.
    case duplicateMember(member: String)
    /// A member that is a link, device or other non-regular entry.
    case notRegularFile(member: String, kind: String)
    /// A member encrypted with zip encryption.
    case encryptedMember(member: String)
    /// A member larger, uncompressed, than ``OFDLimits/maximumMemberBytes``.
    case memberTooLarge(member: String, limit: Int)
    /// A member that decompresses to more than its central directory says.
    case sizeMismatch(member: String, declared: Int64)
    /// All members together larger, uncompressed, than ``OFDLimits/maximumTotalBytes``.
    case totalTooLarge(member: String, limit: Int)
    /// A member that expands more than ``OFDLimits/maximumCompressionRatio`` times.
    case compressionRatio(member: String, compressed: Int64, limit: Int)
    /// An XML part that is malformed or breaks an XML limit (DOCTYPE, entities, depth …).
    case xml(member: String, line: Int, problem: String)
    /// An XML part whose bytes are not in a known text encoding.
    case encoding(member: String, problem: String)
    /// A file named by another part that is not in the package.
    case missingMember(member: String, referencedBy: String, role: String)
    /// The parts do not make an OFD document (no OFD.xml, wrong root element …).
    case structure(member: String, problem: String)
    /// Content that breaks a content limit (glyph lists, text runs, nesting).
    case contentLimit(member: String, problem: String)

    /// One line: the member (or file), then the limit or expectation it did not meet.
    public var description: String {
        switch self {
        case let .unreadable(file, detail):
            return "\(file): cannot read the file: \(detail)"
        case let .notZip(file, detail):
            return "\(file): not an OFD file: expected a zip container, \(detail)"
        case let .archive(member, detail):
            return "\(member): cannot be decompressed: \(detail)"
        case let .tooManyMembers(file, count, limit):
            return "\(file): \(count) members, more than the limit of \(limit)"
        case let .unsafeMemberName(member, reason):
            return "\(member): unsafe member name (\(reason)); expected a relative path inside the package"
        case let .duplicateMember(member):
            return "\(member): the package holds two members with this name"
        case let .notRegularFile(member, kind):
            return "\(member): is \(kind); expected a regular file"
        case let .encryptedMember(member):
            return "\(member): is encrypted; OFD members must be readable"
        case let .memberTooLarge(member, limit):
            return "\(member): decompresses to more than the limit of \(limit) bytes per member"
        case let .sizeMismatch(member, declared):
            return "\(member): decompresses to more than the \(declared) bytes its zip directory declares"
        case let .totalTooLarge(member, limit):
            return "\(member): the members decompress to more than the limit of \(limit) bytes in total"
        case let .compressionRatio(member, compressed, limit):
            return "\(member): expands more than \(limit) times its \(compressed) compressed bytes (the compression-ratio limit)"
        case let .xml(member, line, problem):
            return "\(member):\(line): \(problem)"
        case let .encoding(member, problem):
            return "\(member): \(problem)"
        case let .missingMember(member, referencedBy, role):
            return "\(referencedBy): \(role) \(member) is not in the package"
        case let .structure(member, problem):
            return "\(member): \(problem)"
        case let .contentLimit(member, problem):
            return "\(member): \(problem)"
        }
    }
}
