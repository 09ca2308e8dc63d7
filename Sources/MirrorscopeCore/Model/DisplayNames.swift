/// The names the mirror list shows: the page's name for a mirror, else its URL's host
/// (`Mirror.displayName`). Where two mirrors of a page would show the same name (two mirrors on
/// one host, different ports), each shows as much more of its URL as it takes to tell them apart:
/// host:port, then the path too, then the whole URL. Mirrors whose names differ keep them.
///
/// Computed once for a page's mirrors (`AppState` does it when it makes the rows), not per frame.
public enum DisplayNames {
    public static func of(_ mirrors: [Mirror]) -> [String] {
        var names = mirrors.map(\.displayName)
        var byName: [String: [Int]] = [:]
        for (i, name) in names.enumerated() { byName[name, default: []].append(i) }
        for (_, group) in byName where group.count > 1 {
            // The whole group moves to the first level that tells all of it apart, so mirrors that
            // collided read alike; URLs that are identical stay alike at the last level.
            for level in URLDetail.allCases {
                let labels = group.map { label(mirrors[$0], level) }
                if Set(labels).count == labels.count || level == .whole {
                    for (i, label) in zip(group, labels) { names[i] = label }
                    break
                }
            }
        }
        return names
    }

    /// How much of a URL a name shows.
    enum URLDetail: CaseIterable {
        case hostPort, hostPortPath, whole
    }

    static func label(_ mirror: Mirror, _ detail: URLDetail) -> String {
        let part: String
        if let url = URLParts(mirror.url), detail != .whole {
            // An IPv6 host needs its brackets back once a port follows it.
            let host = url.port != nil && url.host.contains(":") ? "[\(url.host)]" : url.host
            let hostPort = host + (url.port.map { ":\($0)" } ?? "")
            part = detail == .hostPort ? hostPort : hostPort + url.path
        } else {
            part = mirror.url
        }
        // A page's own name stays first, with the URL part that tells it from its namesakes.
        if let name = mirror.name, !name.isEmpty { return "\(name) (\(part))" }
        return part
    }
}
