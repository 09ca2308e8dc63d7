import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A response as the tests look at it: status, headers and body exactly as they came.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
    public var location: String? { headers.first(name: "location") }
    public func header(_ name: String) -> String? { headers.first(name: name) }

    /// The value (`NAME=VALUE`, without attributes) of the cookie the response sets under `name`.
    public func cookie(named name: String) -> String? {
        for value in headers["set-cookie"] where value.hasPrefix(name + "=") {
            return String(value.prefix { $0 != ";" })
        }
        return nil
    }
}

/// A small HTTP/1.1 client on NIO for the tests of the farm, the director and the prober: one
/// connection per request, redirects not followed, the whole body collected, no pooling client in
/// between, and a deadline on every answer so a server that stops answering fails the test
/// instead of hanging the suite. URLs name their port.
public enum TestHTTPClient {
    static let group = MultiThreadedEventLoopGroup.singleton

    public static func request(_ method: HTTPMethod = .GET, _ url: String, headers: [(String, String)] = [],
                        body: String? = nil, trustRoots: NIOSSLTrustRoots? = nil) async throws -> TestResponse {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw TestHTTPError("bad test URL \(url)")
        }
        let tls = components.scheme == "https"
        let sslContext: NIOSSLContext? = try tls ? {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let trustRoots { configuration.trustRoots = trustRoots } else { configuration.certificateVerification = .none }
            return try NIOSSLContext(configuration: configuration)
        }() : nil
        let promise = group.next().makePromise(of: TestResponse.self)
        let channel = try await connecting(promise) {
            try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
        }
        var target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?" + query }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.add(name: "Content-Length", value: String(body.utf8.count)) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        return try await closing(channel) {
            try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
            return try await withTimeout(.seconds(10), promise.futureResult)
        }
    }

    public static func get(_ url: String, cookie: String? = nil, headers: [(String, String)] = []) async throws -> TestResponse {
        try await request(.GET, url, headers: headers + (cookie.map { [("Cookie", $0)] } ?? []))
    }

    /// Sends bytes as they are and returns everything the server sends back until it closes.
    public static func raw(_ bytes: String, host: String = "127.0.0.1", port: Int) async throws -> String {
        let promise = group.next().makePromise(of: String.self)
        let channel = try await connecting(promise) {
            try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RawCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
        }
        return try await closing(channel) {
            try await channel.writeAndFlush(ByteBuffer(string: bytes)).get()
            return try await withTimeout(.seconds(10), promise.futureResult)
        }
    }

    /// Connects, failing the response promise when the connection cannot be made (NIO insists
    /// that every promise is completed).
    static func connecting<T>(_ promise: EventLoopPromise<T>, _ connect: () async throws -> any Channel) async throws -> any Channel {
        do {
            return try await connect()
        } catch {
            promise.fail(error)
            throw error
        }
    }

    /// The answer, the connection closed however it ends (a timed-out one too).
    private static func closing<T>(_ channel: any Channel, _ answer: () async throws -> T) async throws -> T {
        do {
            let result = try await answer()
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func withTimeout<T: Sendable>(_ timeout: TimeAmount, _ future: EventLoopFuture<T>) async throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        let timer = future.eventLoop.scheduleTask(in: timeout) { promise.fail(TestHTTPError("no complete answer within \(timeout)")) }
        defer { timer.cancel() }
        return try await promise.futureResult.get()
    }
}

public struct TestHTTPError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<TestResponse>
    private var response: TestResponse?

    init(promise: EventLoopPromise<TestResponse>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = TestResponse(status: Int(head.status.code), headers: head.headers, body: [])
        case .body(let buffer):
            response?.body += buffer.readableBytesView
        case .end:
            if let response { promise.succeed(response) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(TestHTTPError("connection closed before a complete response"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<String>
    private var text = ""

    init(promise: EventLoopPromise<String>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        text += String(buffer: unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) { promise.succeed(text) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(text)
        context.close(promise: nil)
    }
}
