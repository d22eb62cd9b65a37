/// Turns the bytes of an XML part or a member name into UTF-8, as ofdkit reads them: a UTF-8
/// or UTF-16 byte-order mark wins, then the encoding the XML declaration names (GB2312, GBK
/// and CP936 read as their superset GB18030), then UTF-8, then GB18030 (what Chinese producers
/// write when they declare nothing).
enum OFDTextEncoding {
    /// The UTF-8 bytes of an XML part, without a byte-order mark.
    static func xmlBytes(_ bytes: [UInt8], member: String) throws(OFDError) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            guard isUTF8(body) else { throw OFDError.encoding(member: member, problem: "starts with a UTF-8 byte-order mark but is not valid UTF-8") }
            return body
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let converted = Iconv.convert(bytes, from: "UTF-16") else {
                throw OFDError.encoding(member: member, problem: "starts with a UTF-16 byte-order mark but is not valid UTF-16")
            }
            return converted
        }
        if let declared = declaredEncoding(bytes) {
            let lower = declared.lowercased()
            if lower != "utf-8" && lower != "utf8" {
                let source = ["gb2312", "gbk", "cp936", "gb18030"].contains(lower) ? "GB18030" : declared
                guard Iconv.isKnown(source) else {
                    throw OFDError.encoding(member: member, problem: "declares encoding \"\(declared)\", which this reader does not know")
                }
                guard let converted = Iconv.convert(bytes, from: source) else {
                    throw OFDError.encoding(member: member, problem: "declares encoding \"\(declared)\" but its bytes are not valid in it")
                }
                return converted
            }
        }
        if isUTF8(bytes) { return bytes }
        guard let converted = Iconv.convert(bytes, from: "GB18030") else {
            throw OFDError.encoding(member: member, problem: "is neither UTF-8 nor GB18030 text")
        }
        return converted
    }

    /// A member name as text: UTF-8, else GB18030 (Chinese Windows zips without the UTF-8 flag).
    static func name(_ raw: [UInt8]) -> String? {
        if let text = String(validating: raw, as: UTF8.self) { return text }
        return Iconv.convert(raw, from: "GB18030").flatMap { String(validating: $0, as: UTF8.self) }
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    /// The `encoding="…"` of a leading XML declaration.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
        let head = bytes[start..<min(bytes.count, start + 512)]
        guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else { return nil }
        return String(value)
    }
}
