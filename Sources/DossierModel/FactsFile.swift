/// A facts file as `dossier template KIND` writes it and a person fills it in: one fact a
/// line, `key = value`, `#` starting a comment line, empty values left out. Keys are the
/// facts' ids or Chinese names (`签署日期 = 2024年3月2日`), dotted for groups
/// (`counterparty.country = DE`); values are typed as on the command line.
///
/// A file whose first character is `{` is JSON instead: its `null` members are left out, and
/// its string values are read by their fact's type (a date may be `2024年3月2日`).
public enum FactsFile {
    /// Reads a facts file for `kind` into canonical facts (not yet checked as a whole:
    /// ``FactSchema/validate(_:kind:)`` does that).
    /// - Parameters:
    ///   - text: the file's text: `key = value` lines (`#` comments) or a JSON object.
    ///   - file: the file's name, for messages.
    ///   - kind: the kind whose fact table types the values.
    public static func read(_ text: String, file: String, kind: DocumentKind) throws(FieldError) -> JSONObject {
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("{") {
            let reader = try FieldReader.parse(file: file, data: Array(trimmed.utf8))
            return try typed(try reader.object(), kind: kind, file: file, prefix: "")
        }
        var facts = JSONObject()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == "＝" }) else {
                throw FieldError(file: file, field: "line \(lineNumber)", problem: "expected KEY = VALUE, got \"\(line)\"")
            }
            let key = factPath(String(line[..<equals]).trimmingSpaces, kind: kind)
            let value = String(line[line.index(after: equals)...]).trimmingSpaces
            if value.isEmpty { continue }
            do {
                facts = setting(try FactSchema.read(value, at: key, kind: kind), at: key, in: facts)
            } catch {
                throw FieldError(file: file, field: "line \(lineNumber): \(key)", problem: error.message)
            }
        }
        return facts
    }

    /// A fact's dotted path from what was typed: its id, or its Chinese name.
    public static func factPath(_ typed: String, kind: DocumentKind) -> String {
        if FactSchema.field(at: typed, kind: kind) != nil { return typed }
        for (path, name) in FactSchema.factNames where name == typed && FactSchema.field(at: path, kind: kind) != nil {
            return path
        }
        return typed
    }

    /// `value` set at a dotted path of `object`, making the groups on the way.
    public static func setting(_ value: JSONValue, at path: String, in object: JSONObject) -> JSONObject {
        let parts = path.split(separator: ".").map(String.init)
        func set(_ parts: ArraySlice<String>, _ object: JSONObject) -> JSONObject {
            var object = object
            guard let first = parts.first else { return object }
            if parts.count == 1 {
                object[first] = value
            } else {
                object[first] = .object(set(parts.dropFirst(), object[first]?.objectValue ?? JSONObject()))
            }
            return object
        }
        return set(parts[...], object)
    }

    /// JSON facts with `null` members left out and string values read by their fact's type.
    static func typed(_ object: JSONObject, kind: DocumentKind, file: String, prefix: String) throws(FieldError) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object {
            let path = prefix.isEmpty ? factPath(key, kind: kind) : prefix + key
            switch value {
            case .null:
                continue
            case .object(let inner):
                let nested = try typed(inner, kind: kind, file: file, prefix: path + ".")
                if !nested.isEmpty { result[String(path.split(separator: ".").last ?? "")] = .object(nested) }
            case .string(let text):
                guard let field = FactSchema.field(at: path, kind: kind), field.type != .text else {
                    result[String(path.split(separator: ".").last ?? "")] = value
                    continue
                }
                if text.trimmingSpaces.isEmpty { continue }
                do {
                    result[String(path.split(separator: ".").last ?? "")] = try FactSchema.read(text, type: field.type, what: path)
                } catch {
                    throw FieldError(file: file, field: path, problem: error.message)
                }
            case .array(let elements) where elements.isEmpty:
                continue
            default:
                result[String(path.split(separator: ".").last ?? "")] = value
            }
        }
        return result
    }
}
