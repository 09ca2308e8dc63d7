import MirrorscopeCore

/// The filters `list`, `probe` and the terminal UI share, applied after the page is read and
/// before anything is probed: country, protocol, URL patterns, freshness, and a count limit.
public struct MirrorFilter: Sendable, Hashable {
    /// Country codes or names (any case); a mirror matches by its code, its country's name, or
    /// its location ("worldwide").
    public var countries: [String] = []
    /// URL schemes ("https", "http", "ftp", "rsync", "file").
    public var protocols: [String] = []
    /// Regular expressions (Swift `Regex` syntax) searched in the URL: a mirror must match one.
    public var include: [String] = []
    /// A mirror matching any of these is left out.
    public var exclude: [String] = []
    /// Leave out mirrors that last synced longer ago than this (needs a format with sync times).
    public var maxAgeSeconds: Int64?
    /// Leave out mirrors whose completion is below this fraction (needs a format that has it).
    public var minCompletion: Double?
    /// Address families ("ipv4", "ipv6") a mirror must serve, each of them (needs a format that
    /// says: the Arch mirror status does).
    public var families: [String] = []
    /// Keep this many, the ones the format prefers (preferred flag, then priority, then order).
    public var limit: Int?

    public init() {}

    public var isEmpty: Bool { self == MirrorFilter() }

    /// Why `pattern` is not a regular expression, or nil when it is.
    public static func problem(inPattern pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    /// Filters `page.mirrors`; `now` (seconds since 1970) is what `maxAgeSeconds` counts from.
    /// Throws when a freshness filter meets a list without that fact, or when no mirror is left
    /// (the message says how many each filter kept).
    public func apply(to page: inout Page, now: Int64) throws(ManifestError) {
        guard !isEmpty else { return }
        var mirrors = page.mirrors
        var steps: [String] = []
        func step(_ name: String, _ keep: (Mirror) -> Bool) {
            mirrors = mirrors.filter(keep)
            steps.append("\(name) kept \(mirrors.count)")
        }
        let what = page.format.flatMap(PageFormat.init(rawValue:))?.title ?? "page"
        if !countries.isEmpty {
            let wanted = Set(countries.flatMap(Self.countryKeys))
            step("--country \(countries.joined(separator: ","))") { m in
                [m.country, m.countryName?.lowercased(), m.location?.lowercased()].contains { $0.map(wanted.contains) ?? false }
            }
        }
        if !protocols.isEmpty {
            let wanted = Set(protocols.map { $0.lowercased() })
            step("--protocol \(protocols.joined(separator: ","))") { wanted.contains($0.protocolName) }
        }
        if !include.isEmpty {
            let patterns = try Self.compile(include, flag: "--include")
            step("--include \(include.joined(separator: " "))") { m in patterns.contains { m.url.contains($0) } }
        }
        if !exclude.isEmpty {
            let patterns = try Self.compile(exclude, flag: "--exclude")
            step("--exclude \(exclude.joined(separator: " "))") { m in !patterns.contains { m.url.contains($0) } }
        }
        if let maxAgeSeconds {
            guard page.mirrors.contains(where: { $0.freshness?.lastSync != nil }) else {
                throw ManifestError("--max-age: this \(what) does not say when its mirrors last synced (the Arch mirror status does)")
            }
            step("--max-age") { m in m.freshness?.lastSync.map { now - $0 <= maxAgeSeconds } ?? false }
        }
        if let minCompletion {
            guard page.mirrors.contains(where: { $0.freshness?.completion != nil }) else {
                throw ManifestError("--min-completion: this \(what) does not give its mirrors' completion (the Arch mirror status does)")
            }
            step("--min-completion \(minCompletion)") { m in m.freshness?.completion.map { $0 >= minCompletion } ?? false }
        }
        if !families.isEmpty {
            guard page.mirrors.contains(where: { $0.addressFamilies != nil }) else {
                throw ManifestError("--family: this \(what) does not say which address families its mirrors serve (the Arch mirror status does); -4 or -6 connects over one family instead")
            }
            step("--family \(families.joined(separator: ","))") { m in
                families.allSatisfy { (m.addressFamilies ?? []).contains($0) }
            }
        }
        if let limit, mirrors.count > limit {
            let preferred = mirrors.sorted(by: Self.preferredFirst).prefix(limit).map(\.id)
            let keep = Set(preferred)
            step("--limit \(limit)") { keep.contains($0.id) }
        }
        guard !mirrors.isEmpty else {
            throw ManifestError("no mirror left after the filters: \(page.mirrors.count) listed; " + steps.joined(separator: ", "))
        }
        for index in mirrors.indices { mirrors[index].pageOrder = index }
        page.mirrors = mirrors
    }

    static func compile(_ patterns: [String], flag: String) throws(ManifestError) -> [Regex<AnyRegexOutput>] {
        var out: [Regex<AnyRegexOutput>] = []
        for pattern in patterns {
            guard let regex = try? Regex(pattern) else { throw ManifestError("\(flag) \(pattern): not a regular expression") }
            out.append(regex)
        }
        return out
    }

    /// The format's own order of preference: marked preferred first, then lower priority (none
    /// last), then the order of the page.
    static func preferredFirst(_ a: Mirror, _ b: Mirror) -> Bool {
        if a.preferred != b.preferred { return a.preferred }
        switch (a.priority, b.priority) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.pageOrder < b.pageOrder
        }
    }

    /// What a `--country` value matches: itself in lower case, `gb` for `uk`, and the code of a
    /// country name.
    static func countryKeys(_ value: String) -> [String] {
        let lower = value.trimmed().lowercased()
        var keys = [lower]
        if CountryNames.isCode(lower) {
            keys.append(CountryNames.normalised(lower))
        } else if let code = CountryNames.code(for: lower) {
            keys.append(code)
        }
        return keys
    }
}
