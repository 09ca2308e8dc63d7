import CNcursesw
import MirrorscopeCore

/// Turns what `get_wch` returns into the core's keys (and resizes).
enum KeyDecoder {
    enum Input {
        case key(Key)
        case resize
    }

    static func decode(status: Int32, code: UInt32) -> Input? {
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
