import MirrorscopeCore

/// One URL per line, fastest first, as yum and dnf read a `mirrorlist=` file; `$releasever` and
/// `$basearch` templates are kept as the list wrote them (dnf fills them in).
enum YumMirrorlistWriter {
    static func text(_ list: SavedList, header: ListFileHeader) -> String {
        header.commented("# ") + list.entries.map { ($0.mirror.template ?? $0.mirror.url) + "\n" }.joined()
    }
}
