/// A problem with one field of a JSON file: names the file, the field and what was expected.
///
/// Printed as one line, e.g.
/// `filing.json: documents[0].facts.startsOn: expected a date YYYY-MM-DD, got "2021-02-30"`.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var problem: String

    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(file): \(problem)" : "\(file): \(field): \(problem)"
    }
}

/// Reads typed fields out of a ``JSONValue`` while remembering where it is, so that every
/// error names the file and the full field path.
public struct FieldReader: Sendable {
    public let file: String
    public let path: String
    public let value: JSONValue

    public init(file: String, value: JSONValue, path: String = "") {
        self.file = file
        self.value = value
        self.path = path
    }

    /// Parses `data` as JSON and returns a reader at its root.
    public static func parse(file: String, data: some Collection<UInt8>) throws(FieldError) -> FieldReader {
        do {
            return FieldReader(file: file, value: try JSONValue.parse(data))
        } catch {
            throw FieldError(file: file, field: "", problem: error.description)
        }
    }

    public func fail(_ problem: String) -> FieldError {
        FieldError(file: file, field: path, problem: problem)
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Objects

    /// The members of an object, after checking that no member outside `allowed` is present.
    public func object(allowing allowed: [String]? = nil) throws(FieldError) -> JSONObject {
        guard case .object(let object) = value else { throw fail("expected an object, got \(value.typeDescription)") }
        if let allowed {
            for key in object.keys where !allowed.contains(key) {
                throw FieldError(
                    file: file, field: childPath(key),
                    problem: "unknown field; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        return object
    }

    /// The reader for a member that must be present (and not null).
    public func required(_ key: String) throws(FieldError) -> FieldReader {
        let object = try object()
        guard let member = object[key], !member.isNull else {
            throw FieldError(file: file, field: childPath(key), problem: "missing; this field is required")
        }
        return FieldReader(file: file, value: member, path: childPath(key))
    }

    /// The reader for a member that may be absent; `nil` when absent or null.
    public func optional(_ key: String) throws(FieldError) -> FieldReader? {
        let object = try object()
        guard let member = object[key], !member.isNull else { return nil }
        return FieldReader(file: file, value: member, path: childPath(key))
    }

    public func has(_ key: String) -> Bool {
        if let member = value[key], !member.isNull { return true }
        return false
    }

    // MARK: Arrays

    public func array() throws(FieldError) -> [FieldReader] {
        guard case .array(let elements) = value else { throw fail("expected an array, got \(value.typeDescription)") }
        return elements.enumerated().map { FieldReader(file: file, value: $1, path: "\(path)[\($0)]") }
    }

    // MARK: Scalars

    public func string() throws(FieldError) -> String {
        guard case .string(let string) = value else { throw fail("expected a string, got \(value.typeDescription)") }
        return string
    }

    /// A string that must not be empty or only spaces.
    public func text() throws(FieldError) -> String {
        let string = try string()
        if string.allSatisfy(\.isWhitespace) { throw fail("expected a non-empty string") }
        return string
    }

    public func number() throws(FieldError) -> Double {
        guard case .number(let number) = value else {
            throw fail("expected a number, got \(value.typeDescription)\(quotedSuffix)")
        }
        return number
    }

    public func integer() throws(FieldError) -> Int {
        let number = try number()
        guard number == number.rounded(), abs(number) < 1e15 else { throw fail("expected a whole number, got \(JSONValue.format(number))") }
        return Int(number)
    }

    public func bool() throws(FieldError) -> Bool {
        guard case .bool(let bool) = value else {
            throw fail("expected true or false, got \(value.typeDescription)\(quotedSuffix)")
        }
        return bool
    }

    public func date() throws(FieldError) -> LocalDate {
        guard case .string(let string) = value else {
            throw fail("expected a date YYYY-MM-DD, got \(value.typeDescription)")
        }
        guard let date = LocalDate(string) else { throw fail("expected a date YYYY-MM-DD, got \"\(string)\"") }
        return date
    }

    /// A value from a closed set, named in the error when it does not match.
    public func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws(FieldError) -> T where T.RawValue == String {
        let string = try string()
        guard let choice = T(rawValue: string) else {
            throw fail("expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(string)\"")
        }
        return choice
    }

    public func strings() throws(FieldError) -> [String] {
        var result: [String] = []
        for element in try array() { result.append(try element.text()) }
        return result
    }

    private var quotedSuffix: String {
        if case .string(let s) = value { return " \"\(s)\"" }
        return ""
    }
}
