import MirrorscopeCore

/// Debian's `Mirrors.masterlist`: stanzas of `Key: value` lines (keys in any case) separated by
/// blank lines. `Site` is the host; `Archive-http`, `Archive-https`, `Archive-ftp` and
/// `Archive-rsync` give the Debian archive's path on it, one mirror URL each; `Country: DE Germany`,
/// `Location` (a city), `Type` and `Archive-architecture` describe it. Sites that carry no archive
/// (CD images, ports or old releases only) are left out and counted.
public enum DebianMasterlistParser {
    static let archiveKeys: [(key: String, scheme: String)] = [
        ("archive-https", "https"), ("archive-http", "http"), ("archive-ftp", "ftp"), ("archive-rsync", "rsync"),
    ]

    public static func parse(_ text: String) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .debian)
        var noArchive: [String] = []
        var stanza: [(key: String, value: String)] = []
        var stanzaLine = 0
        var countryNames: [String: String] = [:] // hundreds of sites name a few dozen countries

        func finishStanza() {
            defer { stanza = [] }
            guard !stanza.isEmpty else { return }
            builder.countEntry()
            func label() -> String { "stanza at line \(stanzaLine)" }
            func value(_ key: String) -> String? { stanza.first { $0.key == key }?.value }
            guard let site = value("site"), !site.isEmpty else { builder.skip(label(), "no Site"); return }
            let host = TerminalText.sanitize(site, maxCharacters: 80)
            guard !host.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) else {
                builder.skip("\(label()) (Site: \(host))", "the Site is not a host name"); return
            }
            var template = Mirror(id: "", url: "")
            if let country = value("country") {
                let words = country.split(separator: " ", maxSplits: 1)
                if let code = words.first, CountryNames.isCode(String(code)) {
                    template.country = CountryNames.normalised(String(code))
                    template.location = template.country
                    if words.count > 1 {
                        let name = String(words[1])
                        if countryNames[name] == nil { countryNames[name] = TerminalText.sanitize(name, maxCharacters: 40) }
                        template.countryName = countryNames[name]
                    }
                } else {
                    template.countryName = TerminalText.sanitize(country, maxCharacters: 40)
                    template.location = template.countryName?.lowercased()
                }
            }
            if let city = value("location"), !city.isEmpty { template.city = TerminalText.sanitize(city, maxCharacters: 60) }
            var tags: [String: [String]] = [:]
            if let type = value("type") { tags["type"] = [TerminalText.sanitize(type, maxCharacters: 30)] }
            if let arches = value("archive-architecture") {
                tags["arch"] = TerminalText.sanitize(arches, maxCharacters: 400).split(separator: " ").map(String.init)
            }
            if !tags.isEmpty { template.tags = tags }
            var any = false
            for (key, scheme) in archiveKeys {
                guard let path = value(key) else { continue }
                any = true
                var mirror = template
                let trimmed = path.drop(while: { $0 == "/" })
                mirror.url = "\(scheme)://\(host)/\(trimmed)"
                builder.add(mirror, entry: "\(label()) (Site: \(host), \(key.dropFirst(8)))")
            }
            if !any { noArchive.append(host) }
        }

        for (number, line) in TextLines.lines(text).enumerated() {
            if TextLines.trim(line).isEmpty {
                finishStanza()
                continue
            }
            let first = line.utf8.first
            if first == UInt8(ascii: "#") { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                // A continuation line (RFC 822 folding) extends the previous value.
                if !stanza.isEmpty { stanza[stanza.count - 1].value += " " + TextLines.trim(line) }
                continue
            }
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else {
                builder.warn("line \(number + 1): \"\(TerminalText.sanitize(String(line), maxCharacters: 60))\" is not a \"Key: value\" line; ignored")
                continue
            }
            if stanza.isEmpty { stanzaLine = number + 1 }
            stanza.append((String(TextLines.trim(line[..<colon])).lowercased(), String(TextLines.trim(line[line.index(after: colon)...]))))
        }
        finishStanza()
        if !noArchive.isEmpty {
            let shown = noArchive.prefix(3).joined(separator: ", ")
            builder.warn("\(noArchive.count) site\(noArchive.count == 1 ? "" : "s") without a Debian archive (CD images, ports or old releases only) left out: \(shown)\(noArchive.count > 3 ? ", …" : "")")
        }
        return builder.finish()
    }
}

extension DebianMasterlistParser: TextDocumentFormat {
    static let format = PageFormat.debian

    static func claims(fileName: String) -> Bool { fileName.hasSuffix("mirrors.masterlist") }

    /// The first stanza starts with `Site:`.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        head.firstContentLine?.lowercased().hasPrefix("site:") == true ? .certain : nil
    }
}

extension PageFormat {
    public static let debian = PageFormat("debian", title: "Debian Mirrors.masterlist", aliases: ["masterlist", "debian-masterlist"])
}
