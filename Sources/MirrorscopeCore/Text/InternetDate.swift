/// Dates as mail and HTTP write them (RFC 5322 section 3.3; HTTP's IMF-fixdate is a subset):
/// `Sat, 09 Nov 2024 10:05:13 UTC` (a Debian `Release` file's `Date:`), `Sun, 06 Nov 1994
/// 08:49:37 GMT` (`Last-Modified`), `9 Nov 2024 10:05:13 +0100`. Without a date formatter: the
/// core has no Foundation, and these come from the network (nil for anything else, never a guess).
public enum InternetDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970 (UTC), or nil when `text` is not such a date.
    public static func parse(_ text: String) -> Int64? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count <= 7 else { return nil }
        // The weekday is optional and not checked ("Sat," or "Sat").
        if let first = words.first, first.first?.isLetter == true { words.removeFirst() }
        guard words.count == 5,
              let day = Int(words[0]), (1...31).contains(day), words[0].count <= 2,
              let month = months.firstIndex(of: words[1].lowercased()),
              let year = Int(words[2]), (1970...9999).contains(year), words[2].count == 4 else { return nil }
        let clock = words[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), hour < 24, minute < 60 else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second, second <= 60 else { return nil }
        guard let offset = zoneOffset(words[4]) else { return nil }
        let days = Int64(CivilCalendar.days(year: year, month: month + 1, day: day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    /// "+0100" -> 3600; "UTC", "GMT", "UT", "Z" -> 0; nil for anything else (the obsolete
    /// American zone names are ambiguous in practice).
    static func zoneOffset(_ zone: String) -> Int? {
        switch zone.uppercased() {
        case "UTC", "GMT", "UT", "Z": return 0
        default: break
        }
        guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-",
              let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)), minutes < 60 else { return nil }
        return (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
    }

    /// `Sat, 09 Nov 2024 10:05:13 UTC` for seconds since 1970 (as Debian's Release files write it).
    public static func format(_ seconds: Int64, zone: String = "UTC") -> String {
        let (days, rest) = CivilCalendar.split(epochSeconds: seconds)
        let (year, month, day) = CivilCalendar.date(days: days)
        // 1970-01-01 was a Thursday.
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let name = months[month - 1].prefix(1).uppercased() + months[month - 1].dropFirst()
        return "\(weekday), \(two(day)) \(name) \(year) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) \(zone)"
    }
}
