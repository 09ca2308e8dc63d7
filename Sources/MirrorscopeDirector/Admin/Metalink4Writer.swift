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
    /// `facts`, when known, adds the file's `<size>` and `<hash>`es.
    static func document(fileName: String, urls: [URLEntry], facts: FileFacts = .none) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metalink xmlns="\(namespace)">
              <generator>mirrorscope</generator>
              <file name="\(fileName.htmlEscaped)">

            """
        if let size = facts.size { xml += "    <size>\(size)</size>\n" }
        if let sha256 = facts.sha256 { xml += "    <hash type=\"sha-256\">\(sha256)</hash>\n" }
        if let sha512 = facts.sha512 { xml += "    <hash type=\"sha-512\">\(sha512)</hash>\n" }
        for entry in urls {
            let priority = min(max(entry.priority, 1), 999_999)
            let location = entry.location.map { " location=\"\($0.htmlEscaped)\"" } ?? ""
            xml += "    <url priority=\"\(priority)\"\(location)>\(entry.url.htmlEscaped)</url>\n"
        }
        xml += "  </file>\n</metalink>\n"
        return xml
    }
}

/// Writes a Metalink 3 document (metalinker.org's 3.0, which Fedora's MirrorManager and older
/// downloaders speak) for one file. Its `preference` runs the other way from Metalink 4's
/// `priority`: 100 is best.
enum Metalink3Writer {
    static let namespace = "http://www.metalinker.org/"

    static func document(fileName: String, urls: [Metalink4Writer.URLEntry], facts: FileFacts = .none) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metalink version="3.0" xmlns="\(namespace)" generator="mirrorscope">
              <files>
                <file name="\(fileName.htmlEscaped)">

            """
        if let size = facts.size { xml += "      <size>\(size)</size>\n" }
        let hashes = [("sha256", facts.sha256), ("sha512", facts.sha512)].compactMap { type, hex in hex.map { (type, $0) } }
        if !hashes.isEmpty {
            xml += "      <verification>\n"
            for (type, hex) in hashes { xml += "        <hash type=\"\(type)\">\(hex)</hash>\n" }
            xml += "      </verification>\n"
        }
        xml += "      <resources>\n"
        for entry in urls {
            let preference = max(1, 101 - min(max(entry.priority, 1), 100))
            let type = entry.url.hasPrefix("https:") ? "https" : "http"
            let location = entry.location.map { " location=\"\($0.htmlEscaped)\"" } ?? ""
            xml += "        <url type=\"\(type)\"\(location) preference=\"\(preference)\">\(entry.url.htmlEscaped)</url>\n"
        }
        xml += "      </resources>\n    </file>\n  </files>\n</metalink>\n"
        return xml
    }
}
