import DossierModel

/// A moment read from a signature — ASN.1 UTCTime or GeneralizedTime, a PDF date, the text an OFD
/// seal or signature file writes — kept with the offset it was written in, so that the RFC 3339
/// text says what the signer wrote. Chains are checked at such a moment.
struct SignatureTime: Sendable, Equatable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var secondsSinceEpoch: Int64
    /// The writer's offset from UTC in minutes (0 for "Z").
    var offsetMinutes: Int

    static func < (left: SignatureTime, right: SignatureTime) -> Bool {
        left.secondsSinceEpoch < right.secondsSinceEpoch
    }

    /// RFC 3339 with seconds and zone, e.g. `2024-05-01T10:20:30Z` or `2024-05-01T18:20:30+08:00`.
    var rfc3339: String {
        Timestamp.rfc3339(unixSeconds: secondsSinceEpoch, offsetSeconds: offsetMinutes * 60)
    }

    init(secondsSinceEpoch: Int64, offsetMinutes: Int = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.offsetMinutes = offsetMinutes
    }

    /// A civil time at an offset; nil when a field is out of range (a leap second counts as :59).
    init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int) {
        guard let date = LocalDate(year: year, month: month, day: day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), abs(offsetMinutes) < 24 * 60 else { return nil }
        let days = Int64(date.dayNumber - Timestamp.epochDay)
        self.init(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetMinutes * 60),
                  offsetMinutes: offsetMinutes)
    }

    /// An RFC 3339 date-time (the vault's own times, such as when a check is made).
    init?(rfc3339 text: String) {
        guard case .success(let parts) = Timestamp.parse(text), parts.offsetSeconds % 60 == 0 else { return nil }
        self.init(year: parts.date.year, month: parts.date.month, day: parts.date.day, hour: parts.hour,
                  minute: parts.minute, second: parts.second, offsetMinutes: parts.offsetSeconds / 60)
    }

    /// Reads the content octets of a UTCTime (`YYMMDDHHMM[SS]Z`) or GeneralizedTime
    /// (`YYYYMMDDHHMMSS[.fff]Z`, or with `±HHMM`); fractions are dropped. Nil for anything else.
    init?(asn1 content: [UInt8], generalized: Bool) {
        var scanner = DigitScanner(content)
        let year: Int
        if generalized {
            guard let full = scanner.number(4) else { return nil }
            year = full
        } else {
            guard let short = scanner.number(2) else { return nil }
            year = short < 50 ? 2000 + short : 1900 + short
        }
        guard let month = scanner.number(2), let day = scanner.number(2), let hour = scanner.number(2),
              let minute = scanner.number(2) else { return nil }
        let second = scanner.number(2) ?? 0
        if generalized, scanner.peek == UInt8(ascii: ".") || scanner.peek == UInt8(ascii: ",") {
            scanner.skip()
            while let byte = scanner.peek, (48...57).contains(byte) { scanner.skip() }
        }
        var offset = 0
        switch scanner.peek {
        case UInt8(ascii: "Z"):
            scanner.skip()
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = scanner.peek == UInt8(ascii: "-") ? -1 : 1
            scanner.skip()
            guard let hours = scanner.number(2), let minutes = scanner.number(2) else { return nil }
            offset = sign * (hours * 60 + minutes)
        default:
            return nil
        }
        guard scanner.isAtEnd else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offset)
    }

    /// Reads a PDF date (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm`, every part after the year optional.
    init?(pdfDate bytes: [UInt8]) {
        var scanner = DigitScanner(bytes)
        if scanner.peek == UInt8(ascii: "D") {
            scanner.skip()
            guard scanner.peek == UInt8(ascii: ":") else { return nil }
            scanner.skip()
        }
        guard let year = scanner.number(4) else { return nil }
        let month = scanner.number(2) ?? 1
        let day = scanner.number(2) ?? 1
        let hour = scanner.number(2) ?? 0
        let minute = scanner.number(2) ?? 0
        let second = scanner.number(2) ?? 0
        var offset = 0
        if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.skip()
            let hours = scanner.number(2) ?? 0
            if scanner.peek == UInt8(ascii: "'") { scanner.skip() }
            let minutes = scanner.number(2) ?? 0
            offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetMinutes: offset)
    }

    /// Reads the times seals and OFD signature files carry: GeneralizedTime (`20201010071120Z`,
    /// `20201010151120.123+0800`), UTCTime (`201010071120Z`), and the text forms producers write
    /// (`20201010151120`, `2020-10-10 15:11:20`, `2020-10-10T15:11:20+08:00`). A time without a zone
    /// is taken as China Standard Time (+08:00): OFD producers write local time.
    init?(sealText text: String) {
        var scalars = Array(text.unicodeScalars.drop { $0.properties.isWhitespace })
        while scalars.last?.properties.isWhitespace == true { scalars.removeLast() }
        // Zone: Z, ±HHMM or ±HH:MM at the end.
        var offset = 8 * 60
        if scalars.last == "Z" || scalars.last == "z" {
            scalars.removeLast()
            offset = 0
        } else if scalars.count >= 6, let signIndex = scalars.lastIndex(where: { $0 == "+" || $0 == "-" }), signIndex >= 8 {
            let zone = scalars[(signIndex + 1)...].filter { $0 != ":" }
            if zone.count == 4, zone.allSatisfy({ ("0"..."9").contains($0) }) {
                let digits = zone.map { Int($0.value) - 48 }
                let hours = digits[0] * 10 + digits[1]
                let minutes = digits[2] * 10 + digits[3]
                guard hours < 24, minutes < 60 else { return nil }
                offset = (scalars[signIndex] == "-" ? -1 : 1) * (hours * 60 + minutes)
                scalars.removeSubrange(signIndex...)
            }
        }
        // Fractional seconds are dropped.
        if let dot = scalars.firstIndex(where: { $0 == "." || $0 == "," }) { scalars.removeSubrange(dot...) }
        let digits = scalars.filter { ("0"..."9").contains($0) }.map { Int($0.value) - 48 }
        let separators = scalars.filter { !("0"..."9").contains($0) }
        guard separators.allSatisfy({ "-: T/".unicodeScalars.contains($0) }) else { return nil }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        let year: Int
        let rest: Int
        // Fourteen digits, or twelve written with dashes (no seconds), start with a four-digit year.
        switch digits.count {
        case 14:
            year = number(0..<4)
            rest = 4
        case 12 where separators.contains("-"):
            year = number(0..<4)
            rest = 4
        case 12, 10:
            // UTCTime: a two-digit year, 50–99 meaning 19xx.
            let short = number(0..<2)
            year = short >= 50 ? 1900 + short : 2000 + short
            rest = 2
        default:
            return nil
        }
        let second = digits.count - rest >= 10 ? number((rest + 8)..<(rest + 10)) : 0
        self.init(year: year, month: number(rest..<(rest + 2)), day: number((rest + 2)..<(rest + 4)),
                  hour: number((rest + 4)..<(rest + 6)), minute: number((rest + 6)..<(rest + 8)), second: second,
                  offsetMinutes: offset)
    }
}

/// Reads fixed-width decimal fields from ASCII bytes.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    mutating func skip() { index += 1 }

    /// Exactly `width` digits as a number, or nil (consuming nothing) when they are not there.
    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<width {
            let byte = bytes[index + offset]
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += width
        return value
    }
}
