/// Python's string and number rules where the text extraction must agree with ofdkit (the
/// reference implementation, written in Python): which characters `str.strip()` and
/// `str.split()` treat as whitespace, what `float()` accepts, and how `round()` rounds.
enum PythonText {
    /// `str.isspace()`: the characters Python strips and splits on.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.strip()`.
    static func strip(_ text: some StringProtocol) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }

    /// Whether `str.strip()` would leave anything.
    static func hasVisible(_ text: String) -> Bool {
        text.unicodeScalars.contains { !isSpace($0) }
    }

    /// `str.split()` with no separator: runs of whitespace separate, no empty fields.
    static func split(_ text: some StringProtocol) -> [Substring] {
        let string = Substring(text)
        var fields: [Substring] = []
        var start: String.Index?
        var index = string.unicodeScalars.startIndex
        while index < string.unicodeScalars.endIndex {
            let scalar = string.unicodeScalars[index]
            if isSpace(scalar) {
                if let begin = start {
                    fields.append(string[begin..<index])
                    start = nil
                }
            } else if start == nil {
                start = index
            }
            index = string.unicodeScalars.index(after: index)
        }
        if let begin = start { fields.append(string[begin...]) }
        return fields
    }

    /// `float(text)`: surrounding whitespace, a sign, `_` between digits, any Unicode decimal
    /// digits, `inf`/`infinity`/`nan` in any case; `nil` where Python raises `ValueError`.
    static func float(_ text: some StringProtocol) -> Double? {
        if let fast = asciiFloat(Substring(text)) { return fast }
        let stripped = strip(text)
        guard !stripped.isEmpty else { return nil }
        var ascii: [UInt8] = []
        ascii.reserveCapacity(stripped.utf8.count)
        for scalar in stripped.unicodeScalars {
            if scalar.isASCII {
                ascii.append(UInt8(scalar.value))
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue, value >= 0, value <= 9 {
                ascii.append(UInt8(ascii: "0") + UInt8(value))
            } else {
                return nil
            }
        }
        var position = 0
        var sign: Double = 1
        if position < ascii.count, ascii[position] == UInt8(ascii: "+") || ascii[position] == UInt8(ascii: "-") {
            if ascii[position] == UInt8(ascii: "-") { sign = -1 }
            position += 1
        }
        let rest = String(decoding: ascii[position...], as: UTF8.self).lowercased()
        if rest == "inf" || rest == "infinity" { return sign * .infinity }
        if rest == "nan" { return .nan }
        // digitpart ("." digitpart?)? | "." digitpart, then an optional exponent; "_" only between digits.
        var cleaned: [UInt8] = position == 0 ? [] : [ascii[0]]
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func digits() -> Int {
            var count = 0
            while position < ascii.count {
                let byte = ascii[position]
                if isDigit(byte) {
                    cleaned.append(byte)
                    count += 1
                    position += 1
                } else if byte == UInt8(ascii: "_"), count > 0, position + 1 < ascii.count, isDigit(ascii[position + 1]) {
                    position += 1
                } else {
                    break
                }
            }
            return count
        }
        let integerDigits = digits()
        var fractionDigits = 0
        if position < ascii.count && ascii[position] == UInt8(ascii: ".") {
            cleaned.append(UInt8(ascii: "."))
            position += 1
            fractionDigits = digits()
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if position < ascii.count && (ascii[position] == UInt8(ascii: "e") || ascii[position] == UInt8(ascii: "E")) {
            cleaned.append(UInt8(ascii: "e"))
            position += 1
            if position < ascii.count && (ascii[position] == UInt8(ascii: "+") || ascii[position] == UInt8(ascii: "-")) {
                cleaned.append(ascii[position])
                position += 1
            }
            guard digits() > 0 else { return nil }
        }
        guard position == ascii.count else { return nil }
        return Double(String(decoding: cleaned, as: UTF8.self))
    }

    /// The common case, plain ASCII numbers (`12.5`, `-3`, `1e-3`), without building strings:
    /// within these characters `strtod`'s grammar and Python's agree. `nil` means "use the full
    /// rules", not "not a number".
    static func asciiFloat(_ text: Substring) -> Double? {
        var utf8 = text.utf8[...]
        while let first = utf8.first, first == 0x20 || (first >= 0x09 && first <= 0x0D) { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { utf8 = utf8.dropLast() }
        guard !utf8.isEmpty, utf8.count < 64 else { return nil }
        var sawDigit = false
        for byte in utf8 {
            switch byte {
            case 0x30...0x39: sawDigit = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Double(Substring(utf8))
    }

    /// `float(text)` when finite, else `fallback` (ofdkit's `_parse_float`).
    static func finiteFloat(_ text: String?, default fallback: Double) -> Double {
        guard let text, let value = float(text), value.isFinite else { return fallback }
        return value
    }

    /// `round(value)`: to the nearest integer, ties to even; `nil` where Python raises.
    static func round(_ value: Double) -> Int? {
        let rounded = value.rounded(.toNearestOrEven)
        guard rounded.isFinite, abs(rounded) < 9.0e18 else { return nil }
        return Int(rounded)
    }

    /// `unicodedata.category(c) == "Cc"`.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// `unicodedata.east_asian_width(c) in ("W", "F")`, from the table generated from Python.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0
        var high = eastAsianWideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = eastAsianWideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
