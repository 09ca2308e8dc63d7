import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// The mirrors of a page, unprobed, as table, JSON or CSV (`mirrorscope list`).
struct ListOutput {
    let page: Page

    /// The JSON document: `source`, `format`, `probe_path`, `mirrors` (each with every key, null
    /// when the list does not say), `files` and `warnings`. Written by hand rather than with
    /// JSONEncoder: keys keep this order (Foundation's encoder on Linux scrambles them), and a
    /// thousand mirrors take a fraction of the time.
    func json() -> String {
        var w = JSONText()
        w.open("{")
        w.key("source"); w.string(page.url ?? page.source)
        w.key("format"); w.string(page.format)
        w.key("probe_path"); w.string(page.probe.path)
        w.key("mirrors"); w.open("[")
        for m in page.mirrors {
            w.item(); w.open("{")
            w.key("id"); w.string(m.id)
            w.key("url"); w.string(m.url)
            w.key("protocol"); w.string(m.protocolName)
            w.key("location"); w.string(m.location)
            w.key("priority"); w.number(m.priority.map(String.init))
            w.key("preferred"); w.raw(m.preferred ? "true" : "false")
            w.key("name"); w.string(m.name)
            w.key("country"); w.string(m.country)
            w.key("country_name"); w.string(m.countryName)
            w.key("city"); w.string(m.city)
            w.key("template"); w.string(m.template)
            w.key("unfilled_variables"); w.strings(m.unfilledVariables ?? [])
            w.key("last_sync"); w.string(m.freshness?.lastSync.map(Timestamps.iso8601(seconds:)))
            w.key("delay_s"); w.number(m.freshness?.delaySeconds.map(String.init))
            w.key("completion"); w.number(m.freshness?.completion.map { "\($0)" })
            w.key("families"); if let families = m.addressFamilies { w.strings(families) } else { w.raw("null") }
            w.key("tags"); w.open("{")
            for (name, values) in (m.tags ?? [:]).sorted(by: { $0.key < $1.key }) { w.key(name); w.strings(values) }
            w.close("}")
            w.close("}")
        }
        w.close("]")
        w.key("files"); w.open("[")
        for file in page.files {
            w.item(); w.open("{")
            w.key("name"); w.string(file.name)
            w.key("size"); w.number(file.size.map(String.init))
            w.key("timestamp"); w.string(file.timestamp.map(Timestamps.iso8601(seconds:)))
            w.key("hashes"); w.open("{")
            for (type, hex) in file.hashes.sorted(by: { $0.key < $1.key }) { w.key(type); w.string(hex) }
            w.close("}")
            w.key("pieces"); w.open("[")
            for pieces in file.pieces {
                w.item(); w.open("{")
                w.key("type"); w.string(pieces.type)
                w.key("length"); w.number(String(pieces.length))
                w.key("hashes"); w.strings(pieces.hashes)
                w.close("}")
            }
            w.close("]")
            w.close("}")
        }
        w.close("]")
        w.key("warnings"); w.strings(page.warnings)
        w.close("}")
        return w.text
    }

    /// The URL a user recognises: the template as the list wrote it while variables are unfilled.
    static func shownURL(_ m: Mirror) -> String {
        if let template = m.template, !(m.unfilledVariables ?? []).isEmpty { return template }
        return m.url
    }

    func table() -> String {
        let fresh = page.mirrors.contains { $0.freshness != nil }
        var header = ["#", "PRIORITY", "PROTOCOL", "COUNTRY", "PLACE"]
        if fresh { header += ["LAST SYNC", "DELAY", "COMPLETION"] }
        header.append("URL")
        var lines = [header]
        for (n, m) in page.mirrors.enumerated() {
            let place = [m.city, m.countryName].compactMap { $0 }.joined(separator: ", ")
            var line = ["\(n + 1)", m.priority.map(String.init) ?? "-", m.protocolName, m.country ?? m.location ?? "-",
                        TerminalText.sanitize(place.isEmpty ? "-" : place, maxCharacters: 40)]
            if fresh {
                line.append(m.freshness?.lastSync.map(Timestamps.iso8601(seconds:)) ?? "-")
                line.append(m.freshness?.delaySeconds.map(Self.duration) ?? "-")
                line.append(m.freshness?.completion.map { Format.fixed($0 * 100, decimals: 1) + "%" } ?? "-")
            }
            line.append(TerminalText.sanitize(Self.shownURL(m), maxCharacters: ManifestLimits.maxURLLength))
            lines.append(line)
        }
        return TextTable.render(lines, alignRight: { $0 <= 1 })
    }

    func csv() -> String {
        let q = CSV.field
        var out = "url,protocol,location,priority,preferred,name,country,country_name,city,template,last_sync,delay_s,completion\n"
        for m in page.mirrors {
            out += [q(m.url), m.protocolName, q(m.location ?? ""), m.priority.map(String.init) ?? "", m.preferred ? "true" : "false",
                    q(m.name ?? ""), m.country ?? "", q(m.countryName ?? ""), q(m.city ?? ""), q(m.template ?? ""),
                    m.freshness?.lastSync.map(Timestamps.iso8601(seconds:)) ?? "", m.freshness?.delaySeconds.map(String.init) ?? "",
                    m.freshness?.completion.map { String($0) } ?? ""].joined(separator: ",") + "\n"
        }
        return out
    }

    /// 1871 -> "31m", 19089 -> "5h18m".
    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60 < 10 ? "0" : "")\(seconds % 3600 / 60)m"
    }
}

/// Builds indented JSON text with keys in the order written.
struct JSONText {
    private(set) var text = ""
    private var depth = 0
    private var first = true

    mutating func open(_ bracket: String) {
        text += bracket
        depth += 1
        first = true
    }

    mutating func close(_ bracket: String) {
        depth -= 1
        if !first { newline() }
        text += bracket
        first = false
    }

    /// Starts an element of an array.
    mutating func item() {
        if !first { text += "," }
        newline()
        first = false
    }

    mutating func key(_ name: String) {
        item()
        appendQuoted(name)
        text += ": "
    }

    mutating func raw(_ value: String) { text += value }
    mutating func number(_ value: String?) { text += value ?? "null" }

    mutating func string(_ value: String?) {
        guard let value else { text += "null"; return }
        appendQuoted(value)
    }

    /// A short array of strings on one line.
    mutating func strings(_ values: [String]) {
        text += "["
        for (i, value) in values.enumerated() {
            if i > 0 { text += ", " }
            appendQuoted(value)
        }
        text += "]"
    }

    /// "\n" and the indentation of each depth, made once.
    private static let newlines: [String] = (0..<8).map { "\n" + String(repeating: "  ", count: $0) }

    private mutating func newline() {
        text += depth < Self.newlines.count ? Self.newlines[depth] : "\n" + String(repeating: "  ", count: depth)
    }

    private mutating func appendQuoted(_ value: String) {
        text += "\""
        // Most values (URLs, codes) need no escaping: append them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 >= 0x80 }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
