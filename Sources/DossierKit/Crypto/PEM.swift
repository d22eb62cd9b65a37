import DossierModel

/// PEM armour (RFC 7468): `-----BEGIN LABEL-----`, base64, `-----END LABEL-----`. Trust anchors
/// and detached signatures come as PEM or as DER.
enum PEM {
    struct Block {
        var label: String
        var der: [UInt8]
    }

    /// The PEM blocks in `bytes`, in order; nil when no `-----BEGIN ` occurs in the first `searchLimit`
    /// bytes (the bytes may then be DER). A failure names the block (1-based) and what is wrong.
    static func blocks(in bytes: [UInt8], searchLimit: Int = .max) -> Result<[Block], DERError>? {
        let begin = Array("-----BEGIN ".utf8)
        guard let first = ByteSearch.firstIndex(of: begin, in: bytes), first < searchLimit else { return nil }
        var blocks: [Block] = []
        var cursor = first
        while let blockStart = ByteSearch.firstIndex(of: begin, in: bytes, from: cursor) {
            let number = blocks.count + 1
            guard let labelEnd = ByteSearch.firstIndex(of: Array("-----".utf8), in: bytes, from: blockStart + begin.count) else {
                return .failure(DERError("PEM block \(number) has an unterminated BEGIN line"))
            }
            let label = String(decoding: bytes[(blockStart + begin.count)..<labelEnd], as: UTF8.self)
            let end = Array("-----END \(label)-----".utf8)
            guard let endStart = ByteSearch.firstIndex(of: end, in: bytes, from: labelEnd + 5) else {
                return .failure(DERError("PEM block \(number) (\"\(label)\") has no END line"))
            }
            guard let der = base64Decode(bytes[(labelEnd + 5)..<endStart]) else {
                return .failure(DERError("PEM block \(number) (\"\(label)\") is not valid base64"))
            }
            blocks.append(Block(label: label, der: der))
            cursor = endStart + end.count
        }
        return .success(blocks)
    }

    /// Strict base64 (RFC 4648 alphabet), whitespace ignored; nil for any other character or bad padding.
    static func base64Decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            default:
                return nil
            }
            guard padding == 0 else { return nil }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        return output
    }
}
