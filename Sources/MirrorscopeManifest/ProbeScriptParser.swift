import Foundation
import MirrorscopeCore

/// Reads this project's own format, the probe script (`application/mirror-probe+json`, see
/// docs/probe-script.md): mirrors plus how to probe them. Only `version` and `mirrors[].url` are
/// required; unknown keys are ignored so newer scripts still load; bad entries are skipped with
/// a warning naming them.
public enum ProbeScriptParser {
    public static let mediaType = "application/mirror-probe+json"
    public static let supportedVersion = 1

    public struct Result: Sendable, Hashable {
        public var mirrors: [Mirror]
        public var probe: ProbeSettings
        public var title: String?
        /// Content every mirror holds (`links`), relative to a mirror's base URL.
        public var links: [PageLink]
        public var warnings: [String]
    }

    /// `baseURL` resolves relative mirror URLs (a director may list `/~id/` paths).
    public static func parse(_ data: Data, baseURL: String?) throws(ManifestError) -> Result {
        let root = try JSONDocument.object(data, format: .probeScript)
        guard let versionValue = root["version"] else { throw ManifestError("probe script: missing \"version\"") }
        guard let version = JSONValues.int(versionValue) else {
            throw ManifestError("probe script: \"version\" must be a number")
        }
        var warnings: [String] = []
        if version > supportedVersion {
            warnings.append("probe script version \(version) is newer than this program knows (\(supportedVersion)); reading what it understands")
        } else if version < 1 {
            throw ManifestError("probe script: unknown version \(version)")
        }
        guard let entries = root["mirrors"] as? [Any] else { throw ManifestError("probe script: missing \"mirrors\" list") }

        var mirrors: [Mirror] = []
        var ids = MirrorIDs()
        var seen: Set<String> = []
        var skipped = 0
        for (index, entry) in entries.enumerated() {
            guard mirrors.count < ManifestLimits.maxMirrors else {
                warnings.append("only the first \(ManifestLimits.maxMirrors) mirrors were kept")
                break
            }
            guard let e = entry as? [String: Any] else {
                skipped += 1; warnings.append("mirror \(index + 1): not an object, skipped"); continue
            }
            guard let rawURL = e["url"] as? String else {
                skipped += 1; warnings.append("mirror \(index + 1): no \"url\", skipped"); continue
            }
            guard let resolved = MirrorURLs.resolve(rawURL, against: baseURL), let url = MirrorURLs.normaliseBase(resolved) else {
                skipped += 1
                warnings.append("mirror \(index + 1): \"\(TerminalText.sanitize(rawURL, maxCharacters: 80))\" is not an absolute URL, skipped")
                continue
            }
            guard seen.insert(url).inserted else {
                warnings.append("mirror \(index + 1): \(url) is listed twice; kept once")
                continue
            }
            let name = (e["name"] as? String).map { TerminalText.sanitize($0, maxCharacters: 80) }
            let location = (e["location"] as? String).map { TerminalText.sanitize($0, maxCharacters: 40).lowercased() }
            let priority = JSONValues.int(e["priority"])
            let preferred = JSONValues.bool(e["preferred"]) ?? false
            mirrors.append(Mirror(id: ids.claim(e["id"] as? String, url: url), url: url, name: name, location: location,
                                  priority: priority, preferred: preferred, pageOrder: mirrors.count))
        }
        if skipped > 0 { warnings.append("\(skipped) mirror entr\(skipped == 1 ? "y" : "ies") skipped") }

        var probe = ProbeSettings()
        if let p = root["probe"] as? [String: Any] {
            readProbeBlock(p, into: &probe, warnings: &warnings)
        }
        if let info = root["client_info"] as? [String] {
            probe.clientInfo = Set(info.compactMap(ClientInfoField.init(rawValue:)))
        }
        let title = (root["title"] as? String).map { TerminalText.sanitize($0, maxCharacters: 120) }
        let links = readLinks(root["links"], warnings: &warnings)
        return Result(mirrors: mirrors, probe: probe, title: title, links: links, warnings: warnings)
    }

    /// `links`: `[{"path": "files/x.iso", "text": "x.iso"}, "files/"]`. A path that would leave the
    /// mirror (`..`, a URL, a backslash, control characters) is skipped with a warning.
    static func readLinks(_ value: Any?, warnings: inout [String]) -> [PageLink] {
        guard let value else { return [] }
        guard let entries = value as? [Any] else {
            warnings.append("probe script: \"links\" must be a list; ignored")
            return []
        }
        var links: [PageLink] = []
        var seen: Set<String> = []
        for (index, entry) in entries.prefix(ManifestLimits.maxLinks).enumerated() {
            let object = entry as? [String: Any]
            guard let raw = (entry as? String) ?? (object?["path"] as? String) else {
                warnings.append("link \(index + 1): no \"path\", skipped")
                continue
            }
            guard let path = FileNames.mirrorRelativePath(raw), !path.isEmpty else {
                warnings.append("link \(index + 1): \"\(TerminalText.sanitize(raw, maxCharacters: 60))\" leaves the mirror; skipped")
                continue
            }
            guard seen.insert(path).inserted else { continue }
            let text = (object?["text"] as? String).map { TerminalText.sanitize($0, maxCharacters: 120) } ?? ""
            links.append(PageLink(text: text.isEmpty ? path : text, path: path))
        }
        return links
    }

    static func readProbeBlock(_ p: [String: Any], into probe: inout ProbeSettings, warnings: inout [String]) {
        if let path = p["path"] as? String {
            if let clean = FileNames.mirrorRelativePath(path) {
                probe.path = clean
            } else {
                warnings.append("probe path \"\(TerminalText.sanitize(path, maxCharacters: 60))\" leaves the mirror; probing the mirror's base instead")
            }
        }
        if let method = (p["method"] as? String)?.uppercased() {
            if method == "GET" || method == "HEAD" { probe.method = method } else { warnings.append("probe method \(TerminalText.sanitize(method, maxCharacters: 20)) not supported; using GET") }
        }
        func bounded(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let n = JSONValues.int(p[key]) else {
                if p[key] != nil { warnings.append("probe \(key) must be a whole number; using the default") }
                return
            }
            let clamped = min(max(n, range.lowerBound), range.upperBound)
            if clamped != n { warnings.append("probe \(key) \(n) is outside \(range.lowerBound)...\(range.upperBound); using \(clamped)") }
            apply(clamped)
        }
        bounded("samples", 1...20) { probe.samples = $0 }
        bounded("timeout_ms", 100...60_000) { probe.timeoutMs = $0 }
        bounded("concurrency", 1...1024) { probe.concurrency = $0 }
    }
}

/// Turns JSONSerialization's error into a short reason with the line and column when it has them.
enum JSONErrorText {
    static func describe(_ error: Error, in data: Data) -> String {
        let ns = error as NSError
        let text = ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription
        // Foundation gives the offset as an index (Darwin) or in the text, "around character 42" (Linux).
        var index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int
        if index == nil, let range = text.range(of: "character ") {
            index = Int(text[range.upperBound...].prefix(while: \.isNumber))
        }
        let reason = TerminalText.sanitize(text.replacingOccurrences(of: #" around (line \d+, column \d+|character \d+)\.?"#, with: "", options: .regularExpression), maxCharacters: 100)
        guard let index else { return reason }
        let (line, column) = lineAndColumn(of: index, in: data)
        return "line \(line), column \(column): \(reason)"
    }

    static func lineAndColumn(of index: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for (i, byte) in data.enumerated() {
            if i >= index { break }
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
