/// Every format the analyser reads. The raw value is the name `--input-format NAME` takes and the
/// `format` that `mirrorscope list` reports.
public enum PageFormat: String, Sendable, CaseIterable, Hashable {
    case probeScript = "probe-script"
    /// A download page: an embedded or linked probe script, a linked Metalink, MirrorBrain's list.
    case html
    /// Every absolute http(s) link of an HTML page, taken as a mirror (only when asked for).
    case links
    case mirrorBrain = "mirrorbrain"
    /// RFC 6249 `Link: <URI>; rel=duplicate` response headers.
    case rfc6249
    case metalink4
    case metalink3
    case apt
    /// One URL per line: a yum/dnf mirrorlist, or any list of URLs.
    case plain
    case pacman
    case archStatus = "arch-status"
    case debian
    case cran
    case cpan

    /// What a user calls it, for messages.
    public var title: String {
        switch self {
        case .probeScript: return "probe script"
        case .html: return "HTML page"
        case .links: return "HTML links"
        case .mirrorBrain: return "MirrorBrain mirror list"
        case .rfc6249: return "RFC 6249 Link headers"
        case .metalink4: return "Metalink 4"
        case .metalink3: return "Metalink 3"
        case .apt: return "apt mirror list"
        case .plain: return "list of URLs"
        case .pacman: return "pacman mirrorlist"
        case .archStatus: return "Arch mirror status JSON"
        case .debian: return "Debian Mirrors.masterlist"
        case .cran: return "CRAN mirror CSV"
        case .cpan: return "CPAN MIRRORED.BY"
        }
    }

    /// The format a `--input-format` value names; a few other names users know are accepted too.
    public static func named(_ name: String) -> PageFormat? {
        let key = name.trimmed().lowercased()
        if let format = PageFormat(rawValue: key) { return format }
        return aliases[key]
    }

    static let aliases: [String: PageFormat] = [
        "probe": .probeScript, "script": .probeScript, "json-script": .probeScript,
        "meta4": .metalink4, "metalink": .metalink4, "metalink-4": .metalink4,
        "metalink-3": .metalink3, "mirrormanager": .metalink3,
        "duplicates": .rfc6249, "link": .rfc6249,
        "yum": .plain, "dnf": .plain, "urls": .plain, "text": .plain,
        "arch": .pacman, "mirrorlist": .pacman,
        "arch-json": .archStatus, "archlinux-status": .archStatus,
        "masterlist": .debian, "debian-masterlist": .debian,
        "csv": .cran, "mirrored.by": .cpan,
    ]
}
