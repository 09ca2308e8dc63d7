import MirrorscopeCore

/// A plain list of mirror URLs, one per line; blank lines and `#` comments are ignored.
public enum PlainListParser {
    public static func parse(_ text: String) throws(ManifestError) -> (mirrors: [Mirror], warnings: [String]) {
        var mirrors: [Mirror] = []
        var warnings: [String] = []
        var ids = MirrorIDs()
        var seen: Set<String> = []
        var skipped = 0
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmed()
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Anything after whitespace is a tag or comment (apt lists put tags after a TAB).
            let field = String(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
            // Lists name mirrors by absolute URL; a bare word is not a mirror.
            guard let resolved = MirrorURLs.resolve(field, against: nil), let url = MirrorURLs.normaliseBase(resolved) else {
                skipped += 1
                warnings.append("line \(number + 1): \"\(TerminalText.sanitize(String(line), maxCharacters: 60))\" is not a URL, skipped")
                continue
            }
            guard seen.insert(url).inserted else { continue }
            guard mirrors.count < ManifestLimits.maxMirrors else {
                warnings.append("only the first \(ManifestLimits.maxMirrors) mirrors were kept")
                break
            }
            mirrors.append(Mirror(id: ids.claim(nil, url: url), url: url, pageOrder: mirrors.count))
        }
        if mirrors.isEmpty {
            throw ManifestError("no mirror URLs found (\(skipped) line\(skipped == 1 ? "" : "s") that are not URLs)")
        }
        if skipped > 0 { warnings.append("\(skipped) line\(skipped == 1 ? "" : "s") skipped") }
        return (mirrors, warnings)
    }
}
