import MirrorscopeCore
/// Times as mirror lists write them, to seconds since 1970 UTC, without a date formatter (the Arch
/// status has a thousand of them, and Foundation's ISO 8601 formatter is slow on Linux).
public enum Timestamps {
    /// `2026-05-11T19:21:24Z`, with optional fractional seconds and a `Z` or `±hh:mm` offset.
    public static func iso8601(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { iso8601(bytes: $0) }
    }

    static func iso8601(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let h = number(i + 1, 2), let m = number(i + 4, 2), b[i + 3] == UInt8(ascii: ":") else { return nil }
            offset = (h * 3600 + m * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil // a time without a zone is ambiguous
        }
        guard i == b.count else { return nil }
        return Int64(CivilCalendar.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// Seconds since 1970 as `2026-05-11T19:21:24Z`.
    public static func iso8601(seconds: Int64) -> String {
        let (days, rest) = CivilCalendar.split(epochSeconds: seconds)
        let (year, month, day) = CivilCalendar.date(days: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
