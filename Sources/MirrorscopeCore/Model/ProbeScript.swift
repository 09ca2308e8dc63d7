/// The probe script: the contract between the sides that write it (the director's mirror page, the
/// farm) and the client that reads it. JSON with snake_case keys and the media type
/// `ProbeScript.mediaType`; docs/probe-script.md is its reference.
///
/// Writers build a value and encode it. The reader (`ProbeScriptParser`) decodes it leniently, as
/// a client must read what newer or careless writers send: unknown keys are ignored, a value of the
/// wrong type reads as absent, and what had to be left out is listed in `problems` (never encoded)
/// for the reader's warnings. Only `version` and `mirrors[].url` are required; checking URLs,
/// paths and ranges is the reader's job, so this type holds what the document said.
public struct ProbeScript: Sendable, Hashable, Codable {
    public static let mediaType = "application/mirror-probe+json"
    /// The version this program writes and fully understands.
    public static let currentVersion = 1

    public var version: Int
    public var title: String?
    public var mirrors: [Entry]
    public var probe: Probe?
    /// The `ClientInfoField` names the script asks for; names this program does not know are kept.
    public var clientInfo: [String]?
    /// Content every mirror holds, relative to a mirror's base URL.
    public var links: [Link]?
    /// What a lenient read could not use, in document order. Empty for a value built in code.
    public var problems: [Problem] = []

    public init(version: Int = ProbeScript.currentVersion, title: String? = nil, mirrors: [Entry], probe: Probe? = nil,
                clientInfo: [String]? = nil, links: [Link]? = nil) {
        self.version = version
        self.title = title
        self.mirrors = mirrors
        self.probe = probe
        self.clientInfo = clientInfo
        self.links = links
    }

    /// One `mirrors[]` item.
    public struct Entry: Sendable, Hashable, Codable {
        public var url: String
        public var id: String?
        public var name: String?
        public var location: String?
        public var priority: Int?
        public var preferred: Bool?
        /// Where the entry stood in the document's list (0-based), so that the reader's warnings
        /// number mirrors as the document does even after skipped entries. Never encoded.
        public var position: Int? = nil

        public init(url: String, id: String? = nil, name: String? = nil, location: String? = nil,
                    priority: Int? = nil, preferred: Bool? = nil) {
            self.url = url
            self.id = id
            self.name = name
            self.location = location
            self.priority = priority
            self.preferred = preferred
        }

        enum CodingKeys: String, CodingKey { case url, id, name, location, priority, preferred }
    }

    /// The `probe` object: how to measure each mirror.
    public struct Probe: Sendable, Hashable, Codable {
        public var path: String?
        public var method: String?
        public var samples: Int?
        public var timeoutMs: Int?
        public var concurrency: Int?
        public var throughput: Throughput?
        public var freshness: Freshness?

        public init(path: String? = nil, method: String? = nil, samples: Int? = nil, timeoutMs: Int? = nil,
                    concurrency: Int? = nil, throughput: Throughput? = nil, freshness: Freshness? = nil) {
            self.path = path
            self.method = method
            self.samples = samples
            self.timeoutMs = timeoutMs
            self.concurrency = concurrency
            self.throughput = throughput
            self.freshness = freshness
        }

        enum CodingKeys: String, CodingKey {
            case path, method, samples, concurrency, throughput, freshness
            case timeoutMs = "timeout_ms"
        }
    }

    /// `probe.throughput`: the sample object the leading mirrors download after the latency round.
    public struct Throughput: Sendable, Hashable, Codable {
        public var path: String?
        public var top: Int?
        public var maxBytes: Int?
        public var maxMs: Int?

        public init(path: String? = nil, top: Int? = nil, maxBytes: Int? = nil, maxMs: Int? = nil) {
            self.path = path
            self.top = top
            self.maxBytes = maxBytes
            self.maxMs = maxMs
        }

        enum CodingKeys: String, CodingKey {
            case path, top
            case maxBytes = "max_bytes", maxMs = "max_ms"
        }
    }

    /// `probe.freshness`: the timestamp object that tells when each mirror last synced.
    public struct Freshness: Sendable, Hashable, Codable {
        public var path: String?
        /// "unix-time", "last-modified" or "release-date" (`FreshnessFormat`); kept as written.
        public var format: String?
        public var reference: Reference?

