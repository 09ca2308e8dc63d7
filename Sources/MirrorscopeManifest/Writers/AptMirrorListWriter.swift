import MirrorscopeCore

/// One URI per line with `priority:N` in rank order (apt-transport-mirror sorts by it, lower
/// first), as apt reads a `mirror+file:` list. A list read from an apt mirror list keeps its
/// other tags (`arch:`, `type:`, …); tags from other formats mean other things and are not
/// written.
enum AptMirrorListWriter {
    static let aptTags: Set<String> = ["arch", "lang", "codename", "suite", "component", "type", "release"]

    static func text(_ list: SavedList, header: ListFileHeader) -> String {
        var out = header.commented("# ") + "\n"
        let keepTags = list.sourceFormat == PageFormat.apt.rawValue
        for (rank, entry) in list.entries.enumerated() {
            var tags = ["priority:\(rank + 1)"]
            if keepTags {
                for (name, values) in (entry.mirror.tags ?? [:]).sorted(by: { $0.key < $1.key }) where aptTags.contains(name) {
                    for value in values where !value.isEmpty && value.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) {
                        tags.append("\(name):\(value)")
                    }
                }
            }
            out += entry.mirror.url + "\t" + tags.joined(separator: " ") + "\n"
        }
        return out
    }
}
