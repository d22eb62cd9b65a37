#if canImport(Glibc)
import Glibc
#endif

/// Conversions between text encodings through glibc's iconv(3): plain text in GB18030, OFD parts
/// declared in GBK or UTF-16, zip member names written by Chinese Windows.
enum Iconv {
    /// Whether iconv converts from `encoding`.
    static func isKnown(_ encoding: String) -> Bool {
        guard let converter = iconv_open("UTF-8", encoding), converter != iconv_t(bitPattern: -1) else { return false }
        iconv_close(converter)
        return true
    }

    /// `bytes` converted from `encoding` to `target`; nil when they are not valid in `encoding`,
    /// iconv does not know it, or (for UTF-8) the result is not valid UTF-8.
    /// The corresponding C function is `iconv(3)`.
    static func convert(_ bytes: [UInt8], from encoding: String, to target: String = "UTF-8") -> [UInt8]? {
        let converter = iconv_open(target, encoding)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var input = bytes
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer -> Int? in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuffer.count
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        let result = Array(output[0..<produced])
        return target != "UTF-8" || String(validating: result, as: UTF8.self) != nil ? result : nil
    }

    /// `bytes` from `encoding` as text; nil when they are not valid in it.
    static func text(_ bytes: [UInt8], from encoding: String) -> String? {
        convert(bytes, from: encoding).map { String(decoding: $0, as: UTF8.self) }
    }
}
