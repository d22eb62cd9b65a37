/// RFC 3339 timestamps with seconds and an explicit offset, as OCFL's `created` wants.
public enum Timestamp {
    /// The day number (``LocalDate/dayNumber``) of 1970-01-01.
    public static let epochDay = 719_468

    public static func rfc3339(unixSeconds: Int64, offsetSeconds: Int) -> String {
        let local = unixSeconds + Int64(offsetSeconds)
        let days = Int((local >= 0 ? local : local - 86399) / 86400)
        let secondOfDay = Int(local - Int64(days) * 86400)
        // swift-format-ignore: NeverForceUnwrap
        let date = LocalDate(dayNumber: LocalDate(year: 1970, month: 1, day: 1)!.dayNumber + days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let magnitude = abs(offsetSeconds)
            zone = "\(offsetSeconds < 0 ? "-" : "+")\(two(magnitude / 3600)):\(two(magnitude / 60 % 60))"
        }
        return "\(date)T\(time)\(zone)"
    }

    /// The local calendar date of a timestamp written by ``rfc3339(unixSeconds:offsetSeconds:)``.
    public static func localDate(of timestamp: String) -> LocalDate? { LocalDate(String(timestamp.prefix(10))) }

    /// Seconds east of UTC of an offset written as `+08:00`, `-05:30` or `Z`; `nil` for anything else.
    static func parseOffset(_ text: String) -> Int? {
        if text == "Z" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == 0x2B || bytes[0] == 0x2D, bytes[3] == 0x3A,
            let hours = Int(String(decoding: bytes[1...2], as: UTF8.self)), let minutes = Int(String(decoding: bytes[4...5], as: UTF8.self)),
            hours <= 14, minutes < 60
        else { return nil }
        return (bytes[0] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}

extension Timestamp {
    /// An RFC 3339 `date-time` read into its parts.
    public struct Parts: Sendable, Equatable {
        public var date: LocalDate
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// Seconds east of UTC.
        public var offsetSeconds: Int
    }

    /// Reads an RFC 3339 `date-time` (Internet Date/Time Format, as OCFL's `created` requires):
    /// `2021-04-21T09:30:00+08:00`, `…Z`, with an optional fraction of a second.
    /// - Returns: the parts, or what is wrong with `text` ("has no time zone (Z or ±hh:mm)").
    public static func parse(_ text: String) -> Result<Parts, TimestampProblem> {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count, b[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return b[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        func byte(_ index: Int, _ allowed: String) -> Bool { index < b.count && allowed.utf8.contains(b[index]) }
        func problem(_ text: String) -> Result<Parts, TimestampProblem> { .failure(TimestampProblem(description: text)) }
        guard let year = digits(0..<4), byte(4, "-"), let month = digits(5..<7), byte(7, "-"), let day = digits(8..<10) else {
            return problem("does not start with a date YYYY-MM-DD")
        }
        guard let date = LocalDate(year: year, month: month, day: day) else { return problem("has no such day") }
        guard byte(10, "Tt") else { return problem("has no time (T hh:mm:ss after the date)") }
        guard let hour = digits(11..<13), byte(13, ":"), let minute = digits(14..<16) else { return problem("has no time hh:mm:ss") }
        guard byte(16, ":"), let second = digits(17..<19) else { return problem("is not given to the second") }
        guard hour <= 23, minute <= 59, second <= 60 else { return problem("has a time out of range") }
        var index = 19
        if byte(index, ".") {
            index += 1
            let start = index
            while index < b.count, (0x30...0x39).contains(b[index]) { index += 1 }
            if index == start { return problem("has a decimal point without fraction digits") }
        }
        if index == b.count { return problem("has no time zone (Z or ±hh:mm)") }
        var offset = 0
        if byte(index, "Zz") {
            index += 1
        } else if byte(index, "+-") {
            guard let offsetHour = digits(index + 1..<index + 3), byte(index + 3, ":"), let offsetMinute = digits(index + 4..<index + 6),
                offsetHour <= 23, offsetMinute <= 59
            else { return problem("has a malformed time zone offset") }
            offset = (b[index] == UInt8(ascii: "-") ? -1 : 1) * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        } else {
            return problem("has no time zone (Z or ±hh:mm)")
        }
        guard index == b.count else { return problem("has text after the time zone") }
        return .success(Parts(date: date, hour: hour, minute: minute, second: second, offsetSeconds: offset))
    }

    /// Seconds since 1970 of an RFC 3339 timestamp (``parse(_:)``); `nil` for anything else.
    public static func unixSeconds(of timestamp: String) -> Int64? {
        guard case .success(let parts) = parse(timestamp) else { return nil }
        let days = Int64(parts.date.dayNumber - epochDay)
        return days * 86400 + Int64(parts.hour * 3600 + parts.minute * 60 + parts.second) - Int64(parts.offsetSeconds)
    }
}

/// What is wrong with a text as an RFC 3339 date-time.
public struct TimestampProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
