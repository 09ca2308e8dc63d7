#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock as the request path needs it: Unix seconds (token expiries), the HTTP `Date`
/// value and the access log's timestamp. The strings are formatted once a second per event loop
/// with `gmtime_r`, instead of a Foundation `DateFormatter` per request.
struct WallClock {
    private(set) var second: Int64 = -1
    private(set) var httpDate = ""
    private(set) var logDate = ""

    /// Refreshes the cached strings when the second has changed; returns the current second.
    @discardableResult
    mutating func tick() -> Int64 {
        let now = Int64(time(nil))
        if now != second {
            second = now
            var t = time_t(now)
            var parts = tm()
            gmtime_r(&t, &parts)
            httpDate = Self.httpDate(parts)
            logDate = Self.logDate(parts)
        }
        return now
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// IMF-fixdate (RFC 9110): `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ t: tm) -> String {
        "\(days[Int(t.tm_wday)]), \(two(t.tm_mday)) \(months[Int(t.tm_mon)]) \(t.tm_year + 1900) "
            + "\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) GMT"
    }

    /// Common Log Format: `06/Nov/1994:08:49:37 +0000`.
    static func logDate(_ t: tm) -> String {
        "\(two(t.tm_mday))/\(months[Int(t.tm_mon)])/\(t.tm_year + 1900):\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) +0000"
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
