import Foundation

/// Finds the line of a key in a config file's text. TOMLKit reports positions for syntax errors
/// only; a value that parses but is wrong (`weight = -1`) still deserves its line, so this scans
/// the text for table headers and `key =` lines. It only locates: the values come from TOMLKit.
struct ConfigKeyLocator {
    /// Section ("" for the top level, `health`, `real[1]`) -> first line of each key.
    private var keys: [String: [String: Int]] = [:]
    /// Section -> line of its header.
    private var headers: [String: Int] = [:]

    init(text: String) {
        var section = ""
        var arrayCounts: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[[") {
                let name = Self.headerName(line.dropFirst(2), closing: "]]")
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                section = "\(name)[\(index)]"
                headers[section] = lineNumber
            } else if line.hasPrefix("[") {
                section = Self.headerName(line.dropFirst(), closing: "]")
                headers[section] = lineNumber
            } else if !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingCharacters(in: keyPadding)
                if !key.isEmpty && keys[section]?[key] == nil { keys[section, default: [:]][key] = lineNumber }
            }
        }
    }

    /// The line of a key path (`secret`, `health.interval`, `real[1].weight`); the line of its table
    /// header when the key itself is absent (a missing required key); nil when neither is known.
    func line(of keyPath: String) -> Int? {
        let (section, key) = Self.split(keyPath)
        return keys[section]?[key] ?? headers[section] ?? (section.isEmpty ? nil : line(of: section))
    }

    static func split(_ keyPath: String) -> (section: String, key: String) {
        guard let dot = keyPath.lastIndex(of: ".") else { return ("", keyPath) }
        return (String(keyPath[..<dot]), String(keyPath[keyPath.index(after: dot)...]))
    }

    private static func headerName(_ text: Substring, closing: String) -> String {
        let name = text.range(of: closing).map { text[..<$0.lowerBound] } ?? text
        return name.trimmingCharacters(in: keyPadding)
    }
}

private let keyPadding = CharacterSet(charactersIn: " \t\"'")
