import NIOCore

/// The cached fixed part of redirects on this loop.
extension LoopState {
    /// `Location: ` and the real server's base URL for this kind of listener.
    func locationPrefix(for real: RealEntry, tls: Bool) -> ByteBuffer { locations.prefix(for: real, tls: tls) }
}
