/// The mirror-list formats `--save` and `S` write; MirrorscopeManifest's `Writers/` has one
/// writer for each, whose output that format's reader reads back.
public enum ListFileFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// `Server = URL` lines, as pacman reads /etc/pacman.d/mirrorlist.
    case pacman
    /// `deb URL SUITE COMPONENTS` lines, as apt reads /etc/apt/sources.list.
    case aptSources = "apt-sources"
    /// One URL per line with `priority:N` tags, as apt reads a `mirror+file:` list.
    case aptMirrorlist = "apt-mirrorlist"
    /// One URL per line, as yum and dnf read a `mirrorlist=` file (templates kept).
    case yum
    /// One URL per line.
    case plain
    /// RFC 5854 Metalink 4: the page's file on every mirror, with priorities in rank order.
    case metalink4

    /// What a user calls it, for messages.
    public var title: String {
        switch self {
        case .pacman: "pacman mirrorlist"
        case .aptSources: "apt sources.list"
        case .aptMirrorlist: "apt mirror list"
        case .yum: "yum/dnf mirrorlist"
        case .plain: "list of URLs"
        case .metalink4: "Metalink 4"
        }
    }

    /// The file name `S` proposes when `--save` names none.
    public var defaultFileName: String {
        switch self {
        case .pacman: "mirrorlist"
        case .aptSources: "sources.list"
        case .aptMirrorlist: "mirrors.list"
        case .yum: "mirrorlist.txt"
        case .plain: "mirrors.txt"
        case .metalink4: "mirrors.meta4"
        }
    }

    /// The format that follows the input's (`Page.format`, a reader's name): the same format
    /// where there is a writer for it, the nearest one a system reads otherwise.
    public static func following(input: String?) -> ListFileFormat {
        switch input {
        case "pacman", "arch-status": .pacman
        case "apt", "debian": .aptMirrorlist
        case "metalink4", "rfc6249": .metalink4
        case "metalink3": .yum
        default: .plain
        }
    }
}
