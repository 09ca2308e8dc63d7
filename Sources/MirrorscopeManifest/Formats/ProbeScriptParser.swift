import Foundation
import MirrorscopeCore

/// Reads this project's own format, the probe script (`ProbeScript`, docs/probe-script.md): mirrors
/// plus how to probe them. The model decodes leniently; this reader checks what it says (URLs,
/// paths, ranges), skips bad entries with a warning naming them, and clamps settings.
public enum ProbeScriptParser {
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
        let script = try decode(data)
        var warnings: [String] = []
        if script.version > ProbeScript.currentVersion {
            warnings.append("probe script version \(script.version) is newer than this program knows (\(ProbeScript.currentVersion)); reading what it understands")
        } else if script.version < 1 {
            throw ManifestError("probe script: unknown version \(script.version)")
        }

        var skipped = 0
        for problem in script.problems {
            switch problem {
            case .mirrorNotAnObject(let index): skipped += 1; warnings.append("mirror \(index + 1): not an object, skipped")
            case .mirrorWithoutURL(let index): skipped += 1; warnings.append("mirror \(index + 1): no \"url\", skipped")
            default: break
            }
        }
        var mirrors: [Mirror] = []
        var ids = MirrorIDs()
        var seen: Set<String> = []
        for (n, entry) in script.mirrors.enumerated() {
            let number = (entry.position ?? n) + 1
            guard mirrors.count < ManifestLimits.maxMirrors else {
                warnings.append("only the first \(ManifestLimits.maxMirrors) mirrors were kept")
                break
            }
            guard let resolved = MirrorURLs.resolve(entry.url, against: baseURL), let url = MirrorURLs.normaliseBase(resolved) else {
                skipped += 1
                warnings.append("mirror \(number): \"\(TerminalText.sanitize(entry.url, maxCharacters: 80))\" is not an absolute URL, skipped")
                continue
            }
            guard seen.insert(url).inserted else {
                warnings.append("mirror \(number): \(url) is listed twice; kept once")
                continue
            }
            let name = entry.name.map { TerminalText.sanitize($0, maxCharacters: 80) }
            let location = entry.location.map { TerminalText.sanitize($0, maxCharacters: 40).lowercased() }
            mirrors.append(Mirror(id: ids.claim(entry.id, url: url), url: url, name: name, location: location,
                                  priority: entry.priority, preferred: entry.preferred ?? false, pageOrder: mirrors.count))
        }
        if skipped > 0 { warnings.append("\(skipped) mirror entr\(skipped == 1 ? "y" : "ies") skipped") }

