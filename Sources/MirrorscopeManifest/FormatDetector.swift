import Foundation
import MirrorscopeCore

/// Tells a document's format when its media type did not (files, stdin, and servers that send
/// `text/plain` or `application/octet-stream` for everything): first by a file name that only one
/// format uses, then by its content. `--input-format NAME` bypasses all of it.
enum FormatDetector {
    /// Media types that name one format (generic ones like `text/plain` say nothing).
    static func byMediaType(_ media: String?) -> PageFormat? {
        switch media {
        case ProbeScript.mediaType: return .probeScript
        case MetalinkParser.mediaType4: return .metalink4
        case MetalinkParser.mediaType3: return .metalink3
        case "text/csv": return .cran
        default: return nil
        }
    }

    /// File names that only one format uses.
    static func byFileName(_ name: String?) -> PageFormat? {
        guard let name = name?.lowercased(), !name.isEmpty else { return nil }
        if name.hasSuffix(".meta4") { return .metalink4 }
        if name.hasSuffix(".metalink") { return .metalink3 }
        if name.hasSuffix("mirrors.masterlist") { return .debian }
        if name.hasPrefix("mirrored.by") { return .cpan }
        if name.hasSuffix(".csv") { return .cran }
        return nil
    }

    /// Reads the beginning of the document (bounded) and decides.
    static func byContent(_ body: Data) -> PageFormat {
        let head = body.prefix(64 * 1024)
        guard let first = head.first(where: { !isSpaceOrBOM($0) }) else { return .plain }
        if first == UInt8(ascii: "<") {
            return isXMLMirrorList(head) ? .metalink4 : .html
        }
        if first == UInt8(ascii: "{") { return .probeScript } // JSON: its keys decide (see PageAnalyzer)
        return byLines(String(decoding: head, as: UTF8.self))
    }

    /// A Metalink, or an XML document that is no web page (MirrorManager's comment-only answer):
    /// the Metalink reader says what it is.
    static func isXMLMirrorList(_ body: Data) -> Bool {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if text.contains("<metalink") { return true }
        return text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<?xml") && !text.lowercased().contains("<html")
    }

    /// Line-based formats: the first line that is not blank or a comment usually decides; apt's
    /// tags and pacman's commented-out servers can appear further down.
    static func byLines(_ text: String) -> PageFormat {
        var firstLine: Substring?
        var previousWasHost = false
        var sawCommentedServer = false
        var sawAptTags = false
        for raw in TextLines.lines(text).prefix(2000) {
            let line = String(TextLines.trim(raw))
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let rest = line.drop(while: { $0 == "#" || $0 == " " })
                if PacmanMirrorlistParser.serverValue(rest) != nil { sawCommentedServer = true }
                continue
            }
            if PacmanMirrorlistParser.serverValue(Substring(line)) != nil { return .pacman }
            if firstLine == nil {
                firstLine = Substring(line)
                let lower = line.lowercased()
                if lower.hasPrefix("site:") { return .debian }
                if isCSVHeader(line) { return .cran }
            }
            let indented = raw.first == " " || raw.first == "\t"
            if previousWasHost, indented, line.contains("="), line.contains("\"") { return .cpan }
            previousWasHost = !indented && CPANParser.hostName(line) != nil
            if !indented, hasAptTags(raw) { sawAptTags = true }
        }
        if sawAptTags { return .apt }
        if sawCommentedServer { return .pacman }
        return .plain
    }

    /// A CSV header naming a URL column (`"Name","Country",...,"URL",...`).
    static func isCSVHeader(_ line: String) -> Bool {
        guard line.contains(",") else { return false }
        return line.split(separator: ",").contains { $0.trimmed().trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased() == "url" }
    }

    /// `URI<TAB>name:value ...`: at least one tag after a TAB.
    static func hasAptTags(_ line: Substring) -> Bool {
        guard let tab = line.firstIndex(of: "\t"), line[..<tab].contains(":") else { return false }
        return line[line.index(after: tab)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { field in
            guard let colon = field.firstIndex(of: ":") else { return false }
            return colon != field.startIndex && !field[..<colon].contains("/")
        }
    }

    static func isSpaceOrBOM(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xEF || b == 0xBB || b == 0xBF
    }
}
