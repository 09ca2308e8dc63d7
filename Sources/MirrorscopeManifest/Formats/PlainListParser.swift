import MirrorscopeCore

/// A plain list of mirror URLs, one per line, as yum and dnf mirrorlists are (and any hand-made
/// list): blank lines and `#` comments are ignored, leading whitespace too; anything after the
/// URL is ignored. `$releasever`-style variables are kept as templates (see `TemplateVariables`).
public enum PlainListParser {
    public static func parse(_ text: String) throws(ManifestError) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .plain)
        for (number, rawLine) in TextLines.lines(text).enumerated() {
            let line = TextLines.trim(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            builder.countEntry()
            let field = String(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
            // A list names mirrors by absolute URL; a bare word is not a mirror.
            guard field.contains(":") else {
                builder.skip("line \(number + 1)", "\"\(TerminalText.sanitize(String(line), maxCharacters: 60))\" is not a URL")
                continue
            }
            builder.add(Mirror(id: "", url: field), entry: "line \(number + 1)", templates: true)
        }
        let result = builder.finish()
        if result.mirrors.isEmpty {
            throw ManifestError("no mirror URLs found (\(result.skipped) line\(result.skipped == 1 ? "" : "s") that are not URLs)")
        }
        return result
    }
}

extension PlainListParser: TextDocumentFormat {
    static let format = PageFormat.plain

    /// Any text may be a list of URLs; every more particular format comes first.
    static func sniff(_ head: DocumentHead) -> Sniff? { .likely }
}

extension PageFormat {
    /// One URL per line: a yum/dnf mirrorlist, or any list of URLs.
    public static let plain = PageFormat("plain", title: "list of URLs", aliases: ["yum", "dnf", "urls", "text"])
}
