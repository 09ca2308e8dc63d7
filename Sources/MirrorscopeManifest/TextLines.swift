/// Splits text into lines at LF, CRLF or CR. (Splitting a Swift string at "\n" misses CRLF: "\r\n"
/// is one Character. Real lists use both; the Arch list in the fixtures is CRLF.) Works on the
/// UTF-8 bytes, which is also faster than walking Characters.
public enum TextLines {
    public static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == 0x0A || byte == 0x0D {
                lines.append(text[start..<i])
                let next = utf8.index(after: i)
                i = (byte == 0x0D && next < utf8.endIndex && utf8[next] == 0x0A) ? utf8.index(after: next) : next
                start = i
            } else {
                i = utf8.index(after: i)
            }
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// Without leading and trailing spaces, tabs and line breaks; by bytes (Core's `trimmed()`
    /// walks Characters, which costs more than the rest of parsing a long list).
    static func trim(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return text[text.endIndex...]
        }
        return text[first..<utf8.index(after: last)]
    }
}
