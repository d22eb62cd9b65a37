/// One element of an OFD part, as far as the readers here need it: the local name (namespace
/// prefixes are dropped, since producers use several namespace URIs or none), the attributes,
/// the character data before the first child (ElementTree's `text`) and the children.
struct XMLElement: Sendable {
    var name: String
    var attributes: [XMLAttribute]
    var text: String
    var children: [XMLElement]

    /// The value of the unprefixed attribute `name`, or `nil`.
    func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// The first direct child with this local name.
    func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// Every direct child with this local name, in document order.
    func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The stripped text of the first child with this local name; `nil` when absent or blank.
    func childText(_ name: String) -> String? {
        guard let found = child(name) else { return nil }
        let text = PythonText.strip(found.text)
        return text.isEmpty ? nil : text
    }
}

/// An attribute as written (qualified name) with its normalized value.
struct XMLAttribute: Sendable {
    var name: String
    var value: String
}

/// Bounds on one XML part.
struct XMLLimits: Sendable {
    var maximumDepth: Int
    var maximumAttributes: Int
    var maximumElements: Int
}

/// Why an XML part was refused, with the 1-based line where the parser stopped.
struct XMLProblem: Error {
    var line: Int
    var message: String
}

/// A strict, non-validating XML 1.0 parser for OFD parts.
///
/// Chosen over FoundationXML (libxml2 on Linux) so that there is nothing to switch off: it has no
/// DTD support at all. `<!DOCTYPE` is refused wherever it appears, so no entity can be declared
/// and no external file or URL can be named; only the five predefined entities and character
/// references are expanded, so the output is never longer than the input. Depth, attributes per
/// element and element count are bounded, and the tree is built without recursion.
struct StrictXMLParser {
    private let limits: XMLLimits

    init(limits: XMLLimits) {
        self.limits = limits
    }

