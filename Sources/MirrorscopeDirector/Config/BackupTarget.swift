/// Where a real server's sessions go when it cannot take them.
public enum BackupTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Re-balanced by the policy among the healthy real servers.
    case primary
    case server(String)

    public init(_ text: String) { self = text == "primary" ? .primary : .server(text) }

    public var description: String {
        switch self {
        case .primary: return "primary"
        case .server(let id): return id
        }
    }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
