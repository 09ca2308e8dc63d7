import Foundation
import MirrorscopeCore

/// The Arch Linux mirror status JSON (https://archlinux.org/mirrors/status/json/, version 3): a
/// `urls` array, each with `url`, `protocol`, `country`, `country_code` ("" for worldwide
/// mirrors), `last_sync`, `delay`, `completion_pct` and `score` (lower is better; null when
/// unknown). The priority is the rank by score (1 = best), as reflector sorts by it; freshness
/// keeps the last sync, the delay and the completion.
///
/// Decoded with `JSONDecoder` into the fields it needs: twice as fast as JSONSerialization's
/// dictionaries of NSNumbers here, and a field of the wrong type reads as absent, not as a failure.
public enum ArchStatusParser {
    public static func parse(_ data: Data) throws(ManifestError) -> ParsedMirrors {
        let document = try JSONReading.decode(Document.self, from: data, format: .archStatus) { error in
            switch error {
            case DecodingError.keyNotFound(Document.Keys.urls, _): return "no \"urls\" list"
            case DecodingError.typeMismatch(_, let context) where context.codingPath.map(\.stringValue) == ["urls"]:
                return "\"urls\" is not a list"
            default: return nil
            }
        }
        return read(document)
    }

    struct Document: Decodable {
        var version: Int?
        var urls: [Entry]

        enum Keys: String, CodingKey { case version, urls }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            version = try? c.decodeIfPresent(Int.self, forKey: .version)
            urls = try c.decode([Entry].self, forKey: .urls)
        }
    }

    /// One `urls` item; `problem` says why it is no mirror entry at all.
    struct Entry: Decodable {
        var url, lastSync, country, countryCode: String?
        var completion, score: Double?
        var delay: Int?
        var active, ipv4, ipv6: Bool?
        var problem: String?

        enum Keys: String, CodingKey {
            case url, country, delay, score, active, ipv4, ipv6
            case lastSync = "last_sync", countryCode = "country_code", completion = "completion_pct"
        }

        init(from decoder: any Decoder) throws {
            guard let c = try? decoder.container(keyedBy: Keys.self) else {
                problem = "not an object"
                return
            }
            url = try? c.decodeIfPresent(String.self, forKey: .url)
            lastSync = try? c.decodeIfPresent(String.self, forKey: .lastSync)
            country = try? c.decodeIfPresent(String.self, forKey: .country)
            countryCode = try? c.decodeIfPresent(String.self, forKey: .countryCode)
            completion = try? c.decodeIfPresent(Double.self, forKey: .completion)
            score = try? c.decodeIfPresent(Double.self, forKey: .score)
            delay = try? c.decodeIfPresent(Int.self, forKey: .delay)
            active = try? c.decodeIfPresent(Bool.self, forKey: .active)
            ipv4 = try? c.decodeIfPresent(Bool.self, forKey: .ipv4)
            ipv6 = try? c.decodeIfPresent(Bool.self, forKey: .ipv6)
        }
    }

    static func read(_ document: Document) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .archStatus)
        if let version = document.version, version != 3 {
            builder.warn("mirror status version \(version); this program knows version 3 and reads what it understands")
        }
        var scores: [(index: Int, score: Double)] = []
        var countryNames: [String: String] = [:] // a thousand mirrors name a few dozen countries
        for (n, item) in document.urls.enumerated() {
            builder.countEntry()
            if let problem = item.problem { builder.skip("urls[\(n)]", problem); continue }
            guard let url = item.url else { builder.skip("urls[\(n)]", "no \"url\""); continue }
            var mirror = Mirror(id: "", url: url)
            if let code = item.countryCode, CountryNames.isCode(code) {
                mirror.country = CountryNames.normalised(code)
                mirror.location = mirror.country
            } else if item.countryCode == "" {
                mirror.location = "worldwide"
            }
            if let name = item.country, !name.isEmpty {
                if countryNames[name] == nil { countryNames[name] = TerminalText.sanitize(name, maxCharacters: 40) }
                mirror.countryName = countryNames[name]
            }
            var freshness = Freshness()
            if let text = item.lastSync {
                if let seconds = Timestamps.iso8601(text) { freshness.lastSync = seconds } else {
                    builder.warn("urls[\(n)]: last_sync \"\(TerminalText.sanitize(text, maxCharacters: 40))\" is not an ISO 8601 time; ignored")
                }
            }
            freshness.delaySeconds = item.delay
            if let completion = item.completion {
                if (0...1).contains(completion) { freshness.completion = completion } else {
                    builder.warn("urls[\(n)]: completion_pct \(completion) is outside 0...1; ignored")
                }
            }
            if freshness != Freshness() { mirror.freshness = freshness }
            if item.active == false { mirror.tags = ["active": ["false"]] }
            if item.ipv4 != nil || item.ipv6 != nil {
                mirror.addressFamilies = [("ipv4", item.ipv4), ("ipv6", item.ipv6)].filter { $0.1 == true }.map(\.0)
            }
            let before = builder.mirrors.count
            builder.add(mirror, entry: "urls[\(n)]")
            if builder.mirrors.count > before, let score = item.score {
                scores.append((before, score))
            }
        }
        var ranked = builder.finish()
        for (rank, item) in scores.sorted(by: { ($0.score, $0.index) < ($1.score, $1.index) }).enumerated() {
            ranked.mirrors[item.index].priority = rank + 1
        }
        return ranked
    }
}

extension ArchStatusParser: MirrorListFormat {
    static let format = PageFormat.archStatus

    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors { try parse(doc.body) }

    /// A JSON object with a `urls` list and no probe script's `mirrors`.
    static func sniff(_ head: DocumentHead) -> Sniff? {
        guard let keys = head.jsonKeys, keys.contains("urls"), !keys.contains("mirrors") else { return nil }
        return .certain
    }
}

extension PageFormat {
    public static let archStatus = PageFormat("arch-status", title: "Arch mirror status JSON", aliases: ["arch-json", "archlinux-status"])
}
