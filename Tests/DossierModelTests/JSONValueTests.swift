import DossierModel
import Testing

@Suite("JSON parsing and writing")
struct JSONValueTests {
    @Test("parses every JSON type and keeps object member order")
    func parsesAndKeepsOrder() throws {
        let value = try JSONValue.parse(#"{"z": 1, "a": [true, false, null, -2.5e1, "中\u6587\n"], "m": {}}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["a"] == [true, false, nil, -25, "中文\n"])
        #expect(value["m"] == .object(JSONObject()))
    }

    @Test("writes Chinese as UTF-8, integers without a fraction, and round-trips")
    func writesAndRoundTrips() throws {
        let value: JSONValue = ["title": "玉米品种", "share": 60, "ratio": 33.5, "list": ["a", "b"], "nested": ["x": nil]]
        let text = value.serialized(.compact)
        #expect(text == #"{"title":"玉米品种","share":60,"ratio":33.5,"list":["a","b"],"nested":{"x":null}}"#)
        #expect(try JSONValue.parse(value.serialized(.pretty)) == value)
    }

    @Test("reports the line and column of a syntax error", arguments: [
        ("{\"a\": 1,\n \"b\": }", "not valid JSON at line 2, column 7: unexpected character '}'"),
        ("[1, 2", "not valid JSON at line 1, column 6: unexpected end of input inside an array"),
        ("{\"a\": 01}", "not valid JSON at line 1, column 7: numbers may not have leading zeros"),
        ("{\"a\": 1, \"a\": 2}", "not valid JSON at line 1, column 10: the member \"a\" appears twice"),
        ("\"\\ud800\"", "not valid JSON at line 1, column 8: unpaired surrogate in \\u escape"),
        ("{} x", "not valid JSON at line 1, column 4: unexpected text after the end of the document"),
    ])
    func syntaxErrors(input: String, expected: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(input) }
        do {
            _ = try JSONValue.parse(input)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("invalid UTF-8 inside a string is an error, not replacement characters")
    func invalidUTF8() {
        var bytes = Array(#"{"a": "x"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(bytes) }
    }
}

@Suite("field reading")
struct FieldReaderTests {
    @Test("names the file, the full path and what was expected")
    func errorsNameThePath() throws {
        let reader = try FieldReader.parse(file: "filing.json", data: Array(#"{"documents": [{"facts": {"startsOn": 20210301}}]}"#.utf8))
        let facts = try reader.required("documents").array()[0].required("facts")
        #expect(throws: FieldError(file: "filing.json", field: "documents[0].facts.startsOn", problem: "expected a date YYYY-MM-DD, got a number")) {
            try facts.required("startsOn").date()
        }
        #expect(throws: FieldError(file: "filing.json", field: "documents[0].facts.endsOn", problem: "missing; this field is required")) {
            try facts.required("endsOn")
        }
        #expect(throws: FieldError(file: "filing.json", field: "documents[0].facts.startsOn", problem: "unknown field; expected one of: endsOn")) {
            try facts.object(allowing: ["endsOn"])
        }
    }
}
