import Foundation
import MirrorscopeCore
import TOMLKit

/// Writes admin changes back into the config file so they survive a restart.
///
/// The edit is made in the text, on the `[[real]]` table concerned, so the operator's comments
/// and layout stay: a new server is appended after the last `[[real]]` table, a deleted one's table
/// is removed, a patched key's line is replaced (or added). The lines come from the real-server
/// schema's encoding (TOMLKit's encoder), one `key = value` per key in the schema's order. The
/// result is parsed again and must give exactly the intended configuration; when it does not
/// (servers declared in an unusual form), the whole document is re-serialised by TOMLKit instead,
/// the servers by its encoder, which loses comments. The new text replaces the file atomically
/// (`ConfigFileEditor+Writing.swift`).
enum ConfigFileEditor {
    /// `file` is where the text lives (relative paths in it are resolved from there, as they were
    /// for `expected`).
    static func edited(_ text: String, change: AdminChange, expected: DirectorConfig, file: String? = nil) throws -> String {
        if let edited = textEdit(text, change: change), (try? ConfigParser.parse(edited, file: file)) == expected {
            return edited
        }
        let reserialised = try reserialise(text, reals: expected.reals)
        guard (try? ConfigParser.parse(reserialised, file: file)) == expected else {
            throw AdminError(status: 500, "the config file could not be rewritten to match the change")
        }
        return reserialised
    }

    // MARK: editing the text

    private static func textEdit(_ text: String, change: AdminChange) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blocks = realBlocks(lines)
        switch change {
        case .add(let real):
            guard let keyLines = keyLines(for: real) else { return nil }
            var block = ["[[real]]"] + keyLines
            let insertAt: Int
            if let last = blocks.last {
                insertAt = contentEnd(lines, last)
                block.insert("", at: 0)
            } else {
                insertAt = lines.count - (lines.last == "" ? 1 : 0)
                if insertAt > 0 && !lines[insertAt - 1].trimmingCharacters(in: .whitespaces).isEmpty { block.insert("", at: 0) }
            }
            lines.insert(contentsOf: block, at: insertAt)
        case .patch(let id, let patch):
            guard let block = blocks.first(where: { blockID(lines, $0) == id }),
                  let patched: TOMLTable = try? TOMLEncoder().encode(patch) else { return nil }
            // The patch's keys in its own order; a nil line removes the key: "" clears a location
            // or name, as it does in the running director.
            var changes: [(String, String?)] = []
            for key in RealPatch.keys.map(\.stringValue) {
                guard let value = patched[key] else { continue }
                if value.string == "" || value.array?.count == 0 {
                    changes.append((key, nil))
                } else {
                    guard let literal = literal(value) else { return nil }
                    changes.append((key, literal))
                }
            }
            var end = contentEnd(lines, block)
            for (key, value) in changes {
                let existing = (block.lowerBound + 1..<end).first(where: { lineKey(lines[$0]) == key })
                switch (existing, value) {
                case (let line?, let value?):
                    lines[line] = "\(key) = \(value)"
                case (let line?, nil):
                    lines.remove(at: line)
                    end -= 1
                case (nil, let value?):
                    lines.insert("\(key) = \(value)", at: end)
                    end += 1
                case (nil, nil):
                    break
                }
            }
        case .delete(let id):
            guard let block = blocks.first(where: { blockID(lines, $0) == id }) else { return nil }
            var lower = block.lowerBound
            // Take the blank line that separated it from what came before.
            if lower > 0 && lines[lower - 1].trimmingCharacters(in: .whitespaces).isEmpty { lower -= 1 }
            lines.removeSubrange(lower..<contentEnd(lines, block))
        }
        return lines.joined(separator: "\n")
    }

    /// Line ranges of the `[[real]]` tables: from the header to the next table header.
    private static func realBlocks(_ lines: [String]) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start: Int?
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("[") else { continue }
            if let s = start { blocks.append(s..<i) }
            start = trimmed.replacingOccurrences(of: " ", with: "").hasPrefix("[[real]]") ? i : nil
        }
        if let s = start { blocks.append(s..<lines.count) }
        return blocks
    }

    /// The end of a block's own lines: trailing blank and comment lines belong to what follows.
    private static func contentEnd(_ lines: [String], _ block: Range<Int>) -> Int {
        var end = block.upperBound
        while end > block.lowerBound + 1 {
            let trimmed = lines[end - 1].trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || trimmed.hasPrefix("#") else { break }
            end -= 1
        }
        return end
    }

    private static func blockID(_ lines: [String], _ block: Range<Int>) -> String? {
        for i in block.dropFirst() where lineKey(lines[i]) == RealServerConfig.CodingKeys.id.stringValue {
            guard let equals = lines[i].firstIndex(of: "=") else { continue }
            let value = lines[i][lines[i].index(after: equals)...].trimmingCharacters(in: .whitespaces)
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    private static func lineKey(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { return nil }
        return trimmed[..<equals].trimmingCharacters(in: .whitespaces)
    }

    /// A new `[[real]]` table's lines: the schema's encoding, in its keys' order.
    private static func keyLines(for real: RealServerConfig) -> [String]? {
        guard let table: TOMLTable = try? TOMLEncoder().encode(real) else { return nil }
        var lines: [String] = []
        for key in RealServerConfig.CodingKeys.allCases.map(\.stringValue) {
            guard let value = table[key] else { continue }
            guard let literal = literal(value) else { return nil }
            lines.append("\(key) = \(literal)")
        }
        return lines
    }

    /// A value as it is written after `key = `; nil for a kind the schema does not use.
    private static func literal(_ value: any TOMLValueConvertible) -> String? {
        if let bool = value.bool { return "\(bool)" }
        if let int = value.int { return "\(int)" }
        if let double = value.double { return double.isFinite ? "\(double)" : nil }
        if let string = value.string { return quoted(string) }
        if let array = value.array {
            var items: [String] = []
            for item in array {
                guard item.array == nil, let literal = literal(item) else { return nil }
                items.append(literal)
            }
            return "[" + items.joined(separator: ", ") + "]"
        }
        return nil
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    // MARK: re-serialising

    /// The document as TOMLKit reads it, with its `real` array replaced by the schema's encoding of
    /// every server (TOMLKit's encoder).
    private static func reserialise(_ text: String, reals: [RealServerConfig]) throws -> String {
        if let line = TOMLHeaderCheck.badHeaderLine(in: text) {  // toml++ would assert on it
            throw ConfigError(key: nil, "TOML syntax: a table header must start with a key", line: line)
        }
        if let line = TOMLValueCheck.badValueLine(in: text) {  // toml++ would abort on it
            throw ConfigError(key: nil, "TOML syntax: an array value missing, or a character outside a string that TOML does not allow", line: line)
        }
        let table = try TOMLTable(string: text)
        let array = TOMLArray()
        for real in reals {
            let entry: TOMLTable = try TOMLEncoder().encode(real)
            array.append(entry)
        }
        table["real"] = array
        return "# Rewritten by mirrorscope serve (admin API); comments were not kept.\n" + table.convert(to: .toml)
    }
}
