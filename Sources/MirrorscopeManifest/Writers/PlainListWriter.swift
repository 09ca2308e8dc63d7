import MirrorscopeCore

/// One URL per line, fastest first (templates filled as probed), `#` comments above.
enum PlainListWriter {
    static func text(_ list: SavedList, header: ListFileHeader) -> String {
        header.commented("# ") + list.entries.map { $0.mirror.url + "\n" }.joined()
    }
}
