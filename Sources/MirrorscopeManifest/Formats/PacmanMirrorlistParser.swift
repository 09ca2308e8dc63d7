import MirrorscopeCore

/// Arch Linux's pacman mirrorlist: `Server = https://host/path/$repo/os/$arch` lines, in the order
/// pacman tries them (so that order is the priority); `#Server = ...` is a disabled entry; a
/// comment that names a country (`## Germany`) applies to the servers below it. When every
/// entry is disabled (the stock list ships that way), the disabled ones are read, with a warning.
public enum PacmanMirrorlistParser {
    public static func parse(_ text: String) -> ParsedMirrors {
        struct Entry {
            var url: String
            var line: Int
            var countryName: String?
            var disabled: Bool
        }
        var entries: [Entry] = []
        var country: String?
        var otherLines: [Int] = []
        for (number, raw) in TextLines.lines(text).enumerated() {
            var line = TextLines.trim(raw)
            if line.isEmpty { continue }
            var disabled = false
            if line.hasPrefix("#") {
                line = line.drop(while: { $0 == "#" || $0 == " " || $0 == "\t" })
                disabled = true
            }
            if let url = serverValue(line) {
                entries.append(Entry(url: url, line: number + 1, countryName: country, disabled: disabled))
            } else if disabled {
                let words = String(line).trimmed()
                if CountryNames.code(for: words) != nil || words.lowercased() == "worldwide" { country = words }
            } else {
                // pacman.conf-style lines ("[core]", "Include = ...") or junk: not a server.
                otherLines.append(number + 1)
            }
        }
        let enabled = entries.filter { !$0.disabled }
        var builder = MirrorListBuilder(format: .pacman)
        let chosen = enabled.isEmpty ? entries : enabled
        if enabled.isEmpty, !entries.isEmpty {
            builder.warn("every Server line is commented out (#Server); reading all \(entries.count) of them")
        } else if enabled.count < entries.count {
            builder.warn("\(entries.count - enabled.count) commented-out #Server line\(entries.count - enabled.count == 1 ? "" : "s") left out")
        }
        for line in otherLines.prefix(3) { builder.warn("line \(line): not a \"Server = URL\" line; ignored") }
        if otherLines.count > 3 { builder.warn("\(otherLines.count) lines that are not \"Server = URL\" ignored") }
        for entry in chosen {
            builder.countEntry()
            var mirror = Mirror(id: "", url: entry.url)
            mirror.priority = builder.mirrors.count + 1
            if let name = entry.countryName {
                mirror.countryName = TerminalText.sanitize(name, maxCharacters: 40)
                mirror.country = CountryNames.code(for: name)
                mirror.location = mirror.country ?? name.lowercased()
            }
            builder.add(mirror, entry: "line \(entry.line)", templates: true)
        }
        return builder.finish()
    }

    /// The URL of a `Server = URL` line (the key in any case, spaces around "=" optional).
    static func serverValue(_ line: Substring) -> String? {
        guard line.count > 6, line.prefix(6).lowercased() == "server" else { return nil }
        let rest = line.dropFirst(6).drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == "=" else { return nil }
        return rest.dropFirst().trimmed()
    }
}

extension PacmanMirrorlistParser: TextDocumentFormat {
    static let format = PageFormat.pacman

    /// A `Server = URL` line; a list whose servers are all commented out (as the stock one ships)
    /// is likely one.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        var commented = false
        for line in head.lines {
            if line.trimmed.hasPrefix("#") {
                if serverValue(line.trimmed.drop(while: { $0 == "#" || $0 == " " })) != nil { commented = true }
            } else if serverValue(line.trimmed) != nil {
                return .certain
            }
        }
        return commented ? .likely : nil
    }
}

extension PageFormat {
    public static let pacman = PageFormat("pacman", title: "pacman mirrorlist", aliases: ["arch", "mirrorlist"])
}
