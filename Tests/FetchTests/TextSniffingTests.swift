@testable import MirrorscopeFetch
import Testing

/// Text or binary is decided from the bytes too: a server's `text/plain` does not make bytes text.
@Suite("opening: text or binary")
struct TextSniffingTests {
    /// Deterministic bytes that look like a compressed file's (xorshift).
    static func binary(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var x = seed
        return (0..<count).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }

    static let readme = Array("Example 1.0\n\nThanks for downloading.\tTabs, CRLF\r\nand ünïcödé — fine.\n".utf8)

    @Test func textIsTextWhateverTheLabel() {
        for type in ["text/plain", "text/plain; charset=utf-8", "application/octet-stream", ""] {
            #expect(TextPreview.looksLikeText(Self.readme, contentType: type), "\(type)")
        }
    }

    @Test func binaryLabelledTextIsBinary() {
        for type in ["text/plain", "text/html", "application/json", "application/octet-stream"] {
            #expect(!TextPreview.looksLikeText(Self.binary(count: 4096), contentType: type), "\(type)")
        }
    }

    @Test func aNulMakesBinary() {
        var bytes = Self.readme
        bytes.insert(0, at: 10)
        #expect(!TextPreview.looksLikeText(bytes, contentType: "text/plain"))
    }

    @Test func manyControlCharactersMakeBinaryButEscapeSequencesDoNot() {
        // Valid UTF-8 without a NUL, but one byte in ten a control character.
        let controls = (0..<400).map { UInt8($0 % 10 == 0 ? 0x01 : 0x61) }
        #expect(!TextPreview.looksLikeText(controls, contentType: "text/plain"))
        // A coloured log: ESC sequences on every line are still text.
        let log = Array(String(repeating: "\u{1B}[32mok\u{1B}[0m line\r\n\u{0C}", count: 50).utf8)
        #expect(TextPreview.looksLikeText(log, contentType: "text/plain"))
    }

    @Test func invalidUTF8IsBinaryUnlessTheServerSaysText() {
        // "café résumé" in Latin-1: not UTF-8, but no controls.
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9, 0x0A]
        #expect(TextPreview.looksLikeText(latin1, contentType: "text/plain; charset=iso-8859-1"))
        #expect(!TextPreview.looksLikeText(latin1, contentType: "application/octet-stream"))
    }

    @Test func aCharacterCutByTheSampleEndIsStillText() {
        // "€" is E2 82 AC: the sample may stop after any of its first two bytes.
        let euros = Array(String(repeating: "€", count: TextPreview.sniffBytes).utf8)
        #expect(TextPreview.looksLikeText(euros, contentType: "application/octet-stream"), "cut at the sniffing limit")
        #expect(TextPreview.looksLikeText(Array(euros.prefix(30 * 3 + 1)), contentType: "application/octet-stream"))
        #expect(TextPreview.looksLikeText(Array(euros.prefix(30 * 3 + 2)), contentType: "application/octet-stream"))
        // A broken character in the middle is not a cut.
        var broken = Array(euros.prefix(30))
        broken.remove(at: 10)
        #expect(!TextPreview.looksLikeText(broken, contentType: "application/octet-stream"))
    }

    @Test func emptyIsNotShown() {
        #expect(!TextPreview.looksLikeText([], contentType: "text/plain"))
    }
}
