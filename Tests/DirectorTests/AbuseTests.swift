#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// The director under abuse: thousands of slow or idle connections, a process out of descriptors,
/// reloads under a wrk load, a real server killed in the middle of a body. Each test opens
/// thousands of sockets or loads both cores for many seconds, which would disturb the timing
/// tests running beside it, so they run only when MIRRORSCOPE_ABUSE_TESTS=1; `.ci/run` sets it
/// for a pass of its own after the others (`swift test --filter AbuseTests`).
@Suite(.serialized, .enabled(if: abuseTestsEnabled, "set MIRRORSCOPE_ABUSE_TESTS=1 (.ci/run does, in a pass of its own)"))
struct AbuseTests {
    @Test func twoThousandSlowClientsDoNotStopNormalOnesAndAreClosedAtTheHeaderTimeout() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            var config = Harness.config(Harness.reals(farm))
            config.headerTimeout = .seconds(5)
            try await Harness.withDirector(config) { director in
                let port = director.port
                let baseline = await Self.normalRedirects(port: port)
                let clock = ContinuousClock()
                let slow = await onThread { (0..<2000).compactMap { _ in RawSocket(port: port) } }
                let opened = clock.now
                #expect(slow.count == 2000)
                // The attack is under way once the director holds them all (the kernel's accept
                // queue is empty): a connect made while the queue overflows waits for a SYN resend.
                try await waitUntil("the director to accept the 2000 connections", timeout: .seconds(10)) {
                    acceptQueueLength(port: port) == 0
                }
                // One byte of a head a second on each, for as long as the director keeps them.
                let head = Array("GET /files/README.txt HTTP/1.1\r\nHost: h\r\nX-Slow: ".utf8)
                // Each connection keeps its own phase in the second, as independent attackers do
                // (2000 bytes in one burst a second would measure a burst, not slow clients).
                let trickling = Thread {
                    let start = Date()
                    for second in 0..<8 {
                        for (n, socket) in slow.enumerated() {
                            let due = start.addingTimeInterval(Double(second) + Double(n) / Double(slow.count))
                            let wait = due.timeIntervalSinceNow
                            if wait > 0 { Thread.sleep(forTimeInterval: wait) } // the pace of the attack, not a wait for anything
                            socket.send([head[second % head.count]])
                        }
                    }
                }
                trickling.start()
                // Normal clients meanwhile: a fresh connection per redirect, for 3 seconds.
                let latencies = await Self.normalRedirects(port: port)
                print("slow clients: \(latencies.count) normal redirects in 3 s beside 2000 slow connections; "
                      + "median \(latencies.median), p99 \(latencies.p99); alone before: median \(baseline.median), p99 \(baseline.p99)")
                #expect(latencies.count >= 100, "only \(latencies.count) normal requests were answered")
                // 50 ms is the bound; on 2 cores shared with other builds the scheduler alone can
                // exceed it, so the bound grows to twice what the same clients saw with no slow
                // clients around (measured just before, on the same machine, in the same test).
                #expect(latencies.p99 < max(.milliseconds(50), baseline.p99 * 2), "p99 \(latencies.p99), baseline p99 \(baseline.p99)")
                #expect(latencies.median < .milliseconds(20))
                #expect(slow.filter(\.peerClosed).count == 0 || clock.now - opened >= .seconds(4), "slow connections closed before the header timeout")
                try await waitUntil("the slow connections to be closed", timeout: .seconds(12)) { slow.allSatisfy(\.peerClosed) }
                let closedAfter = clock.now - opened
                print("slow clients: all 2000 closed \(closedAfter) after they connected (header_timeout 5 s)")
                #expect(closedAfter >= .seconds(4) && closedAfter < .seconds(9))
            }
        }
    }

    /// Redirects from fresh connections, one after another for `seconds`: their latencies.
    static func normalRedirects(port: Int, seconds: Int = 3) async -> Latencies {
        await onThread {
            var out: [Duration] = []
            let end = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < end {
                let start = ContinuousClock.now
                guard let socket = RawSocket(port: port),
                      socket.statusLine(of: "GET /files/README.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n") == "HTTP/1.1 302 Found"
                else { continue }
                out.append(ContinuousClock.now - start)
            }
            return Latencies(out)
        }
    }

    @Test func outOfDescriptorsItKeepsAcceptingAsTheyFreeUpAndLogsOnceASecond() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            let served = try ServedDirector(farm: farm, extra: "header_timeout = \"3s\"\n", descriptorLimit: 256)
            defer { served.stop() }
            let port = try await served.port()
            let clock = ContinuousClock()
            let started = clock.now
            // 1000 clients against 256 descriptors: most wait in the accept queue or are refused.
            let clients = await onThread { (0..<1000).compactMap { _ in RawSocket(port: port, timeoutSeconds: 1) } }
            try await waitUntil("the director to say it is out of descriptors", timeout: .seconds(10)) {
                served.process.stderr.contains("out of file descriptors")
            }
            for client in clients { client.shut() }
            // It never exits, and serves again once the connections are gone.
            let answer = try await waitFor("a redirect once descriptors are free", timeout: .seconds(15)) { () -> String? in
                let status = await onThread { RawSocket(port: port)?.statusLine(of: "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n") }
                return status == "HTTP/1.1 302 Found" ? status : nil
            }
            #expect(answer == "HTTP/1.1 302 Found")
            #expect(served.process.isRunning)
            let seconds = Int((clock.now - started).components.seconds) + 1
            let lines = served.process.stderr.split(separator: "\n").filter { $0.contains("cannot accept connections") }.count
            print("descriptors: \(clients.count) clients connected under ulimit -n 256; \(lines) log lines in \(seconds) s")
            #expect(lines >= 1 && lines <= seconds, "\(lines) log lines in \(seconds) s")
        }
    }

    @Test func twentyReloadsDuringAWrkRunLoseNoRequest() async throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("wrk is not installed (.ci/run installs it)")
            return
        }
        try await Harness.withFarm(["m0", "m1"]) { farm in
            let served = try ServedDirector(farm: farm, extra: "admin_token = \"\(Harness.adminToken)\"\n")
            defer { served.stop() }
            let port = try await served.port()
            async let run = ProcessRunner.run(wrk, ["-t2", "-c32", "-d20s", "http://127.0.0.1:\(port)/files/README.txt"],
                                              timeout: .seconds(60))
            for n in 1...20 {
                try await Task.sleep(for: .seconds(1)) // paces the reloads across the run
                try served.writeConfig(weightOfM1: n % 2 + 1)
                served.process.signal(SIGHUP)
            }
            let report = try await run
            print("reloads: wrk beside 20 SIGHUPs:\n\(report.stdout)")
            #expect(report.status == 0)
            #expect(report.stdout.contains("requests in"))
            #expect(!report.stdout.contains("Socket errors"), "\(report.stdout)")
            #expect(!report.stdout.contains("Non-2xx or 3xx"), "\(report.stdout)")
            #expect(served.process.isRunning)
            // The reloads took: the last file written (m1's weight 1) is what the director runs.
            let reals = try await TestHTTPClient.get("http://127.0.0.1:\(port)/-/admin/real",
                                                     headers: [("Authorization", "Bearer \(Harness.adminToken)")])
            #expect(reals.text.contains("\"weight\":1") || reals.text.contains("\"weight\" : 1"), "\(reals.text)")
            #expect(!served.process.stderr.contains("reload failed"), "\(served.process.stderr)")
        }
    }

    @Test func tenThousandIdleConnectionsCostLittleMemory() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            let served = try ServedDirector(farm: farm, extra: "header_timeout = \"120s\"\n")
            defer { served.stop() }
            let port = try await served.port()
            let before = try #require(memoryKiB(pid: served.process.pid))
            let idle = await onThread { (0..<10_000).compactMap { _ in RawSocket(port: port) } }
            #expect(idle.count == 10_000)
            // Every connection accepted (one request answered after them all shows the queue is drained).
            let status = await onThread { RawSocket(port: port)?.statusLine(of: "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n") }
            #expect(status == "HTTP/1.1 302 Found")
            let after = try #require(memoryKiB(pid: served.process.pid))
            print("idle connections: director RSS \(before.rss) KiB before, \(after.rss) KiB with 10 000 idle connections, peak \(after.peak) KiB")
            #expect(after.peak < 200 * 1024)
            #expect(idle.allSatisfy { !$0.peerClosed })
        }
    }
}

