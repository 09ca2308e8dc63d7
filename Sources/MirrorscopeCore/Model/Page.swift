/// What the manifest parser made of a page: its mirrors, how to probe them, and its links.
public struct Page: Sendable, Hashable {
    /// Where the page came from, as the user gave it (URL, path, or "-").
    public var source: String
    /// The absolute URL the page was finally read from (after redirects), when it came over HTTP.
    public var url: String?
    public var title: String?
    public var mirrors: [Mirror]
    public var probe: ProbeSettings
    public var links: [PageLink]
    /// Things a user should know (skipped entries, ignored headers); shown, never fatal.
    public var warnings: [String]
    /// The format the mirrors were read from ("metalink4", "arch-status", ...); nil when unknown.
    public var format: String? = nil
    /// The files the page describes, with their sizes and hashes where it gives them (Metalink,
    /// an RFC 3230 `Digest`), so a download from any mirror can be checked.
    public var files: [FileFacts] = []

    public init(source: String, url: String? = nil, title: String? = nil, mirrors: [Mirror],
                probe: ProbeSettings = ProbeSettings(), links: [PageLink] = [], warnings: [String] = []) {
        self.source = source
        self.url = url
        self.title = title
        self.mirrors = mirrors
        self.probe = probe
        self.links = links
        self.warnings = warnings
    }
}

/// A link of the page that the chosen mirror can serve: its path is relative to a mirror's base URL.
public struct PageLink: Sendable, Hashable, Codable {
    /// The link's text (sanitised), or its path when it had none.
    public var text: String
    /// Relative to a mirror's base URL, without a leading "/" ("files/README.txt", "files/").
    public var path: String

    public init(text: String, path: String) {
        self.text = text
        self.path = path
    }
}

/// What a page tells about one file its mirrors hold.
public struct FileFacts: Sendable, Hashable, Codable {
    /// Relative path; never absolute, never leaving the download folder (checked by the parser).
    public var name: String
    public var size: Int64?
    /// Hash type ("md5", "sha-1", "sha-256", "sha-512") -> lower-case hex digest.
    public var hashes: [String: String]
    /// When the file was last changed upstream, in seconds since 1970 (MirrorManager's timestamp).
    public var timestamp: Int64?
    /// Piece hashes (Metalink `<pieces>`): each piece of `length` bytes, hashed with `type`.
    public var pieces: [Pieces]

    public struct Pieces: Sendable, Hashable, Codable {
        public var type: String
        public var length: Int64
        public var hashes: [String]
        public init(type: String, length: Int64, hashes: [String]) {
            self.type = type
            self.length = length
            self.hashes = hashes
        }
    }

    public init(name: String, size: Int64? = nil, hashes: [String: String] = [:], timestamp: Int64? = nil, pieces: [Pieces] = []) {
        self.name = name
        self.size = size
        self.hashes = hashes
        self.timestamp = timestamp
        self.pieces = pieces
    }
}