        public init(path: String? = nil, format: String? = nil, reference: Reference? = nil) {
            self.path = path
            self.format = format
            self.reference = reference
        }

        enum CodingKeys: String, CodingKey { case path, format, reference }
    }

    /// `freshness.reference`: a unix time, or the URL of the origin's copy of the same object.
    public enum Reference: Sendable, Hashable, Codable {
        case time(Int64)
        case url(String)

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let t = try? c.decode(Int64.self) { self = .time(t); return }
            if let u = try? c.decode(String.self) { self = .url(u); return }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "neither a unix time nor a URL")
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .time(let t): try c.encode(t)
            case .url(let u): try c.encode(u)
            }
        }
    }

    /// One `links[]` item: `{"path": "files/x.iso", "text": "x.iso"}`, or just the path as a string.
    public struct Link: Sendable, Hashable, Codable {
        public var path: String
        public var text: String?

        public init(path: String, text: String? = nil) {
            self.path = path
            self.text = text
        }
    }

    /// Something a lenient read left out.
    public enum Problem: Sendable, Hashable {
        /// `mirrors[index]` is not a JSON object.
        case mirrorNotAnObject(index: Int)
        /// `mirrors[index]` has no string `url`.
        case mirrorWithoutURL(index: Int)
        /// `probe.KEY` is present but not a whole number.
        case notAWholeNumber(key: String)
        /// `links` is present but not a list.
        case linksNotAList
        /// `links[index]` is neither a string nor an object with a string `path`.
        case linkWithoutPath(index: Int)
        /// `probe.KEY` (`throughput`, `freshness`) is present but not an object.
        case notAnObject(key: String)
        /// `probe.freshness.reference` is neither a whole number (a unix time) nor a string (a URL).
        case referenceNotATimeOrURL
    }

    enum CodingKeys: String, CodingKey {
        case version, title, mirrors, probe, links
        case clientInfo = "client_info"
    }

    /// Why a document is no probe script at all (the reader words the message).
    public enum Refusal: Error, Sendable, Hashable {
        case missingVersion
        case versionNotANumber
        case missingMirrors
    }
}

// MARK: - Lenient reading

