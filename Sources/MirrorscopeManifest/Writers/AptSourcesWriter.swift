import MirrorscopeCore

/// One-line-style sources.list entries, `deb URL SUITE COMPONENTS`. apt uses every line of a
/// sources.list (it does not fall back from one to the next), so `--save-format apt-sources`
/// writes the fastest alone unless `--keep N` asks for more (`SaveSettings.effectiveKeep`). The
/// suite and components come from `--var suite=… --var components=main,contrib`, else from the
/// list's own tags, else `stable` and `main`.
///
/// No reader of this program knows sources.list: `mirrorscope list` reads it back as the
/// absolute URLs it holds (the last resort, with a warning), so the header holds none.
enum AptSourcesWriter {
    static func text(_ list: SavedList, header: ListFileHeader) -> String {
        var out = header.withoutURLs().commented("# ")
        out += "# apt uses every line below (it does not fall back from one to the next)\n\n"
        for entry in list.entries {
            let tags = entry.mirror.tags ?? [:]
            let suite = word(list.variables["suite"]) ?? tags["suite"]?.compactMap(word).first
                ?? tags["codename"]?.compactMap(word).first ?? "stable"
            let fromVariable = list.variables["components"].map { $0.split(separator: ",").compactMap { word(String($0)) } } ?? []
            let components = !fromVariable.isEmpty ? fromVariable : (tags["component"]?.compactMap(word) ?? [])
            out += "deb \(entry.mirror.url) \(suite) \((components.isEmpty ? ["main"] : components).joined(separator: " "))\n"
        }
        return out
    }

    /// A value fit for a sources.list field: one word, nothing a line could break on.
    static func word(_ value: String?) -> String? {
        guard let value = value?.trimmed(), !value.isEmpty,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "#") }) else { return nil }
        return value
    }
}
