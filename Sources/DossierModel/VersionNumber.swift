/// An OCFL version number as the vault writes it: `v1`, `v2`, … (no zero padding).
public struct VersionNumber: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let number: Int

    public init(_ number: Int) {
        precondition(number >= 1, "version numbers start at 1")
        self.number = number
    }

    /// Parses `vN` with N ≥ 1 and no leading zeros; `nil` otherwise.
    public init?(_ text: String) {
        guard text.hasPrefix("v"), text.count >= 2 else { return nil }
        let digits = text.dropFirst()
        guard digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number >= 1 else {
            return nil
        }
        self.number = number
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let version = VersionNumber(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a version name: \(text)")
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { "v\(number)" }
    public var next: VersionNumber { VersionNumber(number + 1) }
    public var previous: VersionNumber? { number > 1 ? VersionNumber(number - 1) : nil }

    public static func < (lhs: VersionNumber, rhs: VersionNumber) -> Bool { lhs.number < rhs.number }
}
