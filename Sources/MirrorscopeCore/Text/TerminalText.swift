/// Text from the network is untrusted: before it can reach the terminal, control characters and
/// escape sequences (CSI, OSC, DCS, single-character ESC sequences, their C1 forms) are removed and
/// bidirectional overrides are dropped, so a mirror's name can neither move the cursor, retitle the
/// window, nor reorder what surrounds it.
public enum TerminalText {
    /// Removes escape sequences and control characters; tabs and line breaks become single spaces.
    /// The result is cut to `maxCharacters` (with "…") so one huge name cannot swamp the screen.
    public static func sanitize(_ text: String, maxCharacters: Int = 256) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            switch s.value {
            case 0x1B: // ESC: skip the sequence it starts
                guard let introducer = scalars.next() else { break }
                switch introducer.value {
                case 0x5B: skipCSI(&scalars)                      // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: skipString(&scalars) // OSC, DCS, SOS, PM, APC
                default: break                                      // two-character sequence
                }
            case 0x9B: skipCSI(&scalars)
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: skipString(&scalars)
            case 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                // Whitespace controls become one space (none at the start, none doubled).
                if let last = out.last, last != " " { out.append(" ") }
            case 0x00...0x1F, 0x7F...0x9F: continue
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: continue
            default: out.append(s)
            }
        }
        var result = String(out)
        while result.hasSuffix(" ") { result.removeLast() }
        if result.count > maxCharacters {
            result = String(result.prefix(max(0, maxCharacters - 1))) + "…"
        }
        return result
    }

    /// CSI: parameter and intermediate bytes up to a final byte in 0x40...0x7E.
    private static func skipCSI(_ it: inout String.UnicodeScalarView.Iterator) {
        while let s = it.next() {
            if (0x40...0x7E).contains(s.value) { return }
            if s.value < 0x20 && s.value != 0x1B { return }
        }
    }

    /// String sequences end with BEL or ST (ESC \ or 0x9C).
    private static func skipString(_ it: inout String.UnicodeScalarView.Iterator) {
        while let s = it.next() {
            if s.value == 0x07 || s.value == 0x9C { return }
            if s.value == 0x1B { _ = it.next(); return }
        }
    }
}
