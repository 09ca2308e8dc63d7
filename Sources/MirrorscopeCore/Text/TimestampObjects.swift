/// Reading the sync time out of a mirror's timestamp object (`FreshnessFormat`). The bodies come
/// from the network: each reader looks at a bounded prefix and says why it found no time.
public enum TimestampObjects {
    /// The most of a `unix-time` body read: a number and a line break.
    public static let unixTimeLimit = 1024
    /// The most of a `Release` file read looking for `Date:` (it is in the first lines; whole files
    /// run to hundreds of KiB).
    public static let releaseLimit = 256 * 1024

    public enum Reading: Sendable, Hashable {
        case time(Int64)
        /// Not (yet) found; `why` is for the user.
        case notFound(why: String)
    }

    /// `lastsync`: seconds since 1970 on the first line (a fraction after "." is dropped).
    public static func unixTime(_ body: [UInt8]) -> Reading {
        guard body.count <= unixTimeLimit else { return .notFound(why: "larger than \(unixTimeLimit) bytes: not a unix time") }
        let text = String(decoding: body, as: UTF8.self)
        let firstLine = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map { String($0).trimmed() } ?? ""
        let whole = firstLine.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !whole.isEmpty, whole.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              whole.count <= 12, let seconds = Int64(whole) else {
            return .notFound(why: "\"\(TerminalText.sanitize(firstLine, maxCharacters: 30))\" is not a unix time")
        }
        return .time(seconds)
    }

    /// A Debian `Release` file's `Date:` field, among the complete lines of `body` (a prefix of the
    /// file). `complete`: the whole file is there (else a missing field may still come).
    public static func releaseDate(_ body: [UInt8], complete: Bool) -> Reading {
        var lineStart = 0
        for (i, byte) in body.enumerated() where byte == UInt8(ascii: "\n") {
            if let reading = dateField(body[lineStart..<i]) { return reading }
            lineStart = i + 1
        }
        if complete, lineStart < body.count, let reading = dateField(body[lineStart...]) { return reading }
        if body.count >= releaseLimit { return .notFound(why: "no Date: field in the first \(releaseLimit / 1024) KiB") }
        return .notFound(why: "no Date: field")
    }

    private static func dateField(_ line: ArraySlice<UInt8>) -> Reading? {
        guard line.count > 5, line.prefix(5).elementsEqual("Date:".utf8) else { return nil }
        let value = String(decoding: line.dropFirst(5), as: UTF8.self).trimmed()
        if let seconds = InternetDate.parse(value) { return .time(seconds) }
        return .notFound(why: "Date: \"\(TerminalText.sanitize(value, maxCharacters: 40))\" is not an RFC 2822 date")
    }

    /// A `Last-Modified` header's value.
    public static func lastModified(_ value: String?) -> Reading {
        guard let value else { return .notFound(why: "no Last-Modified header") }
        if let seconds = InternetDate.parse(value) { return .time(seconds) }
        return .notFound(why: "Last-Modified \"\(TerminalText.sanitize(value, maxCharacters: 40))\" is not an HTTP date")
    }
}
