@testable import DossierModel
import Testing

/// The parser's fast paths (strings without escapes, whole numbers, duplicate keys without
/// hashing) must give the same answers as the general ones.
@Suite("JSON parser fast paths")
struct JSONParserFastPathTests {
    @Test("strings with and without escapes, ASCII and Chinese")
    func strings() throws {
        #expect(try JSONValue.parse(#"["plain", "公示记录", "tab\there", "\u516c\u793a", ""]"#)
            == ["plain", "公示记录", "tab\there", "公示", ""])
    }

    @Test("invalid UTF-8 inside a string is refused with its position")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("[\"ab".utf8) + [0xFF] + Array("\"]".utf8)
        #expect(throws: JSONSyntaxError(line: 1, column: 2, reason: "string is not valid UTF-8")) { try JSONValue.parse(bytes) }
    }

    @Test("whole numbers, negatives, fractions and exponents")
    func numbers() throws {
        #expect(try JSONValue.parse("[0, 7, -42, 183422, 999999999999999, 1234567890123456789, 33.5, -2e3]")
            == [0, 7, -42, 183422, 999_999_999_999_999, .number(Double("1234567890123456789")!), 33.5, -2000])
    }

    @Test("a duplicate key is refused in small and in large objects")
    func duplicates() {
        #expect(throws: JSONSyntaxError(line: 1, column: 10, reason: "the member \"a\" appears twice")) { try JSONValue.parse(#"{"a": 1, "a": 2}"#) }
        let members = (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let text = "{\(members), \"k3\": 0}"
        #expect(throws: JSONSyntaxError(line: 1, column: text.count - 7, reason: "the member \"k3\" appears twice")) { try JSONValue.parse(text) }
    }
}
