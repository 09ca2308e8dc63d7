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
    static func candidates(_ head: DocumentHead) -> [(format: any DocumentFormat.Type, sniff: Sniff)] {
        formats.enumerated().compactMap { index, format in format.sniff(head).map { (format, $0, index) } }
            .sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }
            .map { ($0.0, $0.1) }
    }
}
