import MirrorscopeCore

/// The last resort: a document that no format recognises but that holds absolute `http(s)`,
/// `ftp` or `rsync` URLs (a project's own YAML, Perl or JSON mirror list) is read as those URLs,
/// in the order they appear, with a warning that says so.
enum URLScan: MirrorListFormat {
    static let format = PageFormat.urlScan
    static let schemes = ["http://", "https://", "ftp://", "rsync://"]

    static func sniff(_ head: DocumentHead) -> Sniff? { .lastResort }

    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors {
        var warnings: [String] = []
        let text = try DocumentText.decode(doc.body, warnings: &warnings)
        var builder = MirrorListBuilder(format: format)
        for (n, url) in urls(in: text).enumerated() {
            builder.countEntry()
            builder.add(Mirror(id: "", url: url), entry: "URL \(n + 1)")
        }
        var parsed = builder.finish()
        guard !parsed.mirrors.isEmpty else {
            throw ManifestError("no mirror URLs found (no format this program reads, and no absolute http, https, ftp or rsync URL in the document)")
        }
        let count = parsed.mirrors.count
        parsed.warnings = warnings + ["not a format this program knows; read the \(count) absolute URL\(count == 1 ? "" : "s") in it as mirrors (--input-format NAME reads it as a known format)"] + parsed.warnings
        return parsed
    }

    /// The absolute URLs of the text, each cut at the first byte that cannot be part of one as
    /// written (space, quotes, brackets, a comma) and without a sentence's final `.`, `:` or `;`.
    static func urls(in text: String) -> [String] {
        var found: [String] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, found.count < ManifestLimits.maxMirrors {
            guard let scheme = schemeLength(bytes, at: i), i == 0 || !isSchemeByte(bytes[i - 1]) else { i += 1; continue }
            var end = i + scheme
            while end < bytes.count, !ends(bytes[end]) { end += 1 }
            while end > i + scheme, ".:;!?".utf8.contains(bytes[end - 1]) { end -= 1 }
            if end > i + scheme, end - i <= ManifestLimits.maxURLLength {
                found.append(String(decoding: bytes[i..<end], as: UTF8.self))
            }
            i = end
        }
        return found
    }

    static func schemeLength(_ bytes: [UInt8], at i: Int) -> Int? {
        for scheme in schemes {
            let s = scheme.utf8
            guard i + s.count <= bytes.count else { continue }
            if zip(bytes[i..<(i + s.count)], s).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) { return s.count }
        }
        return nil
    }

    static func isSchemeByte(_ b: UInt8) -> Bool {
        (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "+")
    }

    static func ends(_ b: UInt8) -> Bool {
        MirrorURLs.isForbidden(b) || b == UInt8(ascii: "'") || b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: ",")
    }
}

extension PageFormat {
    public static let urlScan = PageFormat("urls-in-text", title: "document holding URLs", aliases: ["scan"])
}