extension ProbeScript {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.version) else { throw Refusal.missingVersion }
        guard let version = try? c.decode(Int.self, forKey: .version) else { throw Refusal.versionNotANumber }
        self.version = version
        title = c.lenient(String.self, .title)

        var problems: [Problem] = []
        guard var list = try? c.nestedUnkeyedContainer(forKey: .mirrors) else { throw Refusal.missingMirrors }
        var mirrors: [Entry] = []
        while !list.isAtEnd {
            let index = list.currentIndex
            guard let item = try? list.decode(LenientItem.self) else {
                _ = try? list.decode(Skipped.self)  // a decode that failed does not move the cursor
                problems.append(.mirrorNotAnObject(index: index))
                continue
            }
            guard let object = item.object else { problems.append(.mirrorNotAnObject(index: index)); continue }
            guard let url = object.lenient(String.self, .url) else { problems.append(.mirrorWithoutURL(index: index)); continue }
            var entry = Entry(url: url, id: object.lenient(String.self, .id), name: object.lenient(String.self, .name),
                              location: object.lenient(String.self, .location),
                              priority: object.lenient(Int.self, .priority), preferred: object.lenient(Bool.self, .preferred))
            entry.position = index
            mirrors.append(entry)
        }
        self.mirrors = mirrors

        if let probe = try? c.nestedContainer(keyedBy: Probe.CodingKeys.self, forKey: .probe) {
            func wholeNumber(_ key: Probe.CodingKeys) -> Int? {
                guard probe.contains(key), (try? probe.decodeNil(forKey: key)) != true else { return nil }
                if let n = try? probe.decode(Int.self, forKey: key) { return n }
                problems.append(.notAWholeNumber(key: key.stringValue))
                return nil
            }
            self.probe = Probe(path: probe.lenient(String.self, .path), method: probe.lenient(String.self, .method),
                               samples: wholeNumber(.samples), timeoutMs: wholeNumber(.timeoutMs),
                               concurrency: wholeNumber(.concurrency),
                               throughput: Self.throughput(in: probe, problems: &problems),
                               freshness: Self.freshness(in: probe, problems: &problems))
        } else {
            probe = nil
        }
        clientInfo = c.lenient([String].self, .clientInfo)

        if c.contains(.links), (try? c.decodeNil(forKey: .links)) != true {
            if var list = try? c.nestedUnkeyedContainer(forKey: .links) {
                var links: [Link] = []
                while !list.isAtEnd {
                    let index = list.currentIndex
                    if let link = try? list.decode(LenientLink.self).link {
                        links.append(link)
                    } else {
                        problems.append(.linkWithoutPath(index: index))
                    }
                }
                self.links = links
            } else {
                problems.append(.linksNotAList)
                links = nil
            }
        } else {
            links = nil
        }
        self.problems = problems
    }

    /// `probe.throughput`, leniently: a wrong-typed value reads as absent, with its problem listed.
    private static func throughput(in probe: KeyedDecodingContainer<Probe.CodingKeys>, problems: inout [Problem]) -> Throughput? {
        guard probe.contains(.throughput), (try? probe.decodeNil(forKey: .throughput)) != true else { return nil }
        guard let t = try? probe.nestedContainer(keyedBy: Throughput.CodingKeys.self, forKey: .throughput) else {
            problems.append(.notAnObject(key: "throughput"))
            return nil
        }
        func wholeNumber(_ key: Throughput.CodingKeys) -> Int? {
            guard t.contains(key), (try? t.decodeNil(forKey: key)) != true else { return nil }
            if let n = try? t.decode(Int.self, forKey: key) { return n }
            problems.append(.notAWholeNumber(key: "throughput." + key.stringValue))
            return nil
        }
        return Throughput(path: t.lenient(String.self, .path), top: wholeNumber(.top), maxBytes: wholeNumber(.maxBytes),
                          maxMs: wholeNumber(.maxMs))
    }

    /// `probe.freshness`, leniently.
    private static func freshness(in probe: KeyedDecodingContainer<Probe.CodingKeys>, problems: inout [Problem]) -> Freshness? {
        guard probe.contains(.freshness), (try? probe.decodeNil(forKey: .freshness)) != true else { return nil }
        guard let f = try? probe.nestedContainer(keyedBy: Freshness.CodingKeys.self, forKey: .freshness) else {
            problems.append(.notAnObject(key: "freshness"))
            return nil
        }
        var reference: Reference?
        if f.contains(.reference), (try? f.decodeNil(forKey: .reference)) != true {
            reference = try? f.decode(Reference.self, forKey: .reference)
            if reference == nil { problems.append(.referenceNotATimeOrURL) }
        }
        return Freshness(path: f.lenient(String.self, .path), format: f.lenient(String.self, .format), reference: reference)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(mirrors, forKey: .mirrors)
        try c.encodeIfPresent(probe, forKey: .probe)
        try c.encodeIfPresent(clientInfo, forKey: .clientInfo)
        try c.encodeIfPresent(links, forKey: .links)
    }
}

extension ProbeScript.Link {
    public init(from decoder: any Decoder) throws {
        if let path = try? decoder.singleValueContainer().decode(String.self) {
            self.init(path: path)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try c.decode(String.self, forKey: .path), text: c.lenient(String.self, .text))
    }
}

/// A list item that may or may not be an object: decoding it never fails on its shape.
private struct LenientItem: Decodable {
    var object: KeyedDecodingContainer<ProbeScript.Entry.CodingKeys>?
    init(from decoder: any Decoder) throws {
        object = try? decoder.container(keyedBy: ProbeScript.Entry.CodingKeys.self)
    }
}

/// A `links[]` item; `link` is nil when it is neither a path nor an object with one.
private struct LenientLink: Decodable {
    var link: ProbeScript.Link?
    init(from decoder: any Decoder) throws {
        link = try? ProbeScript.Link(from: decoder)
    }
}

/// Consumes one list item of any shape.
private struct Skipped: Decodable {
    init(from decoder: any Decoder) throws {}
}

extension KeyedDecodingContainer {
    /// The value at `key` when it is there and of the type asked for; nil otherwise.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
