import MirrorscopeCore
import Testing

/// Two mirrors must never look alike on the screen: names that collide show enough of the URL.
@Suite("display names")
struct DisplayNameTests {
    static func names(_ urls: [String], names: [String?]? = nil) -> [String] {
        DisplayNames.of(urls.enumerated().map { i, url in
            Mirror(id: "m\(i)", url: url, name: names?[i], pageOrder: i)
        })
    }

    @Test func distinctNamesAndHostsStayAsTheyAre() {
        #expect(Self.names(["https://fra.example.org/pub/", "http://par.example.org:8080/pub/"]) == ["fra.example.org", "par.example.org"])
        #expect(Self.names(["http://127.0.0.1:8001/pub/", "http://127.0.0.1:8002/pub/"], names: ["Paris", "Oslo"]) == ["Paris", "Oslo"])
    }

    @Test func oneHostOnTwoPortsShowsTheirPorts() {
        #expect(Self.names(["http://127.0.0.1:8001/pub/", "http://127.0.0.1:8002/pub/", "http://other.example/"])
                == ["127.0.0.1:8001", "127.0.0.1:8002", "other.example"])
        #expect(Self.names(["http://[::1]:8001/", "http://[::1]:8002/"]) == ["[::1]:8001", "[::1]:8002"])
    }

    @Test func oneHostAndPortShowsThePathToo() {
        #expect(Self.names(["http://127.0.0.1:8001/debian/", "http://127.0.0.1:8001/ubuntu/"])
                == ["127.0.0.1:8001/debian/", "127.0.0.1:8001/ubuntu/"])
        // The whole group moves to the level that tells all of it apart.
        #expect(Self.names(["http://h:1/a/", "http://h:1/b/", "http://h:2/a/"]) == ["h:1/a/", "h:1/b/", "h:2/a/"])
        #expect(Self.names(["http://h.example/a/", "http://h.example/b/"]) == ["h.example/a/", "h.example/b/"])
    }

    @Test func onlyTheSchemeDiffersShowsTheWholeURL() {
        #expect(Self.names(["http://h.example/pub/", "https://h.example/pub/"]) == ["http://h.example/pub/", "https://h.example/pub/"])
    }

    @Test func namesThePageRepeatsKeepTheNameAndAddTheURL() {
        #expect(Self.names(["https://a.example/", "https://b.example/"], names: ["Mirror", "Mirror"])
                == ["Mirror (a.example)", "Mirror (b.example)"])
    }

    /// The names as a user sees them: rows, the fastest's notice, the using screen.
    @Test func theScreenTellsTwoMirrorsOnOneHostApart() {
        let page = Page(source: "http://127.0.0.1:8000/", mirrors: [
            Mirror(id: "a", url: "http://127.0.0.1:8001/pub/", pageOrder: 0),
            Mirror(id: "b", url: "http://127.0.0.1:8002/pub/", pageOrder: 1),
        ], probe: ProbeSettings(path: "probe.bin", samples: 1), links: [PageLink(text: "README", path: "README.txt")])
        var state = AppState(page: page, width: 80, height: 24, options: Fixtures.options)
        _ = update(&state, .start)
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("a", [40]))))
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("b", [20]))))
        _ = update(&state, .roundFinished(round: 1))
        var grid = render(state)
        #expect(grid.rowText(2).hasPrefix("▶ 127.0.0.1:8002 "), "\(grid.rowText(2))")
        #expect(grid.rowText(3).hasPrefix("  127.0.0.1:8001 "), "\(grid.rowText(3))")
        #expect(state.notice?.text.hasPrefix("Fastest: 127.0.0.1:8002 (http://127.0.0.1:8002/pub/)") == true)
        _ = update(&state, .key(.enter))
        grid = render(state)
        #expect(grid.rowText(0).hasPrefix(" Mirrorscope  using 127.0.0.1:8002  http://127.0.0.1:8002/pub/"), "\(grid.rowText(0))")
        #expect(state.notice?.text.hasPrefix("Using 127.0.0.1:8002 —") == true)
    }
}
