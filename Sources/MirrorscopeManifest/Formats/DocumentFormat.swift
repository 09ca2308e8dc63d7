import Foundation
import MirrorscopeCore

/// One mirror-list format: everything the analyser needs to know of it, in one type per file of
/// `Formats/`. `FormatRegistry.formats` lists them in detection order; adding a format is one
/// file and one line there.
protocol DocumentFormat: Sendable {
    static var format: PageFormat { get }
    /// Media types that name this format and no other (generic ones like `text/plain` say nothing).
    static var mediaTypes: [String] { get }
    /// Whether a file name (lower-cased) is one that only this format uses.
    static func claims(fileName: String) -> Bool
    /// How sure the beginning of a document makes this format; nil when it is not this one.
    static func sniff(_ head: DocumentHead) -> Sniff?
    /// The page the document makes, completing `partial` (what the analyser already knows: the
    /// source, the URL, an HTML page's title and links). Most formats complete it with their
    /// mirrors; the probe script also brings settings, a title and links.
    static func page(_ doc: PageDocument, completing partial: Page) throws(ManifestError) -> Page
}

/// How a format's sniff judged a document.
enum Sniff: Sendable, Comparable {
    /// Only the last resort: read when nothing else would be (`URLScan`).
    case lastResort
    /// Could be this format; an earlier `certain` elsewhere wins, and when the read finds no
    /// mirror the last resort gets its turn.
    case likely
    /// The document says it is this format (a key, a header line that only it has).
    case certain
}

extension DocumentFormat {
    static var mediaTypes: [String] { [] }
    static func claims(fileName: String) -> Bool { false }
}

/// A format whose documents are lists of mirrors (all but the probe script, which also says how
/// to probe them): its parser's result completes the page.
protocol MirrorListFormat: DocumentFormat {
    /// Reads the whole document as this format.
    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors
}

extension MirrorListFormat {
    static func page(_ doc: PageDocument, completing partial: Page) throws(ManifestError) -> Page {
        let parsed = try read(doc)
        guard !parsed.mirrors.isEmpty else {
            let entries = "\(parsed.entries) entr\(parsed.entries == 1 ? "y" : "ies") read"
            let why = parsed.warnings.first.map { "; \($0)" } ?? ""
            throw ManifestError("no usable mirror in this \(parsed.format.title) (\(entries)\(why))")
        }
        return PageAnalyzer.page(partial, with: parsed)
    }
}

/// A format that reads text: UTF-8, or ISO-8859-1 with a warning; a document holding NUL bytes is
/// refused as binary.
protocol TextDocumentFormat: MirrorListFormat {
    static func parse(_ text: String) throws(ManifestError) -> ParsedMirrors
}

extension TextDocumentFormat {
    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors {
        var warnings: [String] = []
        let text = try DocumentText.decode(doc.body, warnings: &warnings)
        var parsed = try parse(text)
        parsed.warnings = warnings + parsed.warnings  // the reader's own, before the parser's
        return parsed
    }
}

enum DocumentText {
    /// Text formats are UTF-8; a document that is not is read as ISO-8859-1 (with a warning),
    /// and one holding NUL bytes is not text at all.
    static func decode(_ data: Data, warnings: inout [String]) throws(ManifestError) -> String {
        guard !data.withUnsafeBytes({ $0.contains(0) }) else {
            throw ManifestError("not a page, a probe script or a list of mirror URLs (binary content)")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        warnings.append("not valid UTF-8; read as ISO-8859-1")
        return latin1(data)
    }

    /// ISO-8859-1 maps each byte to the code point of the same value: one UTF-8 byte below 0x80,
    /// two above. Transcoded over the raw bytes (building the string scalar by scalar was a
    /// quarter of reading a 64 KiB list; found by fuzz/run.sh page).
    static func latin1(_ data: Data) -> String {
        data.withUnsafeBytes { raw in
            let high = raw.reduce(0) { $0 + ($1 >= 0x80 ? 1 : 0) }
            return String(unsafeUninitializedCapacity: raw.count + high) { out in
                var at = 0
                for byte in raw {
                    if byte < 0x80 {
                        out[at] = byte
                        at += 1
                    } else {
                        out[at] = 0xC0 | (byte >> 6)
                        out[at + 1] = 0x80 | (byte & 0x3F)
                        at += 2
                    }
                }
                return at
            }
        }
    }
}

/// What the sniffs look at: the first 64 KiB of a document, split into lines (at most 2000) once
/// for all of them, and for JSON the keys of its top-level object.
final class DocumentHead {
    static let limit = 64 * 1024
    static let lineLimit = 2000

    let bytes: Data
    /// The first byte that is not white space or a byte-order mark.
    let firstByte: UInt8?

    init(_ body: Data) {
        bytes = body.prefix(Self.limit)
        firstByte = bytes.first(where: { !Self.isSpaceOrBOM($0) })
    }

    /// The lines, as written (with their indentation) and trimmed; blank lines left out.
    private(set) lazy var lines: [(raw: Substring, trimmed: Substring)] = {
        TextLines.lines(String(decoding: bytes, as: UTF8.self)).prefix(Self.lineLimit).compactMap { raw in
            let trimmed = TextLines.trim(raw)
            return trimmed.isEmpty ? nil : (raw, trimmed)
        }
    }()

    /// The first line that is neither blank nor a `#` comment.
    var firstContentLine: Substring? { lines.first { !$0.trimmed.hasPrefix("#") }?.trimmed }

    /// The names of the top-level object's keys seen in the head; nil when it is no JSON object.
    private(set) lazy var jsonKeys: Set<String>? = firstByte == UInt8(ascii: "{") ? JSONKeyScan.topLevelKeys(bytes) : nil

    /// A Metalink, or an XML document that is no web page (MirrorManager's comment-only answer):
    /// the Metalink reader says what it is.
    var isXMLMirrorList: Bool { Self.isXMLMirrorList(bytes) }

    static func isXMLMirrorList(_ body: Data) -> Bool {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if text.contains("<metalink") { return true }
        return text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<?xml") && !text.lowercased().contains("<html")
    }

    static func isSpaceOrBOM(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xEF || b == 0xBB || b == 0xBF
    }
}

/// The keys of a JSON document's top-level object, found by one pass over its bytes that tracks
/// strings and nesting (no values are built). Sniffing needs only the names, and decoding a
/// 1200-mirror status twice (once to sniff, once to read) would double the cost of reading it.
/// The pass runs over the raw buffer: `Data`'s checked subscript made it 3 ms for a 64 KiB head.
enum JSONKeyScan {
    static let maxKeys = 256

    static func topLevelKeys(_ bytes: Data) -> Set<String> {
        bytes.withUnsafeBytes { raw in topLevelKeys(raw.assumingMemoryBound(to: UInt8.self)) }
    }

    static func topLevelKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
        var keys: Set<String> = []
        var depth = 0
        var index = 0
        var lastString: Range<Int>?
        while index < bytes.count, keys.count < maxKeys {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                end = min(end, bytes.count)
                lastString = start..<end
                index = end
            case UInt8(ascii: ":"):
                if depth == 1, let range = lastString { keys.insert(String(decoding: bytes[range], as: UTF8.self)) }
                lastString = nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                lastString = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                lastString = nil
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                lastString = nil
            }
            index += 1
        }
        return keys
    }
}
