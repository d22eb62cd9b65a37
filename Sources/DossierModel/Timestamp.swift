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
    /// Seconds since 1970 of an RFC 3339 timestamp with seconds and a zone
    /// (`2021-04-21T09:30:00+08:00`, `…Z`); `nil` for anything else.
    public static func unixSeconds(of timestamp: String) -> Int64? {
        let bytes = Array(timestamp.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let date = LocalDate(String(timestamp.prefix(10)))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let hours = number(11..<13), let minutes = number(14..<16), let seconds = number(17..<19) else { return nil }
        var rest = Array(bytes[19...])
        if rest.first == UInt8(ascii: ".") { rest = Array(rest.drop(while: { $0 != UInt8(ascii: "Z") && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })) }
        guard let offset = parseOffset(String(decoding: rest, as: UTF8.self)) else { return nil }
        // swift-format-ignore: NeverForceUnwrap
        let epoch = LocalDate(year: 1970, month: 1, day: 1)!.dayNumber
        let days = Int64(date.dayNumber - epoch)
        return days * 86400 + Int64(hours * 3600 + minutes * 60 + seconds) - Int64(offset)
    }
}
