import Foundation
import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// A request to the director's own pages under `/-/`, with its body collected.
struct ControlRequest: Sendable {
    var method: HTTPMethod
    /// Starts with "/-/", without the query.
    var path: String
    var query: String?
    var headers: HTTPHeaders
    var virtual: Int
    var isTLS: Bool
    var body: ByteBuffer
    var localPort: Int?

    init(head: HTTPRequestHead, path: String, query: String?, virtual: Int, isTLS: Bool, body: ByteBuffer) {
        method = head.method
        self.path = path
        self.query = query
        headers = head.headers
        self.virtual = virtual
        self.isTLS = isTLS
        self.body = body
    }

    /// The director's own base URL as this client reached it (`http://HOST:PORT`): the `Host`
    /// header when it is a plain host name or address with an optional port, else the listener's
    /// loopback address. It only ever goes back to the client that sent it.
    var ownBaseURL: String { Self.ownBaseURL(headers: headers, isTLS: isTLS, localPort: localPort) }

    static func ownBaseURL(headers: HTTPHeaders, isTLS: Bool, localPort: Int?) -> String {
        let scheme = isTLS ? "https" : "http"
        if let host = headers.first(name: "host"), isPlainHost(host) { return "\(scheme)://\(host)" }
        return "\(scheme)://127.0.0.1:\(localPort ?? URLParts.defaultPort(for: scheme) ?? 80)"
    }

    static func isPlainHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 255 else { return false }
        var name = Substring(host)
        var port: Substring = ""
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            name = host[host.index(after: host.startIndex)..<close]
            guard !name.isEmpty, name.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let after = host[host.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return false }
            port = after.dropFirst()
        } else {
            if let colon = host.lastIndex(of: ":") {
                name = host[..<colon]
                port = host[host.index(after: colon)...]
                guard !port.isEmpty else { return false }
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
                return false
            }
        }
        return port.count <= 5 && port.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A complete response held in memory.
struct ControlResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer

    init(status: HTTPResponseStatus, contentType: String, body: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.headers = headers
        self.headers.add(name: "Content-Type", value: contentType)
        self.body = ByteBuffer(string: body)
    }

    static func text(_ status: HTTPResponseStatus, _ message: String) -> ControlResponse {
        ControlResponse(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n")
    }

    static func json(_ status: HTTPResponseStatus, _ value: some Encodable) -> ControlResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ControlResponse(status: status, contentType: "application/json", body: String(decoding: data, as: UTF8.self) + "\n")
    }
}

/// Routes `/-/` requests: `health`, `metrics`, the mirror list in three forms, and the admin API.
struct ControlEndpoints: Sendable {
    let controller: DirectorController
    let metrics: DirectorMetrics
    let loops: [NIOLoopBound<LoopState>]
    /// File checks, for `/-/explain` and the request path (`ConnectionHandler+Holdings`).
    let files: FileChecker

    /// Runs on the connection's event loop; `loop` is that loop's state.
    func respond(to request: ControlRequest, loop: LoopState) -> EventLoopFuture<ControlResponse> {
        let eventLoop = loop.eventLoop
        let snapshot = loop.snapshot
        if request.path.hasPrefix(AdminAPI.prefix) {
            return eventLoop.makeFutureWithTask { await AdminAPI(controller: controller).respond(to: request, snapshot: snapshot) }
        }
        if request.path == "/-/explain" {  // on this loop: it reads this loop's balancers
            return ExplainEndpoint.respond(to: request, loop: loop, files: files)
        }
        guard request.method == .GET || request.method == .HEAD else {
            var response = ControlResponse.text(.methodNotAllowed, "\(request.path) answers GET and HEAD")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return eventLoop.makeSucceededFuture(response)
        }
        // Built only for the three forms of the mirror page, not for health checks and scrapes.
        var page: MirrorPage {
            MirrorPage(snapshot: snapshot, virtual: request.virtual, isTLS: request.isTLS, directorBaseURL: request.ownBaseURL)
        }
        switch request.path {
        case "/-/health":
            return eventLoop.makeSucceededFuture(health(snapshot, virtual: request.virtual))
        case "/-/metrics":
            return scrapeMetrics(on: eventLoop)
        case "/-/mirrors":
            return eventLoop.makeSucceededFuture(page.html())
        case "/-/mirrors.json":
            return eventLoop.makeSucceededFuture(page.probeScriptResponse())
        case "/-/mirrors.meta4":
            return eventLoop.makeSucceededFuture(page.metalink(query: request.query))
        default:
            return eventLoop.makeSucceededFuture(.text(.notFound, "not found: \(request.path)"))
        }
    }

    /// 200 while at least one real server of the virtual server can take sessions, else 503.
    private func health(_ snapshot: Snapshot, virtual: Int) -> ControlResponse {
        let view = snapshot.table.virtuals[virtual]
        let members = snapshot.table.reals.indices.filter { view.isMember[$0] }
        let available = members.filter { snapshot.table.reals[$0].available }.count
        let text = "\(available) of \(members.count) real servers available"
        return available > 0 ? .text(.ok, "ok: " + text) : .text(.serviceUnavailable, "unavailable: " + text)
    }

    /// Collects every loop's counts since the last scrape into the Prometheus registry, then renders it.
    private func scrapeMetrics(on eventLoop: any EventLoop) -> EventLoopFuture<ControlResponse> {
        let collected = loops.map { bound in bound.eventLoop.submit { bound.value.takeStatistics() } }
        return EventLoopFuture.whenAllSucceed(collected, on: eventLoop).flatMap { statistics in
            eventLoop.makeFutureWithTask {
                let snapshot = await controller.snapshot
                metrics.absorb(statistics, snapshot: snapshot, store: await controller.storeStatus())
                return ControlResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                       body: metrics.render())
            }
        }
    }
}
