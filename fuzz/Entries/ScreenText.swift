/// What text bound for the terminal may not hold: C0 controls (tab and line breaks included: the
/// screen code lays out lines itself), DEL, C1 controls and the bidirectional controls. This is
/// the promise `TerminalText.sanitize` makes, checked independently of it.
enum ScreenText {
    static func problem(_ text: String?, _ what: String) -> String? {
        guard let text else { return nil }
        for scalar in text.unicodeScalars where isForbidden(scalar.value) {
            return "\(what) holds U+\(String(scalar.value, radix: 16, uppercase: true)): \(text.debugDescription.prefix(80))"
        }
        return nil
    }

    static func isForbidden(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
