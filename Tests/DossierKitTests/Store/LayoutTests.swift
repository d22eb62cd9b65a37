import DossierKit
import Testing

@Suite("storage layout 0003-hash-and-id-n-tuple")
struct LayoutTests {
    // The extension's own examples (OCFL community extension 0003, Example 1 and its test code).
    @Test("maps the extension's example ids to its example paths", arguments: [
        ("object-01", "3c0/ff4/240/object-01"),
        ("..hor/rib:le-$id", "487/326/d8c/%2e%2ehor%2frib%3ale-%24id"),
        ("..Hor/rib:lè-$id", "373/529/21a/%2e%2eHor%2frib%3al%c3%a8-%24id"),
        (String(repeating: "abcdefghij", count: 26),
         "55b/432/806/" + String(repeating: "abcdefghij", count: 10) + "-55b432806f4e270da0cf23815ed338742179002153cd8d896f23b3e2d8a14359"),
    ])
    func examples(id: String, path: String) throws {
        #expect(try HashAndIDLayout().path(for: id) == path)
    }
}