/// `mirrorscope serve` from the built binary, in front of a farm, on a port of its own choosing.
final class ServedDirector: @unchecked Sendable {
    let process: BackgroundProcess
    let directory: URL
    let farm: Farm
    let extra: String

    init(farm: Farm, extra: String = "", descriptorLimit: Int? = nil) throws {
        self.farm = farm
        self.extra = extra
        directory = try Harness.temporaryDirectory()
        let binary = try BuiltBinary.path()
        try Self.config(farm: farm, extra: extra, weightOfM1: 1).write(to: directory.appendingPathComponent("director.toml"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("director.toml").path
        if let descriptorLimit {
            process = try BackgroundProcess("/bin/sh", ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" serve --config \"$1\"", binary, config],
                                            directory: directory.path)
        } else {
            process = try BackgroundProcess(binary, ["serve", "--config", config], directory: directory.path)
        }
    }

    static func config(farm: Farm, extra: String, weightOfM1: Int) -> String {
        var text = "listen = \"127.0.0.1:0\"\nsecret = \"\(Harness.secret)\"\naccess_log = \"off\"\nthreads = 2\n" + extra
        for mirror in farm.mirrors {
            text += "\n[[real]]\nid = \"\(mirror.spec.id)\"\nurl = \"\(mirror.url)\"\nweight = \(mirror.spec.id == "m1" ? weightOfM1 : 1)\n"
        }
        return text
    }

    func writeConfig(weightOfM1: Int) throws {
        try Self.config(farm: farm, extra: extra, weightOfM1: weightOfM1)
            .write(to: directory.appendingPathComponent("director.toml"), atomically: true, encoding: .utf8)
    }

    /// The port it printed on stdout once listening.
    func port() async throws -> Int {
        try await waitFor("the director to print its URL", timeout: .seconds(20)) { () -> Int? in
            guard process.isRunning else { throw TestFailure("the director exited: \(process.stderr)") }
            guard let line = process.stdout.split(separator: "\n").first(where: { $0.hasPrefix("http://127.0.0.1:") }) else { return nil }
            return Int(line.dropFirst("http://127.0.0.1:".count).prefix { $0.isNumber })
        }
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct Latencies: Sendable {
    let sorted: [Duration]
    init(_ samples: [Duration]) { sorted = samples.sorted() }
    var count: Int { sorted.count }
    var median: Duration { sorted.isEmpty ? .seconds(99) : sorted[sorted.count / 2] }
    var p99: Duration { sorted.isEmpty ? .seconds(99) : sorted[min(sorted.count - 1, sorted.count * 99 / 100)] }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
