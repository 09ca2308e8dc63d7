import Foundation

/// Reading typed values out of JSONSerialization's output. On Linux a JSON number also answers
/// `is Bool`, and a boolean `as? Int`: booleans are the NSNumbers whose C type is "c".
enum JSONValues {
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// A whole number (not a boolean, not a fraction).
    static func int(_ value: Any?) -> Int? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 1e15 else { return nil }
        return n.intValue
    }

    static func bool(_ value: Any?) -> Bool? {
        guard let n = value as? NSNumber, isBoolean(n) else { return nil }
        return n.boolValue
    }
}
