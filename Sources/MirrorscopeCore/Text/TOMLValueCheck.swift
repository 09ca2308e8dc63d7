/// A second check to run on TOML text before TOMLKit parses it (the first is `TOMLHeaderCheck`).
/// toml++ asserts, aborting the program in debug and release builds alike, on two kinds of broken
/// value that fuzz/run.sh found in theme files and director configs:
/// - `}` where an array expects a value (`a = [}`, `a = [1,\n}`);
/// - anything but a digit where a date-time expects its time (`id = 1979-05-27Tñ`, `…T-07`).
/// Both are invalid TOML. This check refuses them, any non-ASCII character outside strings and
/// comments (TOML allows it nowhere else) and any control character but tab and line ends, with
/// their line.
public enum TOMLValueCheck {
    /// The 1-based line of the first such value, or nil.
    public static func badValueLine(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        // TOML allows no control character but tab, line feed and carriage return, in strings
        // or out of them (they must be escaped); toml++ asserts on NULs in an array's comment
        // (fuzz/run.sh director-config).
        if let bad = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            return bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        var scanner = Scanner(bytes: bytes)
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
                    if isDigit(byte), index == 0 || !isBareKeyByte(bytes[index - 1]), !dateTimeHasItsTime(at: index) { return line }
                    arrayWantsValue = false
                }
                index += 1
            }
            return nil
        }

        /// A date with a `T` (`1979-05-27T…`) must go on with the time's digit: toml++ asserts on
        /// anything else there (`T-07`, `TZ`, `Tx07:32:00Z`, found by the director-config target).
        func dateTimeHasItsTime(at start: Int) -> Bool {
            let shape = "dddd-dd-dd".utf8
            guard start + shape.count < bytes.count else { return true }
            for (offset, expected) in shape.enumerated() {
                let byte = bytes[start + offset]
                if expected == UInt8(ascii: "d") ? !isDigit(byte) : byte != expected { return true }
            }
            let separator = bytes[start + shape.count]
            guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") else { return true }
            let next = start + shape.count + 1
            return next < bytes.count && isDigit(bytes[next])
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        func isBareKeyByte(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
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
