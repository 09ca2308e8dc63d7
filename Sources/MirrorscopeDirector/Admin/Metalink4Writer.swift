import MirrorscopeCore
/// Writes a Metalink 4 document (RFC 5854) for one file and its mirror URLs.
enum Metalink4Writer {
    static let namespace = "urn:ietf:params:xml:ns:metalink"

    struct URLEntry {
        var url: String
        /// 1...999999, lower preferred.
        var priority: Int
        /// Lower-case country code, if known.
        var location: String?
    }

    /// `fileName` must already be a safe relative name (no leading "/", no ".." segment).
    static func document(fileName: String, urls: [URLEntry]) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metalink xmlns="\(namespace)">
              <generator>mirrorscope</generator>
              <file name="\(fileName.htmlEscaped)">

            """
        for entry in urls {
            let priority = min(max(entry.priority, 1), 999_999)
            let location = entry.location.map { " location=\"\($0.htmlEscaped)\"" } ?? ""
            xml += "    <url priority=\"\(priority)\"\(location)>\(entry.url.htmlEscaped)</url>\n"
        }
        xml += "  </file>\n</metalink>\n"
        return xml
    }
}