    /// Parses UTF-8 bytes (already transcoded and without a byte-order mark) into the root element.
    func parse(_ bytes: [UInt8]) throws(XMLProblem) -> XMLElement {
        let result: Result<XMLElement, XMLProblem> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(bytes: buffer, limits: limits)
            do throws(XMLProblem) {
                return .success(try cursor.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

private struct OpenElement {
    var qualifiedName: ArraySlice<UInt8>
    var element: XMLElement
    var text: [UInt8]
    var textClosed: Bool
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: XMLLimits
    var index = 0
    var elementCount = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: XMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Errors

    func fail(_ message: String, at position: Int? = nil) -> XMLProblem {
        let end = min(position ?? index, bytes.count)
        var line = 1
        var scan = 0
        while scan < end {
            if bytes[scan] == 0x0A { line += 1 }
            scan += 1
        }
        return XMLProblem(line: line, message: message)
    }

    // MARK: Helpers

    func starts(with literal: StaticString, at position: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    /// The first index at or after `from` where `literal` starts, or `nil`.
    func find(_ literal: StaticString, from: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        let first = literal.utf8Start[0]
        var position = from
        while position + count <= bytes.count {
            if bytes[position] == first && starts(with: literal, at: position) { return position }
            position += 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func endsName(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    mutating func skipSpace() {
        while index < bytes.count && Cursor.isSpace(bytes[index]) { index += 1 }
    }

    /// Raw control characters are not XML characters; expat refuses them too.
    func checkCharacter(_ byte: UInt8, at position: Int) throws(XMLProblem) {
        if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            throw fail("control character 0x\(String(byte, radix: 16, uppercase: true)) is not allowed in XML", at: position)
        }
    }

    mutating func name() throws(XMLProblem) -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.count && !Cursor.endsName(bytes[index]) { index += 1 }
        guard index > start else { throw fail("expected a name") }
        let first = bytes[start]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39) {
            throw fail("a name cannot start with \"\(Character(Unicode.Scalar(first)))\"", at: start)
        }
        for position in start..<index { try checkCharacter(bytes[position], at: position) }
        return ArraySlice(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    static func localName(_ qualified: ArraySlice<UInt8>) -> String {
        let local = qualified.lastIndex(of: UInt8(ascii: ":")).map { qualified[($0 + 1)...] } ?? qualified
        return String(decoding: local, as: UTF8.self)
    }

    // MARK: Document

    mutating func document() throws(XMLProblem) -> XMLElement {
        try misc(beforeRoot: true)
        guard index < bytes.count else { throw fail("no root element") }
        let root = try element()
        try misc(beforeRoot: false)
        if index < bytes.count { throw fail("content after the root element") }
        return root
    }

    /// Whitespace, comments and processing instructions around the root element.
    mutating func misc(beforeRoot: Bool) throws(XMLProblem) {
        while true {
            skipSpace()
            guard index < bytes.count else { return }
            if starts(with: "<?", at: index) {
                try processingInstruction()
            } else if starts(with: "<!--", at: index) {
                try comment()
            } else if starts(with: "<!", at: index) {
                throw declarationProblem()
            } else if bytes[index] == UInt8(ascii: "<") && beforeRoot {
                return
            } else {
                throw fail(beforeRoot ? "text before the root element" : "content after the root element")
            }
        }
    }

    func declarationProblem() -> XMLProblem {
        if starts(with: "<!DOCTYPE", at: index) {
            return fail("<!DOCTYPE is not allowed: OFD needs no DTD, and refusing it rules out entity expansion and external files")
        }
        if starts(with: "<!ENTITY", at: index) {
            return fail("<!ENTITY is not allowed: only the predefined entities and character references are expanded")
        }
        return fail("unexpected markup declaration \"<!\"")
    }

    mutating func processingInstruction() throws(XMLProblem) {
        guard let end = find("?>", from: index + 2) else { throw fail("unterminated processing instruction") }
        index = end + 2
    }

    mutating func comment() throws(XMLProblem) {
        guard let end = find("-->", from: index + 4) else { throw fail("unterminated comment") }
        for position in (index + 4)..<end { try checkCharacter(bytes[position], at: position) }
        index = end + 3
    }

    // MARK: Elements

    /// Parses the element starting at `index` and everything inside it, with an explicit stack.
    mutating func element() throws(XMLProblem) -> XMLElement {
        var stack: [OpenElement] = []
        guard var current = try startTag(depth: 1) else {
            throw fail("expected an element")
        }
        if current.textClosed { return current.element }  // <root/>
        current.textClosed = false
        stack.append(current)

        while !stack.isEmpty {
            guard index < bytes.count else {
                throw fail("unexpected end of the part: <\(String(decoding: stack[stack.count - 1].qualifiedName, as: UTF8.self))> is not closed")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                if starts(with: "</", at: index) {
                    index += 2
                    let closing = try name()
                    skipSpace()
                    guard index < bytes.count && bytes[index] == UInt8(ascii: ">") else { throw fail("expected \">\" to end the closing tag") }
                    index += 1
                    var finished = stack.removeLast()
                    guard finished.qualifiedName.elementsEqual(closing) else {
                        throw fail("closing tag </\(String(decoding: closing, as: UTF8.self))> does not match <\(String(decoding: finished.qualifiedName, as: UTF8.self))>")
                    }
                    finished.element.text = String(decoding: finished.text, as: UTF8.self)
                    if stack.isEmpty { return finished.element }
                    stack[stack.count - 1].element.children.append(finished.element)
                } else if starts(with: "<!--", at: index) {
                    try comment()
                } else if starts(with: "<![CDATA[", at: index) {
                    guard let end = find("]]>", from: index + 9) else { throw fail("unterminated CDATA section") }
                    for position in (index + 9)..<end { try checkCharacter(bytes[position], at: position) }
                    if !stack[stack.count - 1].textClosed {
                        appendNormalized(from: index + 9, to: end, into: &stack[stack.count - 1].text)
                    }
                    index = end + 3
                } else if starts(with: "<!", at: index) {
                    throw declarationProblem()
                } else if starts(with: "<?", at: index) {
                    try processingInstruction()
                } else {
                    stack[stack.count - 1].textClosed = true
                    guard let opened = try startTag(depth: stack.count + 1) else { throw fail("expected an element") }
                    if opened.textClosed {
                        stack[stack.count - 1].element.children.append(opened.element)
                    } else {
                        stack.append(opened)
                    }
                }
            } else {
                try characterData(into: &stack[stack.count - 1])
            }
        }
        throw fail("unexpected end of the part")
    }

    /// Reads `<name attr="…" …>` or `<name …/>`. For an empty element `textClosed` is true.
    mutating func startTag(depth: Int) throws(XMLProblem) -> OpenElement? {
        guard index < bytes.count && bytes[index] == UInt8(ascii: "<") else { return nil }
        let tagStart = index
        index += 1
        if depth > limits.maximumDepth {
            throw fail("elements nested deeper than the limit of \(limits.maximumDepth)", at: tagStart)
        }
        elementCount += 1
        if elementCount > limits.maximumElements {
            throw fail("more than the limit of \(limits.maximumElements) elements", at: tagStart)
        }
        let qualified = try name()
        var attributes: [XMLAttribute] = []
        var seen: [String] = []  // a few names per element: a linear search beats hashing
        while true {
            let beforeSpace = index
            skipSpace()
            guard index < bytes.count else { throw fail("unterminated start tag") }
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                index += 1
                return OpenElement(qualifiedName: qualified, element: XMLElement(name: Cursor.localName(qualified), attributes: attributes, text: "", children: []), text: [], textClosed: false)
            }
            if byte == UInt8(ascii: "/") {
                guard index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ">") else { throw fail("expected \"/>\"") }
                index += 2
                return OpenElement(qualifiedName: qualified, element: XMLElement(name: Cursor.localName(qualified), attributes: attributes, text: "", children: []), text: [], textClosed: true)
            }
            guard index > beforeSpace else { throw fail("expected whitespace between attributes") }
            let attributeName = String(decoding: try name(), as: UTF8.self)
            skipSpace()
            guard index < bytes.count && bytes[index] == UInt8(ascii: "=") else { throw fail("expected \"=\" after attribute \(attributeName)") }
            index += 1
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw fail("expected a quoted value for attribute \(attributeName)")
            }
            let value = try attributeValue()
            guard !seen.contains(attributeName) else { throw fail("duplicate attribute \(attributeName)") }
            seen.append(attributeName)
            if attributes.count >= limits.maximumAttributes {
                throw fail("more than the limit of \(limits.maximumAttributes) attributes on one element")
            }
            if attributeName == "xmlns" || attributeName.hasPrefix("xmlns:") { continue }
            attributes.append(XMLAttribute(name: attributeName, value: value))
        }
    }

    /// A quoted attribute value with references expanded and whitespace normalized to spaces.
    mutating func attributeValue() throws(XMLProblem) -> String {
        let quote = bytes[index]
        index += 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("unterminated attribute value") }
            let byte = bytes[index]
            if byte == quote {
                index += 1
                return String(decoding: value, as: UTF8.self)
            }
            switch byte {
            case UInt8(ascii: "<"):
                throw fail("\"<\" is not allowed in an attribute value")
            case UInt8(ascii: "&"):
                value.append(contentsOf: try reference())
            case 0x0D:
                value.append(0x20)
                index += 1
                if index < bytes.count && bytes[index] == 0x0A { index += 1 }
            case 0x09, 0x0A:
                value.append(0x20)
                index += 1
            default:
                try checkCharacter(byte, at: index)
                value.append(byte)
                index += 1
            }
        }
    }

    /// Text up to the next `<`, kept only while it is the element's leading text.
    mutating func characterData(into open: inout OpenElement) throws(XMLProblem) {
        let keep = !open.textClosed
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") { return }
            if byte == UInt8(ascii: "&") {
                let expanded = try reference()
                if keep { open.text.append(contentsOf: expanded) }
                continue
            }
            if byte == 0x0D {
                if keep { open.text.append(0x0A) }
                index += 1
                if index < bytes.count && bytes[index] == 0x0A { index += 1 }
                continue
            }
            try checkCharacter(byte, at: index)
            if keep { open.text.append(byte) }
            index += 1
        }
    }

    func appendNormalized(from start: Int, to end: Int, into text: inout [UInt8]) {
        var position = start
        while position < end {
            let byte = bytes[position]
            if byte == 0x0D {
                text.append(0x0A)
                if position + 1 < end && bytes[position + 1] == 0x0A { position += 1 }
            } else {
                text.append(byte)
            }
            position += 1
        }
    }

    /// Expands `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` and `&#xN;`; anything else is refused.
    mutating func reference() throws(XMLProblem) -> [UInt8] {
        let start = index
        var end = index + 1
        while end < bytes.count && end - start <= 12 && bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count && bytes[end] == UInt8(ascii: ";") else {
            throw fail("\"&\" must start an entity or character reference ending in \";\"")
        }
        let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)
        index = end + 1
        switch body {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default: break
        }
        guard body.hasPrefix("#") else {
            throw fail("undefined entity &\(body);: only &amp; &lt; &gt; &quot; &apos; and character references are allowed", at: start)
        }
        let digits = body.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") {
            let hex = digits.dropFirst()
            value = hex.isEmpty || !hex.allSatisfy(\.isHexDigit) ? nil : UInt32(hex, radix: 16)
        } else {
            value = digits.isEmpty || !digits.allSatisfy({ $0 >= "0" && $0 <= "9" }) ? nil : UInt32(digits)
        }
        guard let value, let scalar = Unicode.Scalar(value), Cursor.isXMLCharacter(value) else {
            throw fail("character reference &\(body); is not an XML character", at: start)
        }
        return Array(String(Character(scalar)).utf8)
    }

    static func isXMLCharacter(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value <= 0xD7FF)
            || (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF)
    }
}
