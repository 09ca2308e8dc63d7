/// A second check to run on TOML text before TOMLKit parses it (the first is `TOMLHeaderCheck`).
/// toml++ asserts, aborting the program in debug and release builds alike, on two kinds of broken
/// value that fuzz/run.sh found in theme files and director configs:
/// - `}` where an array expects a value (`a = [}`, `a = [1,\n}`);
/// - a non-ASCII character where a date-time expects its time (`id = 1979-05-27Tñ`).
/// Both are invalid TOML. This check refuses the first, and, more broadly than the second, any
/// non-ASCII character outside strings and comments (TOML allows it nowhere else), with its line.
public enum TOMLValueCheck {
    /// The 1-based line of the first such value, or nil.
    public static func badValueLine(in text: String) -> Int? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.firstBadLine()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        /// The open arrays and inline tables, innermost last (`true`: an array).
        var open: [Bool] = []
        /// After `[` or `,` inside an array, until the next value starts.
        var arrayWantsValue = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func firstBadLine() -> Int? {
            var lineStart = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A {
                    line += 1
                    lineStart = true
                    index += 1
                    continue
                }
                if byte == 0x20 || byte == 0x09 || byte == 0x0D { index += 1; continue }
                if byte == UInt8(ascii: "#") { skipComment(); continue }
                if byte >= 0x80 { return line }
                defer { lineStart = false }
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    arrayWantsValue = false
                    skipString(quote: byte)
                    continue
                case UInt8(ascii: "[") where open.isEmpty && lineStart:
                    // A table header (how its key starts is TOMLHeaderCheck's): to the end of
                    // the line, following quoted keys.
                    if !skipHeader() { return line }
                    continue
                case UInt8(ascii: "["):
                    open.append(true)
                    arrayWantsValue = true
                case UInt8(ascii: "{"):
                    open.append(false)
                    arrayWantsValue = false
                case UInt8(ascii: "}"):
                    if arrayWantsValue, open.last == true { return line }
                    if open.last == false { open.removeLast() }
                case UInt8(ascii: "]"):
                    if open.last == true { open.removeLast() }
                    arrayWantsValue = false
                case UInt8(ascii: ","):
                    arrayWantsValue = open.last == true
                default:
                    arrayWantsValue = false
                }
                index += 1
            }
            return nil
        }

        mutating func skipComment() {
            while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        }

        /// False when a bare key of the header holds a non-ASCII character.
        mutating func skipHeader() -> Bool {
            while index < bytes.count, bytes[index] != 0x0A {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { skipString(quote: byte); continue }
                if byte == UInt8(ascii: "#") { skipComment(); return true }
                if byte >= 0x80 { return false }
                index += 1
            }
            return true
        }

        /// Past a basic or literal string, one-line or multi-line (counting its lines); an
        /// unterminated one ends at the end of the line (one-line) or of the text (multi-line).
        mutating func skipString(quote: UInt8) {
            let multi = index + 2 < bytes.count && bytes[index + 1] == quote && bytes[index + 2] == quote
            index += multi ? 3 : 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A {
                    if !multi { return }
                    line += 1
                } else if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                    // An escape; in a multi-line string a backslash may end its line.
                    if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                        if !multi { index += 1; return }
                        line += 1
                    }
                    index += 2
                    continue
                } else if byte == quote {
                    if !multi { index += 1; return }
                    if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                        index += 3
                        // A multi-line string may end in up to two more quotes of its own.
                        while index < bytes.count, bytes[index] == quote { index += 1 }
                        return
                    }
                }
                index += 1
            }
        }
    }
}
