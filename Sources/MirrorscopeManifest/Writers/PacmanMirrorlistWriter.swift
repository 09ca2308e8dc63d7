import MirrorscopeCore

/// `Server = URL` lines, fastest first, as pacman reads /etc/pacman.d/mirrorlist (it tries them
/// in order). A list that had `$repo/$arch` templates keeps them as written; the Arch mirror
/// status names repository roots, which get `$repo/os/$arch` as reflector writes them. A
/// `## Country` line goes before each run of mirrors of one country when every mirror has one
/// (pacman's reader gives a country to the servers below it, so a mirror without one would
/// inherit the previous).
enum PacmanMirrorlistWriter {
    static func text(_ list: SavedList, header: ListFileHeader) -> String {
        var out = "##\n" + header.commented("## ") + "##\n\n"
        let countries = list.entries.map { $0.mirror.countryName.map(ListFileHeader.clean) }
        let withCountries = countries.allSatisfy { $0.flatMap(CountryNames.code(for:)) != nil }
        var previous: String?
        for (entry, country) in zip(list.entries, countries) {
            if withCountries, let country, country != previous {
                out += (previous == nil ? "" : "\n") + "## \(country)\n"
                previous = country
            }
            out += "Server = \(serverURL(entry.mirror, sourceFormat: list.sourceFormat))\n"
        }
        return out
    }

    static func serverURL(_ mirror: Mirror, sourceFormat: String?) -> String {
        if let template = mirror.template { return template }
        if sourceFormat == PageFormat.archStatus.rawValue { return URLParts.join(mirror.url, "$repo/os/$arch") }
        return mirror.url
    }
}
