import MirrorscopeCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// An answer to one request on a fresh connection of the connector: the head, and the body
/// streamed with back-pressure (NIO's `NIOAsyncChannel`), so a 4 GB file never sits in memory.
/// It lives only inside the closure given to `Connector.withAnswer`: the connection closes when
/// that returns (the body read to its end or not), or when the body stalls past the read timeout.
public struct HTTPAnswer {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: HTTPAnswerBody
    public var times: ConnectionTimes
}

extension Connector {
    /// How long a body may stall before the connection is given up.
    public static let defaultReadTimeout: TimeAmount = .seconds(30)

    /// Sends one request for `url` (with `headers`, plus `Host` and `Connection: close`) and gives
    /// its answer to `use`. The connection and the answer's head must come before `deadline`; the
    /// body may take as long as it keeps arriving.
    public func withAnswer<T: Sendable>(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [],
                                        deadline: NIODeadline, readTimeout: TimeAmount = Connector.defaultReadTimeout,
                                        _ use: (HTTPAnswer) async throws -> T) async throws -> T {
        guard let parts = URLParts(url), parts.scheme == "http" || parts.scheme == "https", !parts.host.isEmpty,
              let port = parts.effectivePort else {
            throw ConnectionFailure(.connect, .other, "not an http(s) URL")
        }
        let connection = try await connect(Request(host: parts.host, port: port, tls: parts.scheme == "https"), deadline: deadline)
        let channel = connection.channel
        let watch = AnswerWatch()
        let async: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            async = try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHTTPClientHandlers()
                try pipeline.addHandler(IdleStateHandler(readTimeout: readTimeout))
                try pipeline.addHandler(watch)
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        // No head by the deadline: the connection is closed, and reading it ends.
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) { channel.close(promise: nil) }
        defer { timer.cancel() }

        var head = HTTPRequestHead(version: .http1_1, method: method,
                                   uri: (parts.path.isEmpty ? "/" : parts.path) + (parts.query.map { "?" + $0 } ?? ""))
        head.headers.add(name: "Host", value: parts.hostHeader)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        head.headers.add(name: "Connection", value: "close")
        let times = connection.times
        return try await async.executeThenClose { inbound, outbound in
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            var parts = inbound.makeAsyncIterator()
            var answer: HTTPResponseHead?
            while let part = try await parts.next() {
                // An informational 1xx answer comes before the real one.
                if case .head(let h) = part, h.status.code >= 200 || h.status.code < 100 { answer = h; break }
            }
            guard let answer else {
                throw ConnectionFailure(.connect, deadline <= .now() ? .timeout : .reset,
                                        deadline <= .now() ? "timeout waiting for the answer" : "the server closed the connection before answering")
            }
            timer.cancel()
            let body = HTTPAnswerBody(parts: parts, stalled: { watch.stalled.withLockedValue { $0 } })
            return try await use(HTTPAnswer(status: answer.status, headers: answer.headers, body: body, times: times))
        }
    }
}

/// The body of an `HTTPAnswer`: its bytes as they arrive. Read it once, inside the closure.
public struct HTTPAnswerBody: AsyncSequence {
    public typealias Element = ByteBuffer
    let reader: Reader

    init(parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator, stalled: @escaping @Sendable () -> Bool) {
        reader = Reader(parts: parts, stalled: stalled)
    }

    final class Reader {
        var parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        let stalled: @Sendable () -> Bool
        var ended = false

        init(parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator, stalled: @escaping @Sendable () -> Bool) {
            self.parts = parts
            self.stalled = stalled
        }

        func next() async throws -> ByteBuffer? {
            guard !ended else { return nil }
            while let part = try await parts.next() {
                switch part {
                case .body(let bytes): return bytes
                case .end: ended = true; return nil
                case .head: continue
                }
            }
            ended = true
            if stalled() { throw ConnectionFailure(.connect, .timeout, "the transfer stalled (no data within the read timeout)") }
            throw ConnectionFailure(.connect, .reset, "the server closed the connection before the end of the body")
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: Reader
        public mutating func next() async throws -> ByteBuffer? { try await reader.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader) }

    /// The whole body, or `NIOTooManyBytesError` when it is longer than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var all = ByteBuffer()
        for try await var chunk in self {
            guard all.readableBytes + chunk.readableBytes <= maxBytes else { throw NIOTooManyBytesError(maxBytes: maxBytes) }
            all.writeBuffer(&chunk)
        }
        return all
    }
}

/// Closes a connection whose reads stall past the read timeout, and remembers that it did.
private final class AnswerWatch: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    let stalled = NIOLockedValueBox(false)

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case IdleStateHandler.IdleStateEvent.read = event {
            stalled.withLockedValue { $0 = true }
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
