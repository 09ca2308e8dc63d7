#if canImport(Glibc)
import Glibc
#endif
import MirrorscopeCore
import Synchronization

/// Messages from any thread to the terminal thread. Posting appends under a lock and writes one
/// byte to a pipe, which wakes the terminal thread from `poll` at once: no polling loop, so an idle
/// session uses no CPU.
public final class Mailbox: Sendable {
    private let queue = Mutex<[Msg]>([])
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fatalError("mirrorscope: cannot create a pipe (out of file descriptors?)") }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    public func post(_ msg: Msg) {
        let wasEmpty = queue.withLock { q in
            q.append(msg)
            return q.count == 1
        }
        // One byte per batch is enough: the reader drains the whole queue.
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(wakeWriteFD, &byte, 1)
        }
    }

    func drain() -> [Msg] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReadFD, &buffer, buffer.count) > 0 {}
        return queue.withLock { q in
            defer { q.removeAll(keepingCapacity: true) }
            return q
        }
    }
}
