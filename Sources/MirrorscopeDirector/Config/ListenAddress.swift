/// `HOST:PORT`; an IPv6 host is written in brackets (`[::1]:8080`). Port 0 asks for any free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { return nil } // unbracketed IPv6
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    public init(stringLiteral value: String) {
        guard let parsed = ListenAddress(value) else { preconditionFailure("not HOST:PORT: \(value)") }
        self = parsed
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
