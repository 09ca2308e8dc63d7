import MirrorscopeCore

/// Every mirror-list format, in detection order: a media type or file name names one; otherwise
/// the first `certain` sniff wins, then the first `likely` one, and when that finds no mirror the
/// last resort reads the document's URLs. HTML pages and `Link` headers are the analyser's own
/// (`PageAnalyzer`), as they lead to these documents rather than being one.
enum FormatRegistry {
    static let formats: [any DocumentFormat.Type] = [
        ProbeScriptParser.self,
        ArchStatusParser.self,
        Metalink4Parser.self,
        Metalink3Parser.self,
        DebianMasterlistParser.self,
        CRANParser.self,
        PacmanMirrorlistParser.self,
        CPANParser.self,
        AptMirrorListParser.self,
        PlainListParser.self,
        URLScan.self,
    ]

    static func format(_ format: PageFormat) -> (any DocumentFormat.Type)? {
        formats.first { $0.format == format }
    }

    static func byMediaType(_ media: String?) -> (any DocumentFormat.Type)? {
        guard let media else { return nil }
        return formats.first { $0.mediaTypes.contains(media) }
    }

    static func byFileName(_ name: String?) -> (any DocumentFormat.Type)? {
        guard let name = name?.lowercased(), !name.isEmpty else { return nil }
        return formats.first { $0.claims(fileName: name) }
    }

    /// The formats whose sniffs claim the document, the surest first (list order among equals).
    /// The first `certain` one ends the walk: it wins whatever the later ones would say, and the
    /// analyser gives no other format a turn after it, so sniffing on would only cost time (the
    /// line-based sniffs split the 64 KiB head into lines: about 3 ms of reading an Arch status).
    static func candidates(_ head: DocumentHead) -> [(format: any DocumentFormat.Type, sniff: Sniff)] {
        var claims: [(format: any DocumentFormat.Type, sniff: Sniff)] = []
        for format in formats {
            guard let sniff = format.sniff(head) else { continue }
            if sniff == .certain { return [(format, sniff)] }
            claims.append((format, sniff))
        }
        // The index breaks ties, so list order holds among equals.
        return claims.enumerated().sorted { ($0.element.sniff, -$0.offset) > ($1.element.sniff, -$1.offset) }.map(\.element)
    }
}
