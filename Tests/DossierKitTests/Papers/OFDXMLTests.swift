import Testing
@testable import DossierKit

@Suite("Strict XML parser for OFD parts")
struct OFDXMLTests {
    let parser = StrictXMLParser(limits: XMLLimits(maximumDepth: 8, maximumAttributes: 4, maximumElements: 50))

    func parse(_ text: String) throws(XMLProblem) -> XMLElement {
        try parser.parse(Array(text.utf8))
    }

    func problem(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "no error"
        } catch {
            return "line \(error.line): \(error.message)"
        }
    }

    @Test("predefined entities, character references, CDATA and comments; prefixes dropped")
    func wellFormed() throws {
        // Given a part with a namespace prefix, references, a comment and CDATA in the text
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:TextCode X="1" Y='2' DeltaX="g&#x20;2\t3">A&amp;B &lt;&#20013;&#x6587;&gt;<!-- skip -->&quot;&apos;<![CDATA[<raw>]]><ofd:Child/>tail</ofd:TextCode></ofd:Page>
            """)
        // When it is parsed
        let code = try #require(root.child("TextCode"))
        // Then names are local, text is expanded up to the first child, attribute whitespace normalized
        #expect(root.name == "Page")
        #expect(code.text == "A&B <中文>\"'<raw>")
        #expect(code.attribute("X") == "1")
        #expect(code.attribute("Y") == "2")
        #expect(code.attribute("DeltaX") == "g 2 3")
        #expect(code.children.map(\.name) == ["Child"])
        #expect(root.attributes.isEmpty)
    }

    @Test("DOCTYPE, entity declarations and unknown entities are refused with their line")
    func noDTD() {
        // Given the classic attacks: billion laughs, an external entity, a bare entity reference
        // When each is parsed
        // Then each is refused before anything is expanded or read
        #expect(problem("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><a>&lol;</a>")
            == "line 2: <!DOCTYPE is not allowed: OFD needs no DTD, and refusing it rules out entity expansion and external files")
        #expect(problem("<a>\n<!DOCTYPE a SYSTEM \"file:///etc/passwd\"></a>")
            == "line 2: <!DOCTYPE is not allowed: OFD needs no DTD, and refusing it rules out entity expansion and external files")
        #expect(problem("<!ENTITY x \"y\"><a/>") == "line 1: <!ENTITY is not allowed: only the predefined entities and character references are expanded")
        #expect(problem("<a>\n\n&xxe;</a>") == "line 3: undefined entity &xxe;: only &amp; &lt; &gt; &quot; &apos; and character references are allowed")
        #expect(problem("<a b=\"&ext;\"/>") == "line 1: undefined entity &ext;: only &amp; &lt; &gt; &quot; &apos; and character references are allowed")
    }

    @Test("depth, attribute and element limits")
    func limits() {
        // Given parts past each limit of this parser (depth 8, 4 attributes, 50 elements)
        // When they are parsed
        // Then each names the limit
        #expect(problem(String(repeating: "<a>", count: 9) + String(repeating: "</a>", count: 9)) == "line 1: elements nested deeper than the limit of 8")
        #expect(problem(String(repeating: "<a>", count: 8) + String(repeating: "</a>", count: 8)) == "no error")
        #expect(problem("<a p=\"1\" q=\"2\" r=\"3\" s=\"4\" t=\"5\"/>") == "line 1: more than the limit of 4 attributes on one element")
        #expect(problem("<a>" + String(repeating: "<b/>", count: 50) + "</a>") == "line 1: more than the limit of 50 elements")
    }

    @Test("malformed XML is refused with what was expected")
    func malformed() {
        // Given broken parts
        // When they are parsed
        // Then the message says what is wrong
        #expect(problem("<a><b></a>") == "line 1: closing tag </a> does not match <b>")
        #expect(problem("<a x=\"1\" x=\"2\"/>") == "line 1: duplicate attribute x")
        #expect(problem("<a>\u{01}</a>") == "line 1: control character 0x1 is not allowed in XML")
        #expect(problem("<a>&#0;</a>") == "line 1: character reference &#0; is not an XML character")
        #expect(problem("<a>") == "line 1: unexpected end of the part: <a> is not closed")
        #expect(problem("<a/><b/>") == "line 1: content after the root element")
        #expect(problem("<a x=1/>") == "line 1: expected a quoted value for attribute x")
        #expect(problem("") == "line 1: no root element")
    }

    @Test("GBK-declared and BOM-marked parts are read as ofdkit reads them")
    func encodings() throws {
        // Given a GBK part (declared GB2312, as Chinese producers write) and a UTF-8 part with a BOM
        let gbkBytes = try #require(Iconv.convert(Array("<?xml version=\"1.0\" encoding=\"GB2312\"?><a>合同</a>".utf8), from: "UTF-8", to: "GB18030"))
        #expect(gbkBytes.count == Array("<?xml version=\"1.0\" encoding=\"GB2312\"?><a>合同</a>".utf8).count - 2)
        // When they are decoded and parsed
        let fromGBK = try parser.parse(try OFDTextEncoding.xmlBytes(gbkBytes, member: "a.xml"))
        let fromBOM = try parser.parse(try OFDTextEncoding.xmlBytes([0xEF, 0xBB, 0xBF] + Array("<a>章</a>".utf8), member: "b.xml"))
        // Then the text is the same Chinese
        #expect(fromGBK.text == "合同")
        #expect(fromBOM.text == "章")
        // And bytes that are no known encoding are refused, naming the member
        #expect(throws: OFDError.encoding(member: "c.xml", problem: "declares encoding \"X-NO-SUCH-CODE\", which this reader does not know")) {
            try OFDTextEncoding.xmlBytes(Array("<?xml version=\"1.0\" encoding=\"X-NO-SUCH-CODE\"?><a/>".utf8), member: "c.xml")
        }
        #expect(throws: OFDError.encoding(member: "d.xml", problem: "declares encoding \"GBK\" but its bytes are not valid in it")) {
            try OFDTextEncoding.xmlBytes(Array("<?xml version=\"1.0\" encoding=\"GBK\"?><a>".utf8) + [0x81, 0x20] + Array("</a>".utf8), member: "d.xml")
        }
    }
}
