import MirrorscopeCore

/// What one format parser found: its mirrors and what else the document said.
public struct ParsedMirrors: Sendable {
    public var format: PageFormat
    public var mirrors: [Mirror]
    public var warnings: [String]
    /// The entries the document holds, as its format counts them (stanzas, rows, hosts, `<url>`
    /// elements, `Server =` lines), usable or not.
    public var entries: Int
    /// Entries skipped because they were bad (each named in a warning).
    public var skipped: Int
    public var files: [FileFacts] = []
    /// The object to probe on each mirror when the list names files rather than folders.
    public var probePath: String?
}

/// Collects the mirrors of one document the same way for every format: URLs resolved and
/// normalised to a base ending in "/", templates kept, duplicates merged (with a warning), bad
/// entries skipped (each named, then counted), and the mirror count bounded.
struct MirrorListBuilder {
    let format: PageFormat
    /// Resolves relative URLs (a director or a page may list `/~id/` paths).
    let baseURL: String?
    private(set) var mirrors: [Mirror] = []
    private(set) var warnings: [String] = []
    private(set) var skipped = 0
    private(set) var entries = 0
    private var merged: [String] = []
    private var indexByKey: [String: Int] = [:]
    private var ids = MirrorIDs()
    private var full = false

    init(format: PageFormat, baseURL: String? = nil) {
        self.format = format
        self.baseURL = baseURL
    }

    /// Counts one entry of the document (usable or not).
    mutating func countEntry() { entries += 1 }

    mutating func warn(_ text: String) { warnings.append(text) }

    /// Skips a bad entry with a warning naming it (`entry` says where: "line 4", "row 7").
    mutating func skip(_ entry: String, _ reason: String) {
        skipped += 1
        warnings.append("\(entry): \(reason), skipped")
    }

    /// Adds `mirror` (its `url` still as the document wrote it; its `id` is assigned here).
    /// `fileURL`: the URL names a file, and its folder is the mirror's base. `templates`: `$name`
    /// variables are kept as a template. `sameMirrorExpected`: a repeat is not a duplicate (the
    /// second file of a Metalink on the same mirror) and merges without a warning. Returns false
    /// when the entry was skipped.
    @discardableResult
    mutating func add(_ mirror: Mirror, entry label: @autoclosure () -> String, fileURL: Bool = false, templates: Bool = false,
                      sameMirrorExpected: Bool = false) -> Bool {
        // The label names the entry in warnings only: most entries never need it built.
        let raw = MirrorURLs.trim(mirror.url)
        guard !raw.isEmpty else { skip(label(), "no URL"); return false }
        guard let found = MirrorURLs.mirrorBase(raw, relativeTo: baseURL, fileURL: fileURL, templates: templates) else {
            skip(label(), "\"\(TerminalText.sanitize(raw, maxCharacters: 80))\" is not a URL")
            return false
        }
        var m = mirror
        m.url = found.url
        if let template = found.template {
            m.template = template
            m.unfilledVariables = found.variables
        }
        let key = found.template.map(MirrorURLs.duplicateKey) ?? found.parts.map(MirrorURLs.duplicateKey) ?? found.url
        if let index = indexByKey[key] {
            Self.merge(m, into: &mirrors[index])
            if !sameMirrorExpected { merged.append("\(label()) repeats \(TerminalText.sanitize(found.template ?? found.url, maxCharacters: 80))") }
            return true
        }
        guard mirrors.count < ManifestLimits.maxMirrors else {
            if !full { warnings.append("only the first \(ManifestLimits.maxMirrors) mirrors were kept") }
            full = true
            return false
        }
        m.id = ids.claim(mirror.id.isEmpty ? nil : mirror.id, derived: found.parts.map(MirrorURLs.derivedID) ?? found.url)
        m.pageOrder = mirrors.count
        indexByKey[key] = mirrors.count
        mirrors.append(m)
        return true
    }

    /// A repeated entry fills in what the first one left out; the better priority wins.
    static func merge(_ other: Mirror, into first: inout Mirror) {
        if first.name == nil { first.name = other.name }
        if first.location == nil { first.location = other.location }
        if first.country == nil { first.country = other.country }
        if first.countryName == nil { first.countryName = other.countryName }
        if first.city == nil { first.city = other.city }
        if first.freshness == nil { first.freshness = other.freshness }
        if let p = other.priority { first.priority = min(first.priority ?? p, p) }
        first.preferred = first.preferred || other.preferred
        if let tags = other.tags {
            var all = first.tags ?? [:]
            for (name, values) in tags {
                for value in values where !(all[name] ?? []).contains(value) { all[name, default: []].append(value) }
            }
            first.tags = all
        }
    }

    /// The result, with the summary warnings (duplicates merged, entries skipped) at the end.
    func finish(files: [FileFacts] = [], probePath: String? = nil) -> ParsedMirrors {
        var all = warnings
        if !merged.isEmpty {
            let shown = merged.prefix(3).joined(separator: "; ")
            all.append("\(merged.count) duplicate entr\(merged.count == 1 ? "y" : "ies") merged (\(shown)\(merged.count > 3 ? "; …" : ""))")
        }
        if skipped > 0 { all.append("\(skipped) entr\(skipped == 1 ? "y" : "ies") skipped") }
        return ParsedMirrors(format: format, mirrors: mirrors, warnings: all, entries: entries, skipped: skipped,
                             files: files, probePath: probePath)
    }
}
