/// One mirror of a file as RFC 6249 (Metalink/HTTP) writes it in a response header:
/// `Link: <URL>; rel=duplicate; pri=N; geo=cc; pref`. The director's mirror page and the farm write
/// these; the client reads them back with `LinkHeader`.
public struct DuplicateLink: Sendable, Hashable {
    public static let headerName = "Link"

    public var url: String
    /// 1...999999, lower preferred.
    public var priority: Int?
    /// A two-letter country code; anything else is left out, as RFC 6249 allows nothing else.
    public var location: String?
    public var preferred: Bool

    public init(url: String, priority: Int? = nil, location: String? = nil, preferred: Bool = false) {
        self.url = url
        self.priority = priority
        self.location = location
        self.preferred = preferred
    }

    /// The header's value.
    public var headerValue: String {
        var value = "<\(url)>; rel=duplicate"
        if let priority { value += "; pri=\(priority)" }
        if let geo = Self.countryCode(location) { value += "; geo=\(geo)" }
        if preferred { value += "; pref" }
        return value
    }

    /// A two-letter location is a country code, written in lower case (as Metalink and RFC 6249
    /// write it); nil for anything else.
    public static func countryCode(_ location: String?) -> String? {
        guard let location, location.utf8.count == 2,
              location.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return nil }
        return location.lowercased()
    }
}
