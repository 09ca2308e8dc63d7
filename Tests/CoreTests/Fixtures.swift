import MirrorscopeCore

/// States used by the update and snapshot tests: a page of six mirrors with a known outcome.
enum Fixtures {
    static let mirrors: [Mirror] = [
        Mirror(id: "fra", url: "https://fra.example.org/pub/", name: "Frankfurt", location: "de", priority: 1, pageOrder: 0),
        Mirror(id: "par", url: "https://par.example.org/pub/", name: "Paris", location: "fr", pageOrder: 1),
        Mirror(id: "ams", url: "http://ams.example.org/mirror/", name: "Amsterdam", location: "nl", pageOrder: 2),
        Mirror(id: "lon", url: "http://lon.example.org/", name: "London", location: "gb", pageOrder: 3),
        Mirror(id: "tok", url: "http://tok.example.org/", name: "Tokyo", location: "jp", pageOrder: 4),
        Mirror(id: "syd", url: "http://syd.example.org/", name: "Sydney", location: "au", pageOrder: 5),
    ]

    static let page = Page(source: "https://downloads.example.org/", url: "https://downloads.example.org/",
                           title: "Example 1.0 downloads", mirrors: mirrors,
                           probe: ProbeSettings(path: "probe.bin", samples: 3),
                           links: [PageLink(text: "README", path: "files/README.txt"),
                                   PageLink(text: "example-1.0.tar.gz", path: "files/example-1.0.tar.gz"),
                                   PageLink(text: "All files", path: "files/")])

    static let options = UIOptions(bell: false, unicode: true,
                                   clientSummary: "User-Agent mirrorscope/0.1.0 (Linux 6.1.0; x86_64), platform Linux 6.1.0")

    static func sample(_ ttfb: Double, connect: Double = 1, tls: Double? = nil) -> ProbeSample {
        ProbeSample(dnsMs: 0.2, connectMs: connect, tlsMs: tls, ttfbMs: ttfb, status: 200)
    }

    static func ok(_ id: String, _ ttfb: [Double], tls: Double? = nil) -> MirrorReport {
        MirrorReport(mirrorID: id, samples: ttfb.map { sample($0, tls: tls) }, failure: nil,
                     sentHeaders: [HeaderField("User-Agent", "mirrorscope/0.1.0 (Linux 6.1.0; x86_64)")])
    }

    static func failed(_ id: String, _ kind: ProbeFailureKind, _ reason: String) -> MirrorReport {
        MirrorReport(mirrorID: id, samples: [], failure: ProbeFailure(kind, reason))
    }

    /// A session at the start of round 1.
    static func started(width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(page: page, width: width, height: height, options: options)
        _ = update(&state, .start)
        return state
    }

    /// Round 1 part-way: three answered, one failed, one probing, one waiting.
    static func midRound(width: Int = 80, height: Int = 24) -> AppState {
        var state = started(width: width, height: height)
        for msg: Msg in [
            .probe(round: 1, .started(mirrorID: "fra")), .probe(round: 1, .finished(ok("fra", [22, 23, 25], tls: 4))),
            .probe(round: 1, .started(mirrorID: "par")), .probe(round: 1, .finished(ok("par", [40, 41, 39], tls: 5))),
            .probe(round: 1, .started(mirrorID: "ams")), .probe(round: 1, .finished(failed("ams", .refused, "connection refused"))),
            .probe(round: 1, .started(mirrorID: "lon")), .probe(round: 1, .finished(ok("lon", [120, 118, 130]))),
            .probe(round: 1, .started(mirrorID: "tok")), .probe(round: 1, .sample(mirrorID: "tok", sample(250))),
        ] {
            _ = update(&state, msg)
        }
        return state
    }

