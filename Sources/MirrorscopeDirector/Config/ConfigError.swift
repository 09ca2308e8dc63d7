/// A configuration mistake, told the way an operator fixes it: which file, which line, which key.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key as a path: `secret`, `health.interval`, `real[1].weight` (tables of an array count from 0).
    public var key: String?
    /// 1-based line in the file, when known.
    public var line: Int?
    public var file: String?
    public var message: String

    public init(key: String?, _ message: String, line: Int? = nil, file: String? = nil) {
        self.key = key
        self.message = message
        self.line = line
        self.file = file
    }

    public var description: String {
        var place = file ?? ""
        if let line { place += place.isEmpty ? "line \(line)" : ":\(line)" }
        let where_ = place.isEmpty ? "" : place + ": "
        let what = key.map { "\($0): " } ?? ""
        return where_ + what + message
    }
}
