#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Acknowledges received bytes at once instead of after Linux's delayed-ACK wait (40 ms).
///
/// Why: a relay that cuts what it forwards into pieces smaller than a message (microsocks reads
/// and writes 1 KiB at a time) and leaves Nagle's algorithm on holds each next piece until the
/// previous one is acknowledged. The receiver, waiting for the whole message before answering,
/// delays that acknowledgement, and the message arrives 40 ms late. A post-quantum TLS handshake
/// (a 1.5 KB ClientHello, a 1.2 KB+ server flight) and a response behind TLS 1.3 session tickets
/// are such messages: measured through microsocks, every https probe's handshake took 40 ms more
/// than with an X25519-only handshake, and its first byte 40 ms more than the mirror's delay.
/// Setting TCP_QUICKACK after a read sends the pending acknowledgement now; it is not sticky, so
/// it is set on every read of a proxied connection (one system call per read).
enum DelayedAcknowledgement {
    static func sendNow(_ channel: any Channel) {
        #if os(Linux)
        // TCP_QUICKACK (linux/tcp.h); Glibc's module does not export the name.
        let quickAck = NIOBSDSocket.Option(rawValue: 12)
        try? channel.syncOptions?.setOption(.tcpOption(quickAck), value: 1)
        #endif
    }
}
