import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Requests that are too big, too many or malformed: each gets its documented status (or the
/// connection closes), and nothing grows without bound.
@Suite struct FloodTests {
    @Test func aHeaderBlockOverTheLimitIs431() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { _, director in
            // 40 fields of 1 KiB: each under the 8 KiB field limit, together over the 32 KiB head limit.
            let fields = (0..<40).map { "X-F\($0): \(String(repeating: "v", count: 1000))\r\n" }.joined()
            let many = try await TestHTTPClient.raw("GET /a HTTP/1.1\r\nHost: h\r\n\(fields)\r\n", port: director.port)
            #expect(many.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large"), "\(many.prefix(80))")
            let one = try await TestHTTPClient.raw("GET /a HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "b", count: 9000))\r\n\r\n",
                                                   port: director.port)
            #expect(one.hasPrefix("HTTP/1.1 431"), "\(one.prefix(80))")
            let count = (0..<150).map { "X-H\($0): v\r\n" }.joined()
            let tooMany = try await TestHTTPClient.raw("GET /a HTTP/1.1\r\nHost: h\r\n\(count)\r\n", port: director.port)
            #expect(tooMany.hasPrefix("HTTP/1.1 431"), "\(tooMany.prefix(80))")
        }
    }

    @Test(arguments: [5_000, 9_000, 100_000])
    func aRequestLineOverTheLimitIs414(length: Int) async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { _, director in
            let answer = try await TestHTTPClient.raw("GET /\(String(repeating: "a", count: length)) HTTP/1.1\r\nHost: h\r\n\r\n",
                                                      port: director.port)
            #expect(answer.hasPrefix("HTTP/1.1 414 URI Too Long"), "\(answer.prefix(80))")
            #expect(!answer.lowercased().contains("location:"))
        }
    }

    /// Both cores for several seconds (10 001 requests through a debug build): with the abuse
    /// tests (MIRRORSCOPE_ABUSE_TESTS=1, set by `.ci/run`), not beside the timing tests.
    @Test(.enabled(if: abuseTestsEnabled, "set MIRRORSCOPE_ABUSE_TESTS=1 (.ci/run does, in a pass of its own)"))
    func tenThousandPipelinedRequestsAreAnsweredInOrder() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            let port = director.port
            let before = memoryKiB()?.rss ?? 0
            let (locations, closedEarly) = await onThread { () -> ([Substring], Bool) in
                guard let socket = RawSocket(port: port, timeoutSeconds: 20) else { return ([], true) }
                let requests = (0..<10_000).map { "GET /p\($0) HTTP/1.1\r\nHost: h\r\n\r\n" }.joined()
                    + "GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                // The writer runs beside the reader: the director stops reading while its answers
                // wait to be read, so writing everything first would deadlock on full buffers.
                Thread { socket.send(requests) }.start()
                let (bytes, closed) = socket.receive()
                let text = String(decoding: bytes, as: UTF8.self)
                return (text.split(separator: "\r\n").filter { $0.hasPrefix("Location: ") }, !closed)
            }
            let base = farm.url(ofMirror: "m0")!
            #expect(!closedEarly)
            #expect(locations.count == 10_001)
            let expected = (0..<10_000).map { "Location: \(base)p\($0)" } + ["Location: \(base)last"]
            #expect(locations.map(String.init) == expected, "answers out of order or missing")
            let after = memoryKiB()?.rss ?? 0
            #expect(after - before < 64 * 1024, "resident memory grew by \(after - before) KiB")
        }
    }

    @Test func aBodyOnAGetIsReadAndDropped() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            let answer = try await TestHTTPClient.raw(
                "GET /one HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
                    + "GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", port: director.port)
            let base = farm.url(ofMirror: "m0")!
            #expect(answer.contains("Location: \(base)one\r\n") && answer.contains("Location: \(base)two\r\n"), "\(answer)")
            #expect(!answer.contains("0123456789"))
        }
    }

    @Test(arguments: [
        "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n",
    ])
    func anInvalidChunkedBodyIs400(framing: String) async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { _, director in
            let answer = try await TestHTTPClient.raw("POST /-/admin/real HTTP/1.1\r\nHost: h\r\n\(framing)", port: director.port)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(120))")
        }
    }

    /// Tokens that name m1 without being m1's real token: with two servers taken in turn, a
    /// token honoured would send all four requests to m1; one ignored starts new sessions, which
    /// alternate. The genuine token is the control that shows the test can tell the two apart.
    @Test(arguments: ["genuine", "forged", "truncated", "another secret", "over-long", "not a token"])
    func forgedSessionTokensAreNeverHonouredNorA500(kind: String) async throws {
        let expiry = Int64(Date().timeIntervalSince1970) + 3600
        let genuine = SessionSigner(secret: Harness.secret).sign(SessionToken(serverID: "m1", expiry: expiry))
        let token = switch kind {
        case "genuine": genuine
        case "forged": "1.m1.\(expiry)." + String(repeating: "0", count: 64)
        case "truncated": String(genuine.dropLast(2))
        case "another secret": SessionSigner(secret: Harness.secret + "-other").sign(SessionToken(serverID: "m1", expiry: expiry))
        case "over-long": genuine + String(repeating: "0", count: 5000)
        default: "%00;;==" + genuine
        }
        try await Harness.run(["m0", "m1"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            var servers: [String] = []
            for _ in 0..<4 {
                let answer = try await TestHTTPClient.raw(
                    "GET /files/README.txt HTTP/1.1\r\nHost: h\r\nCookie: \(SessionCookie.name)=\(token)\r\nConnection: close\r\n\r\n",
                    port: director.port)
                #expect(answer.hasPrefix("HTTP/1.1 302"), "\(kind): \(answer.prefix(80))")
                let location = answer.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }.map { String($0.dropFirst(10)) }
                servers.append(Harness.realID(of: location, in: farm) ?? "?")
            }
            if kind == "genuine" {
                #expect(servers == ["m1", "m1", "m1", "m1"])
            } else {
                #expect(servers.contains("m0"), "\(kind) was honoured: \(servers)")
            }
        }
    }
}
