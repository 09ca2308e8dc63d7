/// Small text helpers the core needs without Foundation.
extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    public func trimmed() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced (the core has no Foundation).
    public func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}

extension Duration {
    /// The duration in milliseconds, with fractions.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

public enum Format {
    /// "0.4 ms", "4.2 ms", "23 ms", "1234 ms": one decimal below 10 ms, where it still means something.
    public static func ms(_ value: Double) -> String {
        if value < 10 { return fixed(value, decimals: 1) + " ms" }
        return String(Int(value.rounded())) + " ms"
    }

    /// A gap between two figures, rounded up to whole ms (at least 1): "within 3 ms" is never
    /// less than the gap.
    public static func gap(_ value: Double) -> String {
        "\(max(1, Int(value.rounded(.up)))) ms"
    }

    /// How long something took, as the header says it: "52 ms" below 0.1 s, then "0.4 s",
    /// "12.3 s", and "2m 5s" from a minute.
    public static func elapsed(ms value: Double) -> String {
        if value < 100 { return ms(value) }
        if value < 60_000 { return fixed(value / 1000, decimals: 1) + " s" }
        return duration(seconds: Int(value / 1000))
    }

    /// "512 B", "1.2 KiB", "2.0 MiB", "3.1 GiB".
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return fixed(value, decimals: 1) + " " + units[unit]
    }

    /// "45s", "5m", "1h 5m", "2d 3h": a length of time, to the two largest units.
    public static func duration(seconds: Int) -> String {
        let units = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = max(0, seconds)
        var parts: [String] = []
        for (name, size) in units where rest >= size || (parts.isEmpty && size == 1) {
            parts.append("\(rest / size)\(name)")
            rest %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }

    /// "2026-05-11 10:02 UTC" for seconds since 1970 (UTC).
    public static func utc(epochSeconds: Int64) -> String {
        let (days, secondOfDay) = CivilCalendar.split(epochSeconds: epochSeconds)
        let (year, month, day) = CivilCalendar.date(days: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)) UTC"
    }

    /// A fixed-point rendering that does not depend on the C locale.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        var s = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let f = String(fraction)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }
}
