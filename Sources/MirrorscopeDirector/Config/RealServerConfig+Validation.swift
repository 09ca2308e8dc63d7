import MirrorscopeGeo

extension RealServerConfig {
    static func isCountryCode(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// The first of this server's own fields that breaks a rule, and why (`id` first). The rules
    /// between servers (unique ids, backups that exist) are `DirectorConfig.validate()`'s.
    func problem() -> (key: CodingKeys, message: String)? {
        if let problem = DirectorConfig.identifierProblem(id) { return (.id, problem) }
        if id == "primary" { return (.id, "\"primary\" is reserved (it names re-balancing in `backup`)") }
        if let problem = DirectorConfig.baseURLProblem(url, httpsOnly: false) { return (.url, problem) }
        if let httpsURL, let problem = DirectorConfig.baseURLProblem(httpsURL, httpsOnly: true) { return (.httpsURL, problem) }
        if !(0...10_000).contains(weight) { return (.weight, "must be between 0 and 10000") }
        if let location, location.count > 64 || location.unicodeScalars.contains(where: isControl) {
            return (.location, "must be at most 64 characters, without control characters")
        }
        if let name, name.isEmpty || name.count > 80 || name.unicodeScalars.contains(where: isControl) {
            return (.name, "must be 1 to 80 characters, without control characters")
        }
        return geoProblem()
    }

    private func geoProblem() -> (key: CodingKeys, message: String)? {
        if asns.count > 1000 { return (.asns, "at most 1000 numbers") }
        if let bad = asns.first(where: { !(1...4_294_967_295).contains($0) }) {
            return (.asns, "\(bad) is not an AS number (1 to 4294967295)")
        }
        if let latitude, !(-90...90).contains(latitude) { return (.latitude, "must be between -90 and 90") }
        if let longitude, !(-180...180).contains(longitude) { return (.longitude, "must be between -180 and 180") }
        if (latitude == nil) != (longitude == nil) {
            return latitude == nil ? (.latitude, "required with longitude") : (.longitude, "required with latitude")
        }
        if let country, !Self.isCountryCode(country) { return (.country, "\"\(country)\" is not a two-letter country code (ISO 3166-1, \"DE\")") }
        if let continent, !CountryFacts.continents.contains(continent.uppercased()) {
            return (.continent, "\"\(continent)\" is not one of \(CountryFacts.continents.sorted().joined(separator: ", "))")
        }
        for (key, list) in [(CodingKeys.countries, countries), (.excludeCountries, excludeCountries)] {
            if list.count > 300 { return (key, "at most 300 countries") }
            if let bad = list.first(where: { !Self.isCountryCode($0) }) {
                return (key, "\"\(bad)\" is not a two-letter country code (ISO 3166-1, \"DE\")")
            }
        }
        return nil
    }
}
