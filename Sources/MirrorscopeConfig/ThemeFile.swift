import MirrorscopeCore
import TOMLKit

/// A theme file (TOML): one table per role, named as in `Role` (`[header]`, `[bar-fast]`, ...),
/// with `fg`, `bg` (a colour name, "bright-NAME", 0-255, "#rrggbb" or "default"), `attributes` and
/// `monochrome` (lists of "bold", "dim", "reverse", "underline"). Missing roles and keys fall back to
/// the built-in default; unknown keys are ignored with a warning, so older programs read newer files.
public enum ThemeFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// A key or message from the file as it may be shown: a key may hold tabs and controls when
    /// quoted (found by fuzz/run.sh theme), and messages reach the terminal.
    static func shown(_ text: String) -> String { TerminalText.sanitize(text, maxCharacters: 80) }

    public static func parse(_ text: String, name: String) throws(Failure) -> (theme: Theme, warnings: [String]) {
        let table: TOMLTable
        if let line = TOMLHeaderCheck.badHeaderLine(in: text) {
            throw Failure(description: "theme \(name): line \(line): a table header must start with a key")
        }
        if let line = TOMLValueCheck.badValueLine(in: text) {  // toml++ would abort on it
            throw Failure(description: "theme \(name): line \(line): an array value missing, or a character outside a string that TOML does not allow")
        }
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Failure(description: "theme \(name): line \(error.source.begin.line), column \(error.source.begin.column): \(Self.shown(error.description))")
        } catch {
            throw Failure(description: "theme \(name): \(error)")
        }
        var warnings: [String] = []
        var looks = Theme.builtinDefault.looks
        // The name is shown (the help overlay, messages): cleaned like any text from a file (fuzz/run.sh theme).
        let themeName = table["name"]?.string.map { Self.shown($0) } ?? name
        for (key, value) in table {
            if key == "name" { continue }
            guard let role = Role(rawValue: key) else {
                warnings.append("theme \(name): unknown key \"\(Self.shown(key))\" ignored")
                continue
            }
            guard let roleTable = value.table else {
                throw Failure(description: "theme \(name): \"\(Self.shown(key))\" must be a table ([\(Self.shown(key))])")
            }
            var look = Theme.builtinDefault.look(role)
            for (field, fieldValue) in roleTable {
                switch field {
                case "fg": look.fg = try color(fieldValue, "\(key).fg", name)
                case "bg": look.bg = try color(fieldValue, "\(key).bg", name)
                case "attributes": look.attributes = try attributes(fieldValue, "\(key).attributes", name)
                case "monochrome": look.monochrome = try attributes(fieldValue, "\(key).monochrome", name)
                default: warnings.append("theme \(name): unknown key \"\(Self.shown(key + "." + field))\" ignored")
                }
            }
            looks[role] = look
        }
        return (Theme(name: themeName, looks: looks), warnings)
    }

    static func color(_ value: any TOMLValueConvertible, _ key: String, _ name: String) throws(Failure) -> ThemeColor {
        if let n = value.int {
            guard (0...255).contains(n) else { throw Failure(description: "theme \(name): \(key) = \(n) is outside 0...255") }
            return .indexed(n)
        }
        if let s = value.string, let c = ThemeColor(parsing: s) { return c }
        throw Failure(description: "theme \(name): \(key) must be a colour name, bright-NAME, 0-255, #rrggbb or \"default\"")
    }

    static func attributes(_ value: any TOMLValueConvertible, _ key: String, _ name: String) throws(Failure) -> Attributes {
        guard let array = value.array else { throw Failure(description: "theme \(name): \(key) must be a list such as [\"bold\"]") }
        var out: Attributes = []
        for item in array {
            guard let word = item.string, let attr = Attributes.names.first(where: { $0.0 == word })?.1 else {
                throw Failure(description: "theme \(name): \(key) may hold only \"bold\", \"dim\", \"reverse\", \"underline\"")
            }
            out.insert(attr)
        }
        return out
    }
}
