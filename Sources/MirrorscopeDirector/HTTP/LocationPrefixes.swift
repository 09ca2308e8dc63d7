import NIOCore

/// Per real slot and listener kind: `Location: BASE-URL` as bytes, the fixed part of a redirect to
/// that server, made once per snapshot and loop.
struct LocationPrefixes {
    private var prefixes: [Int: ByteBuffer] = [:]

    /// `Location: ` and the real server's base URL for this kind of listener.
    mutating func prefix(for real: RealEntry, tls: Bool) -> ByteBuffer {
        let key = real.slot << 1 | (tls ? 1 : 0)
        if let cached = prefixes[key] { return cached }
        let prefix = ByteBuffer(string: "Location: " + real.config.baseURL(tls: tls))
        prefixes[key] = prefix
        return prefix
    }

    /// Forgets them all (a new snapshot may have changed a URL).
    mutating func removeAll() { prefixes = [:] }
}
