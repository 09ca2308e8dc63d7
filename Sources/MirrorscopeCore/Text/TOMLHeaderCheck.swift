/// A check to run on TOML text before TOMLKit parses it. toml++ (TOMLKit's parser) does not
/// report a table header whose key starts with a character no key may start with (`[#x]`,
/// `[[=]]`): it asserts, which aborts a debug build and is undefined behaviour in a release build
/// (found by fuzz/run.sh theme). Such a header is refused here with its line instead. Text
/// inside a multi-line string that looks like such a header is refused too: a theme or director
/// config has no reason to hold one, nor an array of arrays written with a line starting `[ [`
/// or `[` alone (refused the same way; `[1, 2]` and `["a"]` lines pass).
public enum TOMLHeaderCheck {
    /// The 1-based line of the first table header whose key starts badly, or nil.
    public static func badHeaderLine(in text: String) -> Int? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line.utf8.drop { $0 == 0x20 || $0 == 0x09 }
            guard rest.first == UInt8(ascii: "[") else { continue }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "[") { rest = rest.dropFirst() }
            rest = rest.drop { $0 == 0x20 || $0 == 0x09 }
            // A header's key is on its line: toml++ asserts on "[[" followed by a line break and
            // a NUL (found by the director-config target), so an empty rest is refused too.
            if let first = rest.first, first == UInt8(ascii: "]") || startsKey(first) { continue }
            return index + 1
        }
        return nil
    }

    /// A bare key's characters (A-Z a-z 0-9 - _: TOML 1.0 bare keys are ASCII; toml++ asserts on
    /// a non-ASCII byte there too, found by the director-config target) or a quote that starts a
    /// quoted key (which may hold anything).
    static func startsKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }
}
