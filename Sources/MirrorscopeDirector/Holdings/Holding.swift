/// What a mirror's answer to a file check says about one path.
public enum Holding: String, Sendable, Hashable {
    /// 2xx or 3xx: it has the path.
    case present
    /// 404 or 410: it does not; it is skipped for that path.
    case absent
    /// A timeout, a 5xx, another status or a connection error: usable, as mirrorbits does (a
    /// mirror that cannot answer a HEAD now may well serve the GET), but remembered only briefly.
    case unknown

    /// The answer a status (nil: no answer at all) means.
    init(status: Int?) {
        switch status {
        case (200..<400)?: self = .present
        case 404?, 410?: self = .absent
        default: self = .unknown
        }
    }
}

/// One request's view of the checks: per real index, what is known of the requested path (nil:
/// not checked, such as a member that is down).
struct PathHoldings: Sendable {
    var states: [Holding?]

    /// Not known to lack the path (present, unknown or not checked).
    func usable(_ index: Int) -> Bool { states[index] != .absent }
}
