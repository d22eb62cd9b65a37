/// What a filing may cost, set in vault.json's `limits` (each optional; these are the
/// defaults). A bundle or a name over a limit is refused before anything is written for it.
public struct FilingLimits: Sendable, Equatable {
    /// All members of a bundle together, uncompressed.
    public var bundleBytes: Int64 = 8 << 30
    /// Members of a bundle (folders included).
    public var members: Int = 10_000
    /// How many times larger than its compressed form a bundle may grow, once past 1 MiB.
    public var compressionRatio: Int = 100
    /// Bytes of UTF-8 in one component of a name (Linux's NAME_MAX).
    public var nameComponentBytes: Int = 255
    /// Bytes of UTF-8 in a document's whole logical path, `documents/<kind>/<name>`.
    public var pathBytes: Int = 1024
    /// Characters in a dossier's title.
    public var titleCharacters: Int = 500

    public init() {}

    static let fields = ["bundleBytes", "members", "compressionRatio", "nameComponentBytes", "pathBytes", "titleCharacters"]

    var json: JSONValue {
        [
            "bundleBytes": .number(Double(bundleBytes)), "members": .number(Double(members)),
            "compressionRatio": .number(Double(compressionRatio)), "nameComponentBytes": .number(Double(nameComponentBytes)),
            "pathBytes": .number(Double(pathBytes)), "titleCharacters": .number(Double(titleCharacters)),
        ]
    }

    static func decode(_ reader: FieldReader) throws(FieldError) -> FilingLimits {
        _ = try reader.object(allowing: fields)
        var limits = FilingLimits()
        func positive(_ name: String, maximum: Int) throws(FieldError) -> Int? {
            guard let field = try reader.optional(name) else { return nil }
            let value = try field.integer()
            guard (1...maximum).contains(value) else { throw field.fail("expected a whole number from 1 to \(maximum), got \(value)") }
            return value
        }
        if let value = try positive("bundleBytes", maximum: Int(1) << 50) { limits.bundleBytes = Int64(value) }
        if let value = try positive("members", maximum: 10_000_000) { limits.members = value }
        if let value = try positive("compressionRatio", maximum: 100_000) { limits.compressionRatio = value }
        // A component longer than NAME_MAX cannot be a file on Linux, whatever the setting.
        if let value = try positive("nameComponentBytes", maximum: 255) { limits.nameComponentBytes = value }
        if let value = try positive("pathBytes", maximum: 4096) { limits.pathBytes = value }
        if let value = try positive("titleCharacters", maximum: 100_000) { limits.titleCharacters = value }
        return limits
    }

    /// What is wrong with a name under these limits: control characters, a component over
    /// ``nameComponentBytes``, the whole over `pathLimit` bytes; `nil` when it is fine.
    public func problem(withName name: String, pathLimit: Int? = nil) -> String? {
        if let scalar = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "holds the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)); names may not"
        }
        for component in name.split(separator: "/") where component.utf8.count > nameComponentBytes {
            return "has a component of \(component.utf8.count) bytes; at most \(nameComponentBytes) are allowed"
        }
        let limit = pathLimit ?? pathBytes
        if name.utf8.count > limit { return "is \(name.utf8.count) bytes long; at most \(limit) are allowed" }
        return nil
    }
}

extension FilingLimits {
    /// What is wrong with a document's file name filed as `kind`: a name that is empty, holds
    /// `/`, `.` or `..`, or a control character, a name over ``nameComponentBytes``, or a
    /// logical path `documents/<kind>/<name>` over ``pathBytes``; `nil` when it is fine. Filing,
    /// `rename` and `move` call it before anything is written, and exports before an archive
    /// library sees the name.
    public func problem(withDocumentName name: String, kind: DocumentKind) -> String? {
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") {
            return "is not a usable file name (empty, \".\", \"..\", or holding \"/\")"
        }
        if let problem = problem(withName: name) { return problem }
        let logical = DocumentEntry.logicalPath(kind: kind, fileName: name)
        if logical.utf8.count > pathBytes {
            return "makes the path \(logical.utf8.count) bytes long (\(logical.prefix(40))…); at most \(pathBytes) are allowed (vault.json limits.pathBytes)"
        }
        return nil
    }

    /// What is wrong with a dossier's title: a control character, or more than
    /// ``titleCharacters`` characters; `nil` when it is fine.
    public func problem(withTitle title: String) -> String? {
        if let scalar = title.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "holds the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)); titles may not"
        }
        if title.count > titleCharacters { return "is \(title.count) characters long; at most \(titleCharacters) are allowed (vault.json limits.titleCharacters)" }
        return nil
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
