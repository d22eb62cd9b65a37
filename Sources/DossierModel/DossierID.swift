/// A dossier's id: the unit's achievement number, e.g. `IMUT-2021-0007`.
///
/// Pattern `[A-Z0-9][A-Z0-9._-]{0,63}` (RULES.md §1): safe as a file name and in a URN.
public struct DossierID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    public static let pattern = "[A-Z0-9][A-Z0-9._-]{0,63}"

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func isUpperOrDigit(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) }
        guard (1...64).contains(bytes.count), isUpperOrDigit(bytes[0]),
            bytes.dropFirst().allSatisfy({ isUpperOrDigit($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D })
        else { return nil }
        rawValue = text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = DossierID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a dossier id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The OCFL object id: a URN, so that validators see a URI (no W005).
    public var objectID: String { "urn:dossier:\(rawValue)" }

    /// The dossier id inside an OCFL object id, or `nil` when the object is not one of ours.
    public init?(objectID: String) {
        guard objectID.hasPrefix("urn:dossier:") else { return nil }
        self.init(String(objectID.dropFirst("urn:dossier:".count)))
    }

    public var description: String { rawValue }

    public static func < (lhs: DossierID, rhs: DossierID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension FieldReader {
    public func dossierID() throws(FieldError) -> DossierID {
        let text = try string()
        guard let id = DossierID(text) else {
            throw fail("expected a dossier id matching \(DossierID.pattern), got \"\(text)\"")
        }
        return id
    }
}