    /// Round 1 complete: Sydney timed out, Tokyo answered slowly. Sydney's connection began at
    /// 300 ms, so when Tokyo finished (780 ms) nobody could beat Frankfurt: decided then.
    static func roundDone(width: Int = 80, height: Int = 24) -> AppState {
        var state = midRound(width: width, height: height)
        _ = update(&state, .probe(round: 1, .started(mirrorID: "syd"), atMs: 300))
        _ = update(&state, .probe(round: 1, .connected(mirrorID: "syd", transportMs: 0), atMs: 300))
        _ = update(&state, .probe(round: 1, .finished(ok("tok", [250, 260, 255])), atMs: 780))
        _ = update(&state, .probe(round: 1, .finished(failed("syd", .timeout, "timeout after 3000 ms (first byte)")), atMs: 3300))
        _ = update(&state, .roundFinished(round: 1, atMs: 3301))
        return state
    }

    /// Round 1 at 90 ms, decided: Paris finished first (33 ms), then Frankfurt (28 ms) while
    /// London, Tokyo and Sydney were still on their first samples, well past 28 ms. Paris's
    /// fastest sample (30 ms) is no faster than Frankfurt's slowest (30 ms): a near tie.
    static func decidedNearTie(width: Int = 80, height: Int = 24) -> AppState {
        var state = started(width: width, height: height)
        for id in ["fra", "par", "ams", "lon", "tok", "syd"] {
            _ = update(&state, .probe(round: 1, .started(mirrorID: id), atMs: 1))
            if id != "ams" { _ = update(&state, .probe(round: 1, .connected(mirrorID: id, transportMs: 0), atMs: 1)) }
        }
        for msg: Msg in [
            .probe(round: 1, .finished(failed("ams", .refused, "connection refused")), atMs: 2),
            .probe(round: 1, .sample(mirrorID: "fra", sample(22, tls: 4)), atMs: 28),
            .probe(round: 1, .connected(mirrorID: "fra", transportMs: 0), atMs: 29),
            .probe(round: 1, .sample(mirrorID: "fra", sample(23, tls: 4)), atMs: 57),
            .probe(round: 1, .connected(mirrorID: "fra", transportMs: 0), atMs: 58),
            .probe(round: 1, .sample(mirrorID: "lon", sample(118)), atMs: 60),
            .probe(round: 1, .connected(mirrorID: "lon", transportMs: 0), atMs: 60),
            .probe(round: 1, .finished(ok("par", [24, 27, 31], tls: 5)), atMs: 85),
            .probe(round: 1, .finished(ok("fra", [22, 23, 25], tls: 4)), atMs: 90),
        ] {
            _ = update(&state, msg)
        }
        return state
    }

    /// A round whose probes went through a proxy (credentials shown as `user:***`), one mirror
    /// failing at the proxy; the detail pane open on the fastest.
    static func throughProxy(width: Int = 80, height: Int = 24) -> AppState {
        var options = options
        options.via = "proxy.corp:3128"
        var state = AppState(page: page, width: width, height: height, options: options)
        _ = update(&state, .start)
        let route = ProbeSample.Route(address: "10.0.0.3", family: "ipv4", proxy: "http://alice:***@proxy.corp:3128", proxyConnectMs: 2.5)
        func via(_ tunnel: Double, _ ttfb: Double) -> ProbeSample {
            ProbeSample(dnsMs: 0.4, connectMs: tunnel, tlsMs: 9, ttfbMs: ttfb, status: 200, route: route)
        }
        _ = update(&state, .probe(round: 1, .finished(failed("syd", .proxy, "proxy: tunnel refused (403)")), atMs: 5))
        for (id, tunnel, ttfb) in [("fra", 11.0, 20.0), ("par", 18.0, 30.0), ("ams", 24.0, 41.0), ("lon", 30.0, 52.0), ("tok", 120.0, 240.0)] {
            _ = update(&state, .probe(round: 1, .finished(MirrorReport(mirrorID: id, samples: [via(tunnel, ttfb), via(tunnel + 1, ttfb + 2)], failure: nil)),
                                      atMs: 2 * (tunnel + ttfb + 12)))
        }
        _ = update(&state, .roundFinished(round: 1, atMs: 800))
        _ = keys(&state, .char("d"))
        return state
    }

    static func keys(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }
}
