#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A blocking TCP connection to 127.0.0.1 made with the C socket calls: the abuse tests open
/// thousands of these (slow clients, idle connections), which NIO channels would make costly and
/// indirect, and time single requests without an event loop in between.
final class RawSocket: @unchecked Sendable {
    private(set) var fd: Int32

    /// nil when the connection cannot be made (refused, or this process is out of descriptors).
    init?(port: Int, timeoutSeconds: Int = 5) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    func shut() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Reads until `done` says the bytes so far are enough, the peer closes, or the receive times out.
    func receive(until done: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !done(bytes) {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (bytes, true) }
            if n < 0 { return (bytes, errno == ECONNRESET) }
            bytes += chunk[0..<n]
        }
        return (bytes, false)
    }

    static func holdsHeadEnd(_ bytes: [UInt8]) -> Bool { headEnd(in: bytes) != nil }

    /// The index just past the blank line that ends an answer's head.
    static func headEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i + 4 }
        return nil
    }

    /// Whether the peer has closed the connection (EOF or reset), without waiting.
    var peerClosed: Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    /// One request on this connection, answered up to the end of its head: the status line.
    func statusLine(of request: String) -> String? {
        guard send(request) else { return nil }
        let (bytes, _) = receive(until: Self.holdsHeadEnd)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\r\n", maxSplits: 1).first.map(String.init)
    }
}

/// The current resident set size and its peak (VmRSS, VmHWM) of a process, in KiB.
func memoryKiB(pid: Int32 = getpid()) -> (rss: Int, peak: Int)? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    func field(_ name: String) -> Int? {
        status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    }
    guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
    return (rss, peak)
}

/// Runs blocking socket work on a thread of its own, off the cooperative pool (2 cores give it
/// 2 threads, which a blocking test would take from every other test of the process).
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A port that was free a moment ago on 127.0.0.1 (for a peer, such as nginx, that must be told
/// its port in its configuration).
func freePort() -> Int? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
}

/// The connections waiting in the accept queue of the listener on 127.0.0.1:`port` (for a
/// listening socket, /proc/net/tcp's rx_queue is that queue's length); nil when not found.
func acceptQueueLength(port: Int) -> Int? {
    guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return nil }
    let local = String(format: "0100007F:%04X", port)
    for line in table.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 4, fields[1] == local, fields[3] == "0A" else { continue }
        return fields[4].split(separator: ":").last.flatMap { Int($0, radix: 16) }
    }
    return nil
}
