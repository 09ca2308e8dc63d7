#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Proxy mode when a real server dies in the middle of a body: a real nginx (started here) serves
/// 100 MB and is killed while the client reads. The client must see a short body, never a wrong
/// or padded one, and the session's next request must go to the server's backup.
///
/// 100 MB through the director loads both cores for seconds: with the abuse tests
/// (MIRRORSCOPE_ABUSE_TESTS=1, set by `.ci/run`), not beside the timing tests.
@Suite(.enabled(if: abuseTestsEnabled, "set MIRRORSCOPE_ABUSE_TESTS=1 (.ci/run does, in a pass of its own)"))
struct ProxyFailureTests {
    static let size = 100 << 20

    /// Byte `i` of the file: a pattern with a period that no buffer size divides, so a body spliced
    /// from the wrong place does not match.
    static func byte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i % 251) }

    @Test func aRealServerKilledMidBodyEndsTheResponseShortAndTheNextRequestGoesToTheBackup() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") else {
            Issue.record("nginx is not installed (.ci/run installs it)")
            return
        }
        // Writing 100 MB and waiting for nginx to listen block: off the cooperative pool (2 threads
        // here), which every other test of the process shares.
        let nginx = try await onThread { Result { try Nginx.start(file: "pub/files/big.bin", size: Self.size, byte: Self.byte) } }.get()
        defer { Thread { nginx.stop() }.start() }
        try await Harness.withFarm(["m0"]) { farm in
            let reals = [
                RealServerConfig(id: "big", url: nginx.url + "pub/", backup: .server("m0")),
                RealServerConfig(id: "m0", url: farm.mirrors[0].url, weight: 0), // the backup takes no new sessions
            ]
            try await Harness.withDirector(Harness.config(reals, mode: .proxy)) { director in
                let port = director.port
                // A client that reads 8 MiB, lets the test kill nginx, then reads to the end.
                let killed = Signal()
                let reading = Task {
                    await onThread { () -> (head: String, body: [UInt8]) in
                        guard let socket = RawSocket(port: port, timeoutSeconds: 20) else { return ("no connection", []) }
                        socket.send("GET /files/big.bin HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                        var (bytes, _) = socket.receive { $0.count >= 8 << 20 }
                        killed.request()
                        killed.waitUntilDone()
                        bytes += socket.receive().bytes
                        guard let end = RawSocket.headEnd(in: bytes) else { return (String(decoding: bytes.prefix(200), as: UTF8.self), []) }
                        return (String(decoding: bytes[..<end], as: UTF8.self), Array(bytes[end...]))
                    }
                }
                try await waitUntil("the client to have read 8 MiB", timeout: .seconds(30)) { killed.isRequested }
                nginx.kill()
                killed.done()
                let (head, body) = await reading.value
                #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
                #expect(head.contains("Content-Length: \(Self.size)") || head.lowercased().contains("content-length: \(Self.size)"), "\(head)")
                #expect(body.count >= 8 << 20 - 4096 && body.count < Self.size, "\(body.count) bytes of \(Self.size)")
                let firstWrong = body.indices.first { body[$0] != Self.byte($0) }
                #expect(firstWrong == nil, "byte \(firstWrong ?? -1) of the body is not the file's")
                print("proxy failure: nginx killed mid-body; the client got \(body.count) of \(Self.size) bytes, all of them the file's")

                // The session that was on the dead server now goes to its backup.
                let cookie = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: ") }
                    .map { String($0.dropFirst("set-cookie: ".count).prefix { $0 != ";" }) }
                let next = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                #expect(next.status == 200)
                #expect(next.headers.first(name: "x-farm-mirror") == "m0")
                #expect(cookie != nil, "no session cookie in \(head)")
            }
        }
    }
}

/// A one-shot hand-off between the reading thread and the test: the reader asks, the test acts
/// and says it is done.
final class Signal: @unchecked Sendable {
    private let condition = NSCondition()
    private var requested = false
    private var finished = false

    var isRequested: Bool { condition.lock(); defer { condition.unlock() }; return requested }

    func request() { condition.lock(); requested = true; condition.unlock() }

    func done() { condition.lock(); finished = true; condition.broadcast(); condition.unlock() }

    /// Waits for `done`, at most 30 s (then the reader goes on, and the test's checks fail).
    func waitUntilDone() {
        let deadline = Date().addingTimeInterval(30)
        condition.lock()
        while !finished && condition.wait(until: deadline) {}
        condition.unlock()
    }
}

/// A real nginx on a free port serving one file of `size` bytes, run in the foreground (no
/// daemon, no master process) so that its pid is the one that serves and can be killed.
final class Nginx: @unchecked Sendable {
    let process: BackgroundProcess
    let directory: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/" }

    private init(process: BackgroundProcess, directory: URL, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    static func start(file: String, size: Int, byte: (Int) -> UInt8) throws -> Nginx {
        let directory = try Harness.temporaryDirectory()
        let path = directory.appendingPathComponent("www/" + file)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Whole periods of the pattern per append (251 × 4 096 bytes), so the 100 MB are quick to make.
        let block = Data((0..<(251 * 4096)).map(byte))
        var contents = Data(capacity: size)
        while contents.count < size { contents.append(block.prefix(size - contents.count)) }
        try contents.write(to: path)
        guard let port = freePort() else { throw TestFailure("no free port") }
        let d = directory.path
        let config = """
            daemon off; master_process off; worker_processes 1; pid \(d)/nginx.pid; error_log \(d)/error.log;
            events { worker_connections 64; }
            http {
                access_log off; client_body_temp_path \(d)/t1; proxy_temp_path \(d)/t2; fastcgi_temp_path \(d)/t3;
                uwsgi_temp_path \(d)/t4; scgi_temp_path \(d)/t5;
                server { listen 127.0.0.1:\(port); root \(d)/www; }
            }
            """
        try config.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = try BackgroundProcess("/usr/sbin/nginx", ["-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log"], directory: d)
        let nginx = Nginx(process: process, directory: directory, port: port)
        let deadline = ContinuousClock.now + .seconds(10)
        while RawSocket(port: port, timeoutSeconds: 1) == nil {
            guard process.isRunning, ContinuousClock.now < deadline else {
                nginx.stop()
                throw TestFailure("nginx did not start: \(process.stderr)")
            }
            usleep(20_000) // polling for the listener, bounded by the deadline above
        }
        return nginx
    }

    func kill() { process.signal(SIGKILL) }

    func stop() {
        process.stop(grace: .seconds(2))
        try? FileManager.default.removeItem(at: directory)
    }
}
