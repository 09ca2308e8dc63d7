import Foundation
import Synchronization

/// Country codes for the lists that name countries in words (CPAN's `dst_location`, pacman's
/// `## Germany` comments), so that `--country de` finds them too. The names come from the
/// system's locale data (ICU), plus the older names that real lists use and ICU has replaced.
enum CountryNames {
    /// The ISO 3166 code (lower case) of a country name, or nil when it names no country.
    static func code(for name: String) -> String? {
        let key = name.trimmed().lowercased()
        guard !key.isEmpty else { return nil }
        return table.withLock { table in
            if table == nil { table = build() }
            return table?[key]
        }
    }

    /// Whether `code` is a two-letter code (any case): lists write them upper or lower case.
    static func isCode(_ code: String) -> Bool {
        code.utf8.count == 2 && code.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") }
    }

    /// A code as the model keeps it: lower case, with `uk` (a ccTLD that CRAN uses) as `gb`.
    static func normalised(_ code: String) -> String {
        let lower = code.lowercased()
        return lower == "uk" ? "gb" : lower
    }

    private static let table = Mutex<[String: String]?>(nil)

    private static func build() -> [String: String] {
        var map: [String: String] = [:]
        let english = Locale(identifier: "en_US")
        for region in Locale.Region.isoRegions {
            let id = region.identifier
            guard isCode(id), let name = english.localizedString(forRegionCode: id)?.lowercased() else { continue }
            map[name] = id.lowercased()
            // "Bosnia & Herzegovina" is "Bosnia and Herzegovina" in lists; "Myanmar (Burma)" is "Myanmar".
            map[name.replacingOccurrences(of: "&", with: "and")] = id.lowercased()
            if let paren = name.firstIndex(of: "(") { map[name[..<paren].trimmed()] = id.lowercased() }
        }
        for (name, code) in olderNames { map[name] = code }
        return map
    }

    private static let olderNames: [String: String] = [
        "china": "cn", "macau": "mo", "ivory coast": "ci", "cote d'ivoire": "ci", "czech republic": "cz", "korea": "kr", "republic of korea": "kr", "south korea": "kr",
        "turkey": "tr", "viet nam": "vn", "the netherlands": "nl", "holland": "nl",
        "macedonia": "mk", "russian federation": "ru", "great britain": "gb", "england": "gb",
        "scotland": "gb", "wales": "gb", "uk": "gb", "usa": "us", "united states of america": "us",
        "hong kong sar": "hk", "republic of moldova": "md", "slovak republic": "sk",
    ]
}
