import MirrorscopeCore
import MirrorscopeDirector

extension FuzzTarget {
    /// The director's request-target classification. Whatever is accepted as content or a directed
    /// path, appended to a real server's base URL as the redirect does, must leave the host, port
    /// and path prefix unchanged and hold only URI characters (no CR/LF, no space, no controls).
    public static let requestTarget = FuzzTarget(name: "request-target") { bytes in
        let uri = String(decoding: bytes, as: UTF8.self)
        let rest: Substring
        switch RequestTarget.classify(uri) {
        case .content(let r): rest = r
        case .directed(_, let r): rest = r
        case .control, .rejected: return []
        }
        let base = "https://mirror.example:8443/pub/"
        var problems: [String] = []
        if uri.utf8.count > RequestTarget.maxLength { problems.append("a target of \(uri.utf8.count) bytes was accepted") }
        if let bad = rest.utf8.first(where: { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "#") }) {
            problems.append("the rest holds byte 0x\(String(bad, radix: 16))")
        }
        if rest.hasPrefix("/") { problems.append("the rest starts with /") }
        guard let location = URLParts(base + rest) else { return problems + ["\(base + rest) is not a URL"] }
        if location.host != "mirror.example" || location.port != 8443 || !location.path.hasPrefix("/pub/") {
            problems.append("\(uri) steers the redirect to \(location.host):\(location.port ?? 0)\(location.path)")
        }
        let segments = location.path.split(separator: "/", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "%2e", with: ".", options: .caseInsensitive) }
        if segments.contains("..") || segments.contains(".") { problems.append("\(uri) keeps a dot segment") }
        return problems
    }
}
