/// File names from a document become paths under the download folder: refuse the ones that would
/// leave it (RFC 5854 section 4.1.2.1: no leading "/", "./" or "../", no "/../", no final "/..").
public enum FileNames {
    /// Why `name` is not a safe relative path, or nil when it is.
    static func problem(_ name: String) -> String? {
        if name.isEmpty { return "an empty file name" }
        if name.hasPrefix("/") { return "an absolute file name" }
        if name.contains("\\") { return "a backslash in the file name" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "control characters in the file name" }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains("..") { return "a file name that leaves the download folder (\"..\")" }
        if parts.first == "." { return "a file name starting with \"./\"" }
        if let first = parts.first, first.count == 2, first.last == ":" { return "a drive letter in the file name" }
        return nil
    }

    /// A path a page gives relative to each mirror's base (probe path, link), without leading "/";
    /// nil when it would leave the mirror or break a request line: "..", a URL, a backslash,
    /// control characters. "" (the base itself) is allowed.
    public static func mirrorRelativePath(_ raw: String) -> String? {
        var path = Substring(raw.trimmed())
        while path.hasPrefix("/") { path = path.dropFirst() }
        guard !path.split(separator: "/").contains(".."), !path.contains("://"), !path.contains("\\"),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return String(path)
    }
}
