import Foundation
import MirrorscopeCore

/// CPAN's `MIRRORED.BY`: a line `host.name:` starts a mirror, then indented `key = "value"` lines:
/// `dst_http`, `dst_ftp` and `dst_rsync` (`host::module` or an rsync URL) are its URLs;
/// `dst_location` is `"City, (area, )Country, Continent (lat long)"`. The file is ISO-8859-1.
/// Malformed host lines (old files have them) are skipped with a warning, with their keys.
public enum CPANParser {
    static let urlKeys = ["dst_http", "dst_ftp", "dst_rsync"]

    public static func parse(_ data: Data) -> ParsedMirrors {
        let text = DocumentText.latin1(data)  // MIRRORED.BY is ISO-8859-1
        var builder = MirrorListBuilder(format: .cpan)
        var host: (name: String, line: Int, values: [String: String])?

        func finishHost() {
            defer { host = nil }
            guard let h = host else { return }
            let label = "host \(TerminalText.sanitize(h.name, maxCharacters: 60)) (line \(h.line))"
            var template = Mirror(id: "", url: "")
            if let location = h.values["dst_location"] { place(location, on: &template) }
            var added = false
            for key in urlKeys {
                guard let raw = h.values[key], !raw.isEmpty else { continue }
                var mirror = template
                mirror.url = key == "dst_rsync" ? rsyncURL(raw) : raw
                added = builder.add(mirror, entry: "\(label), \(key)") || added
            }
            if !added, !urlKeys.contains(where: { !(h.values[$0] ?? "").isEmpty }) {
                builder.skip(label, "no dst_http, dst_ftp or dst_rsync")
            }
        }

        var orphanKeys = false
        for (number, line) in TextLines.lines(text).enumerated() {
            let trimmed = String(TextLines.trim(line))
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first != " " && line.first != "\t" {
                finishHost()
                builder.countEntry()
                if let name = hostName(trimmed) {
                    host = (name, number + 1, [:])
                    orphanKeys = false
                } else {
                    builder.skip("line \(number + 1)", "\"\(TerminalText.sanitize(trimmed, maxCharacters: 60))\" is not a \"host.name:\" line")
                    orphanKeys = true
                }
                continue
            }
            guard host != nil else {
                if !orphanKeys { builder.warn("line \(number + 1): a key outside any host; ignored") }
                continue
            }
            guard let (key, value) = keyValue(trimmed) else {
                builder.warn("line \(number + 1): \"\(TerminalText.sanitize(trimmed, maxCharacters: 60))\" is not a key = \"value\" line; ignored")
                continue
            }
            host?.values[key] = value
        }
        finishHost()
        return builder.finish()
    }

    /// `host.name:` -> "host.name"; nil for anything else.
    static func hostName(_ line: String) -> String? {
        guard line.hasSuffix(":") else { return nil }
        let name = line.dropLast()
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else { return nil }
        return String(name)
    }

    /// `key = "value"` (the closing quote may be missing in old files).
    static func keyValue(_ line: String) -> (String, String)? {
        guard let eq = line.firstIndex(of: "=") else { return nil }
        let key = line[..<eq].trimmed()
        var value = Substring(line[line.index(after: eq)...].trimmed())
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), value.hasPrefix("\"") else { return nil }
        value = value.dropFirst()
        if value.hasSuffix("\"") { value = value.dropLast() }
        return (key, String(value))
    }

    /// `host::module` -> `rsync://host/module/`; an rsync URL stays as it is; a bare host is the rsync daemon's root.
    static func rsyncURL(_ raw: String) -> String {
        guard !raw.contains("://") else { return raw }
        guard let sep = raw.range(of: "::") else { return "rsync://\(raw)/" }
        return "rsync://\(raw[..<sep.lowerBound])/\(raw[sep.upperBound...])"
    }

    /// `"Vienna, Austria, Europe (48.20234 16.36958)"`: city first, then the country before the continent.
    static func place(_ location: String, on mirror: inout Mirror) {
        var text = Substring(location.trimmed())
        if text.hasSuffix(")"), let paren = text.lastIndex(of: "(") { text = text[..<paren] } // the coordinates
        let parts = text.split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return }
        var country = parts.count >= 2 ? parts[parts.count - 2] : parts[0]
        if let paren = country.firstIndex(of: "(") { country = country[..<paren].trimmed() } // "Kyiv (Kiev)"
        mirror.countryName = TerminalText.sanitize(country, maxCharacters: 40)
        mirror.country = CountryNames.code(for: country)
        mirror.location = mirror.country ?? mirror.countryName?.lowercased()
        if parts.count >= 3 { mirror.city = TerminalText.sanitize(parts[0], maxCharacters: 60) }
    }
}

extension CPANParser: MirrorListFormat {
    static let format = PageFormat.cpan

    static func claims(fileName: String) -> Bool { fileName.hasPrefix("mirrored.by") }

    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors { parse(doc.body) }

    /// A `host.name:` line followed by an indented `key = "value"` line.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        var previousWasHost = false
        for line in head.lines where !line.trimmed.hasPrefix("#") {
            let indented = line.raw.first == " " || line.raw.first == "\t"
            if previousWasHost, indented, line.trimmed.contains("="), line.trimmed.contains("\"") { return .certain }
            previousWasHost = !indented && hostName(String(line.trimmed)) != nil
        }
        return nil
    }
}

extension PageFormat {
    public static let cpan = PageFormat("cpan", title: "CPAN MIRRORED.BY", aliases: ["mirrored.by"])
}
