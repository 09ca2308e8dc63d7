extension Format {
    /// "850 kB/s", "12.4 MB/s", "123 MB/s", "1.05 GB/s": decimal units, as link speeds are
    /// quoted, three significant digits.
    public static func rate(_ bytesPerSecond: Double) -> String {
        let units: [(String, Double)] = [("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3)]
        for (name, size) in units where bytesPerSecond >= size {
            return significant(bytesPerSecond / size) + " " + name
        }
        return String(Int(max(0, bytesPerSecond).rounded())) + " B/s"
    }

    /// "0s", "45s", "12m", "3h", "2d": how far behind, to the largest unit (the list's column).
    public static func age(seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// Three significant digits: "1.05", "12.4", "123".
    static func significant(_ value: Double) -> String {
        if value >= 99.95 { return String(Int(value.rounded())) }
        if value >= 9.995 { return fixed(value, decimals: 1) }
        return fixed(value, decimals: 2)
    }
}
