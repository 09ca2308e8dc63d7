import MirrorscopeCore

/// Writes a ranked list (`SavedList`) as one of the formats `--save` knows: one writer per
/// format in this folder, each emitting what that format's reader in `Formats/` reads back with
/// the same mirrors in the same order (`mirrorscope list FILE`).
public enum ListFileWriter {
    /// The file's text, with a comment header saying when, from what and how it was ranked.
    /// `writtenAt`: seconds since 1970 (the core has no clock; the caller says when).
    public static func text(_ list: SavedList, as format: ListFileFormat, writtenAt: Int64) throws(ListFileError) -> String {
        guard !list.entries.isEmpty else { throw ListFileError("no mirror to write", code: 1) }
        for entry in list.entries {
            let url = entry.mirror.template ?? entry.mirror.url
            guard url.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
                throw ListFileError("the mirror URL \(TerminalText.sanitize(url, maxCharacters: 80)) cannot be written into a list")
            }
        }
        let header = ListFileHeader(list: list, format: format, writtenAt: writtenAt)
        switch format {
        case .pacman: return PacmanMirrorlistWriter.text(list, header: header)
        case .aptSources: return AptSourcesWriter.text(list, header: header)
        case .aptMirrorlist: return AptMirrorListWriter.text(list, header: header)
        case .yum: return YumMirrorlistWriter.text(list, header: header)
        case .plain: return PlainListWriter.text(list, header: header)
        case .metalink4: return try Metalink4ListWriter.text(list, header: header)
        }
    }
}

/// Why a list was not written, and the exit code `probe --save` gives for it: 1 when there is
/// nothing to write (no mirror answered, or filters left none), 2 for a target it cannot write.
public struct ListFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var code: Int32

    public init(_ message: String, code: Int32 = 2) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}

/// The comment header every written list starts with, as plain lines (each writer adds its own
/// comment marks): when, from what, how ranked, what was left out.
struct ListFileHeader {
    var lines: [String]

    init(list: SavedList, format: ListFileFormat, writtenAt: Int64, urlsAllowed: Bool = true) {
        let count = "\(list.entries.count) mirror\(list.entries.count == 1 ? "" : "s")"
        let from = list.sourceFormat.flatMap { PageFormat(rawValue: $0)?.title }.map { " (\($0))" } ?? ""
        lines = [
            "\(format.title) written by mirrorscope on \(Format.utc(epochSeconds: writtenAt)): \(count)",
            "from \(Self.clean(list.source))\(from)",
            "ranked by \(list.rankedBy)",
        ]
        if !list.leftOut.isEmpty { lines.append("left out: " + list.leftOut.joined(separator: ", ")) }
    }

    /// One line of a comment: no line breaks or control characters from a user's path.
    static func clean(_ text: String) -> String { TerminalText.sanitize(text, maxCharacters: 400) }

    /// The same header for a format whose reader takes URLs from comments too (a sources.list is
    /// read back by the last resort, which reads every absolute URL): the source loses its `://`.
    func withoutURLs() -> ListFileHeader {
        var copy = self
        copy.lines = lines.map { line in
            var line = line
            while let range = line.firstRange(of: "://") {
                let scheme = line[..<range.lowerBound].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "+" }
                let start = line.index(range.lowerBound, offsetBy: -scheme.count)
                line = String(line[..<start]) + String(line[range.upperBound...]) + (scheme.isEmpty ? "" : " (over \(String(scheme.reversed())))")
            }
            return line
        }
        return copy
    }

    /// The lines behind a comment mark (`# `, `## `).
    func commented(_ mark: String) -> String {
        lines.map { mark + $0 }.joined(separator: "\n") + "\n"
    }
}
