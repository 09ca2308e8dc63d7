import CNcursesw
import MirrorscopeCore

/// Turns what `get_wch` returns into the core's keys (and resizes). Public for the fuzz target
/// (fuzz/Entries/KeyDecoderTarget.swift): bytes from the terminal are untrusted input too.
public enum KeyDecoder {
    public enum Input: Sendable {
        case key(Key)
        case resize
    }

    /// A key the terminal sends as an escape sequence that ncurses does not know (a terminfo that
    /// does not match the terminal) arrives as ESC followed at once by the rest of the sequence.
    /// Such an ESC must not quit: ESC immediately followed by "[" or "O" starts a sequence, which is
    /// dropped up to its final character. A real Esc press arrives alone.
    public static func droppingUnknownSequences(_ inputs: [Input]) -> [Input] {
        var out: [Input] = []
        var i = 0
        while i < inputs.count {
            if case .key(.escape) = inputs[i], i + 1 < inputs.count, case .key(.char(let c)) = inputs[i + 1], c == "[" || c == "O" {
                var j = i + 2
                if c == "O" {
                    j += 1 // SS3: one character follows
                } else {
                    // CSI: parameters up to a final character in @...~
                    while j < inputs.count, case .key(.char(let p)) = inputs[j], !(p.asciiValue.map { (0x40...0x7E).contains($0) } ?? true) { j += 1 }
                    j += 1
                }
                i = min(j, inputs.count)
                continue
            }
            out.append(inputs[i])
            i += 1
        }
        return out
    }

    /// The status `get_wch` returns for a function key (`KEY_CODE_YES`).
    public static var keyCodeStatus: Int32 { ms_key_code_yes() }

    public static func decode(status: Int32, code: UInt32) -> Input? {
        if status == ms_key_code_yes() {
            switch Int32(bitPattern: code) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME, KEY_A1: return .key(.home)
            case KEY_END, KEY_C1: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch code {
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 9: return .key(.tab)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(code + 96)!)))
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }
}
