/// Why a request target is refused (see `RequestTarget`), with the status and reason it is answered with.
public enum TargetRejection: Error, Sendable, Hashable {
    case tooLong
    case notOriginForm
    case doubleSlash
    case badCharacter
    case badPercent
    case encodedControl
    case dotSegment

    public var status: Int { self == .tooLong ? 414 : 400 }

    public var reason: String {
        switch self {
        case .tooLong: return "request target too long"
        case .notOriginForm: return "request target must be a path starting with \"/\""
        case .doubleSlash: return "request target must not start with \"//\""
        case .badCharacter: return "request target holds a character not allowed in a URL"
        case .badPercent: return "request target holds a malformed percent-encoding"
        case .encodedControl: return "request target holds an encoded control character"
        case .dotSegment: return "request target holds a \".\" or \"..\" segment"
        }
    }
}
