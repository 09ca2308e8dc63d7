import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// Whether an opened file is shown as text, and its first lines when it is.
///
/// The decision is made from the bytes, not only from the `Content-Type`: servers label binary
/// files `text/plain` (nginx without a `types` block does so for every file), and showing such
/// bytes as text fills the pane with noise.
enum TextPreview {
    /// How much of the start of a body the sniffing reads (a few KiB, as browsers' sniffing does).
    static let sniffBytes = 8 * 1024

    static func looksLikeText(_ bytes: [UInt8], contentType: String) -> Bool {
        if bytes.isEmpty { return false }
        let sample = bytes.prefix(sniffBytes)
        // A NUL never occurs in text of any 8-bit encoding; it is in nearly every binary format.
        if sample.contains(0) { return false }
        // Control characters that text does not use: more than one in a hundred bytes is binary
        // (compressed or random bytes have about one in ten).
        let controls = sample.reduce(0) { $0 + (isBinaryControl($1) ? 1 : 0) }
        if controls * 100 > sample.count { return false }
        if isUTF8(sample) { return true }
        // Not UTF-8 but free of controls: text in an 8-bit charset (Latin-1) when the server says
        // text, binary otherwise.
        return contentType.hasPrefix("text/") || contentType.contains("json") || contentType.contains("xml")
    }

    /// The bytes WHATWG's MIME sniffing calls binary data bytes: C0 controls other than tab, LF,
    /// FF, CR and ESC (coloured logs carry ESC).
    static func isBinaryControl(_ byte: UInt8) -> Bool {
        byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(byte)
    }

    /// Valid UTF-8, allowing one character cut short at the end (the sample stops mid-body).
    static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        if String(validating: bytes, as: UTF8.self) != nil { return true }
        guard let cut = incompleteTail(bytes) else { return false }
        return String(validating: bytes[..<cut], as: UTF8.self) != nil
    }

    /// Where a multi-byte character that the end of `bytes` cuts short begins, if one does.
    static func incompleteTail(_ bytes: ArraySlice<UInt8>) -> Int? {
        var lead = bytes.endIndex
        while lead > bytes.startIndex, bytes.endIndex - lead < 3, bytes[lead - 1] & 0xC0 == 0x80 { lead -= 1 }
        guard lead > bytes.startIndex else { return nil }
        lead -= 1
        let byte = bytes[lead]
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        return length > 1 && bytes.endIndex - lead < length ? lead : nil
    }

    /// The first lines, each cleaned of control and escape sequences (the content is untrusted).
    static func lines(_ bytes: [UInt8], limit: Int) -> [String] {
        TextLines.lines(String(decoding: bytes, as: UTF8.self))  // LF, CRLF or CR
            .prefix(limit)
            .map { TerminalText.sanitize(String($0).replacingOccurrences(of: "\t", with: "    "), maxCharacters: 400) }
    }
}
