/// What the director makes of a request target. The checks are what keeps a redirect on a
/// configured real server: a `Location` is always "real server base URL + rest", and `rest` is
/// plain URI characters (no CR/LF, raw or encoded), never starts with "/", holds no `.`/`..`
/// segment and is bounded in length, so no request can change the host or add a header.
public enum RequestTarget: Equatable, Sendable {
    /// `/PATH?QUERY`: `rest` is `PATH?QUERY` without the leading "/".
    case content(rest: Substring)
    /// `/~ID/PATH?QUERY`: a directed identifier; `rest` as for `.content`.
    case directed(id: Substring, rest: Substring)
    /// `/-/...`: the director's own pages (health, metrics, mirror list, admin API). `path` keeps the
    /// leading "/-/"; the query is split off.
    case control(path: Substring, query: Substring?)
    case rejected(TargetRejection)

    /// Long enough for any real mirror path, short enough that a `Location` stays small.
    public static let maxLength = 4096

    public static func classify(_ uri: String, maxLength: Int = RequestTarget.maxLength) -> RequestTarget {
        if let rejection = check(uri.utf8, maxLength: maxLength) { return .rejected(rejection) }
        let bytes = uri.utf8
        let second = bytes.index(after: bytes.startIndex)
        guard second < bytes.endIndex else { return .content(rest: uri[second...]) }
        switch bytes[second] {
        case UInt8(ascii: "-") where bytes.count >= 3 && bytes[bytes.index(after: second)] == UInt8(ascii: "/"):
            if let q = bytes.firstIndex(of: UInt8(ascii: "?")) {
                return .control(path: uri[..<q], query: uri[bytes.index(after: q)...])
            }
            return .control(path: uri[...], query: nil)
        case UInt8(ascii: "~"):
            let idStart = bytes.index(after: second)
            let idEnd = bytes[idStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.endIndex
            var rest = idEnd
            if rest < bytes.endIndex && bytes[rest] == UInt8(ascii: "/") {
                rest = bytes.index(after: rest)
                // "/~ID//host" would otherwise be the only way to put "//" at the start of `rest`.
                if rest < bytes.endIndex && bytes[rest] == UInt8(ascii: "/") { return .rejected(.doubleSlash) }
            }
            return .directed(id: uri[idStart..<idEnd], rest: uri[rest...])
        default:
            return .content(rest: uri[second...])
        }
    }

    /// One pass over the bytes; nil when the target is acceptable.
    private static func check(_ bytes: String.UTF8View, maxLength: Int) -> TargetRejection? {
        guard bytes.count <= maxLength else { return .tooLong }
        guard bytes.first == UInt8(ascii: "/") else { return .notOriginForm }
        var index = bytes.index(after: bytes.startIndex)
        if index < bytes.endIndex && (bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\")) {
            return .doubleSlash
        }
        var inQuery = false
        // The current path segment, decoded, is "." or ".." while it holds only dots (at most two).
        var segmentDots = 0
        var segmentOther = false
        while index < bytes.endIndex {
            var byte = bytes[index]
            index = bytes.index(after: index)
            guard isURIByte(byte) else { return .badCharacter }
            if byte == UInt8(ascii: "%") {
                guard index < bytes.endIndex, let high = hexValue(bytes[index]) else { return .badPercent }
                index = bytes.index(after: index)
                guard index < bytes.endIndex, let low = hexValue(bytes[index]) else { return .badPercent }
                index = bytes.index(after: index)
                byte = high << 4 | low
                if byte < 0x20 || byte == 0x7F { return .encodedControl }
                if byte == UInt8(ascii: ".") {
                    segmentDots += 1
                } else {
                    segmentOther = true
                }
                continue
            }
            if inQuery { continue }
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "?"):
                if !segmentOther && (segmentDots == 1 || segmentDots == 2) { return .dotSegment }
                segmentDots = 0
                segmentOther = false
                inQuery = byte == UInt8(ascii: "?")
            case UInt8(ascii: "."):
                segmentDots += 1
            default:
                segmentOther = true
            }
        }
        if !inQuery && !segmentOther && (segmentDots == 1 || segmentDots == 2) { return .dotSegment }
        return nil
    }

    /// RFC 3986 characters that may appear in an origin-form target: unreserved, sub-delims,
    /// ":", "@", "/", "?" and "%". Everything else (controls, space, quotes, "<>", "\", "#",
    /// non-ASCII) is refused rather than passed on into a `Location`.
    @inline(__always)
    static func isURIByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// For configured paths relative to a real server (`health.path`, `page.probe_path`): the same
    /// rules as a request's rest, so a check or probe never leaves the server's base URL.
    static func relativePathProblem(_ path: String) -> String? {
        if path.hasPrefix("/") { return "must be relative to each server's URL (no leading \"/\")" }
        if case .rejected(let rejection) = classify("/" + path) { return "\"\(path)\" is not acceptable: \(rejection.reason)" }
        return nil
    }
}