        var probe = ProbeSettings()
        if let block = script.probe { read(block, problems: script.problems, into: &probe, warnings: &warnings) }
        if let info = script.clientInfo {
            probe.clientInfo = Set(info.compactMap(ClientInfoField.init(rawValue:)))
        }
        let title = script.title.map { TerminalText.sanitize($0, maxCharacters: 120) }
        let links = readLinks(script, warnings: &warnings)
        return Result(mirrors: mirrors, probe: probe, title: title, links: links, warnings: warnings)
    }

    /// The model, or the reason the document is no probe script.
    static func decode(_ data: Data) throws(ManifestError) -> ProbeScript {
        try JSONReading.decode(ProbeScript.self, from: data, format: .probeScript) { error in
            switch error as? ProbeScript.Refusal {
            case .missingVersion: return "missing \"version\""
            case .versionNotANumber: return "\"version\" must be a number"
            case .missingMirrors: return "missing \"mirrors\" list"
            case nil: return nil
            }
        }
    }

    /// `links`: `[{"path": "files/x.iso", "text": "x.iso"}, "files/"]`. A path that would leave the
    /// mirror (`..`, a URL, a backslash, control characters) is skipped with a warning.
    static func readLinks(_ script: ProbeScript, warnings: inout [String]) -> [PageLink] {
        var missing: Set<Int> = []
        for problem in script.problems {
            switch problem {
            case .linksNotAList: warnings.append("probe script: \"links\" must be a list; ignored")
            case .linkWithoutPath(let index): missing.insert(index)
            default: break
            }
        }
        guard let entries = script.links else { return [] }
        // The model keeps the readable links in order and the others' places in `missing`: a
        // link's number in a warning is its place in the document's list.
        var readable = entries.makeIterator()
        var links: [PageLink] = []
        var seen: Set<String> = []
        for index in 0..<min(entries.count + missing.count, ManifestLimits.maxLinks) {
            if missing.contains(index) {
                warnings.append("link \(index + 1): no \"path\", skipped")
                continue
            }
            guard let entry = readable.next() else { break }
            guard let path = FileNames.mirrorRelativePath(entry.path), !path.isEmpty else {
                warnings.append("link \(index + 1): \"\(TerminalText.sanitize(entry.path, maxCharacters: 60))\" leaves the mirror; skipped")
                continue
            }
            guard seen.insert(path).inserted else { continue }
            // Without a text the path is shown, and a path may hold what no screen should get (C1
            // controls, bidi overrides: found by fuzz/run.sh probe-script), so it is cleaned too.
            let text = entry.text.map { TerminalText.sanitize($0, maxCharacters: 120) } ?? ""
            links.append(PageLink(text: text.isEmpty ? TerminalText.sanitize(path, maxCharacters: 120) : text, path: path))
        }
        return links
    }

    static func read(_ p: ProbeScript.Probe, problems: [ProbeScript.Problem], into probe: inout ProbeSettings, warnings: inout [String]) {
        if let path = p.path {
            if let clean = FileNames.mirrorRelativePath(path) {
                probe.path = clean
            } else {
                warnings.append("probe path \"\(TerminalText.sanitize(path, maxCharacters: 60))\" leaves the mirror; probing the mirror's base instead")
            }
        }
        if let method = p.method?.uppercased() {
            if method == "GET" || method == "HEAD" { probe.method = method } else { warnings.append("probe method \(TerminalText.sanitize(method, maxCharacters: 20)) not supported; using GET") }
        }
        for case .notAWholeNumber(let key) in problems {
            warnings.append("probe \(key) must be a whole number; using the default")
        }
        bounded("samples", p.samples, 1...20, &warnings) { probe.samples = $0 }
        bounded("timeout_ms", p.timeoutMs, 100...60_000, &warnings) { probe.timeoutMs = $0 }
        bounded("concurrency", p.concurrency, 1...1024, &warnings) { probe.concurrency = $0 }
        for problem in problems {
            switch problem {
            case .notAnObject(let key): warnings.append("probe \(key) must be an object; ignored")
            case .referenceNotATimeOrURL: warnings.append("probe freshness.reference must be a unix time or a URL; using the newest mirror instead")
            default: break
            }
        }
        if let t = p.throughput { readThroughput(t, into: &probe.throughput, warnings: &warnings) }
        if let f = p.freshness { probe.freshness = readFreshness(f, warnings: &warnings) }
    }

    /// The ranges `probe.throughput`'s numbers are clamped to.
    static let throughputTop = 0...50
    static let throughputMaxBytes = (64 * 1024)...(1 << 30)
    static let throughputMaxMs = 100...60_000

    /// A number clamped into `range`, with a warning when it had to be.
    static func bounded(_ key: String, _ value: Int?, _ range: ClosedRange<Int>, _ warnings: inout [String], _ apply: (Int) -> Void) {
        guard let n = value else { return }
        let clamped = min(max(n, range.lowerBound), range.upperBound)
        if clamped != n { warnings.append("probe \(key) \(n) is outside \(range.lowerBound)...\(range.upperBound); using \(clamped)") }
        apply(clamped)
    }

    static func readThroughput(_ t: ProbeScript.Throughput, into settings: inout ThroughputSettings, warnings: inout [String]) {
        if let path = t.path {
            if let clean = FileNames.mirrorRelativePath(path), !clean.isEmpty {
                settings.path = clean
                settings.origin = "the probe script"
            } else {
                warnings.append("probe throughput.path \"\(TerminalText.sanitize(path, maxCharacters: 60))\" is empty or leaves the mirror; no throughput phase")
            }
        }
        bounded("throughput.top", t.top, throughputTop, &warnings) { settings.top = $0 }
        bounded("throughput.max_bytes", t.maxBytes, throughputMaxBytes, &warnings) { settings.maxBytes = $0 }
        bounded("throughput.max_ms", t.maxMs, throughputMaxMs, &warnings) { settings.maxMs = $0 }
    }

    /// `probe.freshness`: a path is needed; the format is one of three (guessed from the path's
    /// name when absent); the reference is a plausible unix time or an absolute http(s) URL.
    static func readFreshness(_ f: ProbeScript.Freshness, warnings: inout [String]) -> FreshnessSettings? {
        guard let raw = f.path else {
            warnings.append("probe freshness has no \"path\"; no freshness phase")
            return nil
        }
        guard let path = FileNames.mirrorRelativePath(raw), !path.isEmpty else {
            warnings.append("probe freshness.path \"\(TerminalText.sanitize(raw, maxCharacters: 60))\" is empty or leaves the mirror; no freshness phase")
            return nil
        }
        var format = FreshnessFormat.guess(forPath: path)
        if let name = f.format {
            guard let known = FreshnessFormat(rawValue: name.lowercased()) else {
                let all = FreshnessFormat.allCases.map(\.rawValue).joined(separator: ", ")
                warnings.append("probe freshness.format \"\(TerminalText.sanitize(name, maxCharacters: 30))\" is not one of \(all); no freshness phase")
                return nil
            }
            format = known
        }
        var settings = FreshnessSettings(path: path, format: format, origin: "the probe script")
        switch f.reference {
        case .time(let t)?:
            if plausibleTimes.contains(t) { settings.reference = .time(t) } else {
                warnings.append("probe freshness.reference \(t) is not a plausible unix time (seconds since 1970); using the newest mirror instead")
            }
        case .url(let u)?:
            if let url = URLParts(u), url.scheme == "http" || url.scheme == "https", !url.host.isEmpty {
                settings.reference = .url(u)
            } else {
                warnings.append("probe freshness.reference \"\(TerminalText.sanitize(u, maxCharacters: 60))\" is not an http(s) URL; using the newest mirror instead")
            }
        case nil:
            break
        }
        return settings
    }

    /// 1990 to 2200: a number outside is no sync time (milliseconds, a typo).
    static let plausibleTimes: ClosedRange<Int64> = 631_152_000...7_258_118_400
}

extension ProbeScriptParser: DocumentFormat {
    static let format = PageFormat.probeScript
    static let mediaTypes = [ProbeScript.mediaType]

    /// A JSON object with a `mirrors` key is one; any other JSON object may be a broken one.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        guard let keys = head.jsonKeys else { return nil }
        return keys.contains("mirrors") ? .certain : .likely
    }

    static func page(_ doc: PageDocument, completing partial: Page) throws(ManifestError) -> Page {
        let result = try parse(doc.body, baseURL: doc.url)
        var page = partial
        page.mirrors = result.mirrors
        page.probe = result.probe
        page.format = format.rawValue
        if page.title == nil { page.title = result.title }
        // A script that says what the mirrors hold is believed over the page's anchors (a director's
        // page links its own /-/ documents, which no mirror has).
        if !result.links.isEmpty { page.links = result.links }
        page.warnings += result.warnings
        return page
    }
}

extension PageFormat {
    public static let probeScript = PageFormat("probe-script", title: "probe script", aliases: ["probe", "script", "json-script"])
}
