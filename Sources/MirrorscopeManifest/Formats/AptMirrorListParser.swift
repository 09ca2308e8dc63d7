import MirrorscopeCore

/// apt's mirror lists (`mirror+file:`, `mirror+http:`; apt-transport-mirror(1)): one URI per line,
/// then a TAB and `name:value` tags separated by spaces or tabs. `priority` orders the mirrors
/// (lower first, none last); `arch`, `lang`, `codename`, `suite`, `component`, `type` and
/// `release` are kept as tags (repeated ones form a set); words without ":" are ignored, as apt
/// ignores them.
public enum AptMirrorListParser {
    public static func parse(_ text: String) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .apt)
        for (number, raw) in TextLines.lines(text).enumerated() {
            let line = TextLines.trim(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            builder.countEntry()
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let entry = "line \(number + 1)"
            var mirror = Mirror(id: "", url: String(fields[0]))
            var tags: [String: [String]] = [:]
            for field in fields.dropFirst() {
                guard let colon = field.firstIndex(of: ":"), colon != field.startIndex else { continue }
                let name = TerminalText.sanitize(String(field[..<colon]).lowercased(), maxCharacters: 20)
                let value = TerminalText.sanitize(String(field[field.index(after: colon)...]), maxCharacters: 60)
                if name == "priority" {
                    if let p = Int(value) { mirror.priority = p } else {
                        builder.warn("\(entry): priority \"\(value)\" is not a number; ignored")
                    }
                } else if !(tags[name] ?? []).contains(value) {
                    tags[name, default: []].append(value)
                }
            }
            if !tags.isEmpty { mirror.tags = tags }
            builder.add(mirror, entry: entry)
        }
        return builder.finish()
    }
}

extension AptMirrorListParser: TextDocumentFormat {
    static let format = PageFormat.apt

    /// `URI<TAB>name:value ...` on a line that is not indented.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        head.lines.contains { !$0.trimmed.hasPrefix("#") && $0.raw.first != " " && $0.raw.first != "\t" && hasTags($0.raw) } ? .likely : nil
    }

    /// At least one `name:value` tag after a TAB.
    static func hasTags(_ line: Substring) -> Bool {
        guard let tab = line.firstIndex(of: "\t"), line[..<tab].contains(":") else { return false }
        return line[line.index(after: tab)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { field in
            guard let colon = field.firstIndex(of: ":") else { return false }
            return colon != field.startIndex && !field[..<colon].contains("/")
        }
    }
}

extension PageFormat {
    public static let apt = PageFormat("apt", title: "apt mirror list")
}
