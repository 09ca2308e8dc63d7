import MirrorscopeCore
import Testing

@Suite("grid, bars and diff")
struct GridTests {
    @Test func putClipsAndHandlesWideCharacters() {
        var grid = Grid(width: 6, height: 2)
        #expect(grid.put("東京x", x: 1, y: 0) == 5)
        #expect(grid.rowText(0) == " 東京x")
        #expect(grid[2, 0].text == "", "the right half of a wide character")
        #expect(grid.put("abcdef", x: 4, y: 1) == 2, "clipped at the edge")
        #expect(grid.put("東", x: 5, y: 0) == 0, "a wide character that does not fit is not drawn")
        #expect(grid.put("x", x: 0, y: 9) == 0, "outside the grid")
    }

    @Test func barsUseEighthBlocks() {
        #expect(Bar.text(fraction: 1, width: 4, glyphs: .unicode) == "████")
        #expect(Bar.text(fraction: 0.5, width: 3, glyphs: .unicode) == "█▌")
        #expect(Bar.text(fraction: 0.0, width: 10, glyphs: .unicode) == "▏", "any answer is visible")
        #expect(Bar.text(fraction: 1.0 / 3.0, width: 3, glyphs: .unicode) == "█")
        #expect(Bar.text(fraction: 0.5, width: 3, glyphs: .ascii) == "#=")
        #expect(Bar.role(fraction: 0.2) == .barFast)
        #expect(Bar.role(fraction: 0.5) == .barMedium)
        #expect(Bar.role(fraction: 0.9) == .barSlow)
    }

    @Test func diffReportsOnlyChangedCells() {
        var a = Grid(width: 10, height: 3)
        a.put("hello", x: 0, y: 0)
        var b = a
        b.put("J", x: 0, y: 0)
        b.put("!", x: 9, y: 2, style: Style(.failed))
        let changes = GridDiff.changes(from: a, to: b)
        #expect(changes.map { [$0.x, $0.y] } == [[0, 0], [9, 2]])
        #expect(changes[1].cell.style.fg == .failed)
        #expect(GridDiff.changes(from: b, to: b).isEmpty)
        #expect(GridDiff.changes(from: nil, to: b).count == 30, "the first frame paints everything")
        #expect(GridDiff.changes(from: Grid(width: 5, height: 3), to: b).count == 30, "a resize paints everything")
    }

    @Test func aCellBecomingTheRightHalfOfAnUnchangedWideCharacterRepaintsThatCharacter() {
        // A border drawn over the right half of "東" (a box closing), then taken away.
        var before = Grid(width: 6, height: 1)
        before.put("東京", x: 0, y: 0)
        var after = before
        before.put("│", x: 1, y: 0)
        after.put("東京", x: 0, y: 0)
        #expect(after[0, 0].text == "東" && after[1, 0].text == "")
        let changes = GridDiff.changes(from: before, to: after)
        #expect(changes.map(\.x) == [0, 1], "the wide character is painted again, not only its empty right half")
        #expect(changes[0].cell.text == "東")
    }
}

@Suite("ranking")
struct RankingTests {
    @Test func rankOrdersByMedianThenPageOrderFailedLast() {
        let reports = [
            Fixtures.failed("a", .refused, "refused"),
            Fixtures.ok("b", [50, 10, 12]),   // median 12 + connect 1 = 13
            Fixtures.ok("c", [13, 13, 11]),   // median 14
            Fixtures.ok("d", [12, 12, 12]),   // median 13, later on the page than b
        ]
        let order = ["a": 0, "b": 1, "c": 2, "d": 3]
        #expect(Ranking.rank(reports, pageOrder: order).map(\.mirrorID) == ["b", "d", "c", "a"])
    }

    @Test func medianAndPhases() {
        let report = MirrorReport(mirrorID: "x", samples: [
            ProbeSample(dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 10, status: 200),
            ProbeSample(dnsMs: 1, connectMs: 4, tlsMs: 5, ttfbMs: 30, status: 200),
        ], failure: nil)
        #expect(report.ms == 27, "median of 15 and 39")
        #expect(report.tlsMs == 4)
        #expect(Statistics.median([]) == nil)
        #expect(MirrorReport(mirrorID: "y", samples: report.samples, failure: ProbeFailure(.http, "HTTP 503")).ms == nil,
                "a failed mirror has no ranking figure")
    }
}

@Suite("client information")
struct ClientInfoTests {
    let info = ClientInfo(version: "0.1.0", platform: "Linux", platformVersion: "6.1.0", architecture: "x86_64", hostname: "box")

    @Test func basicHeadersAlways() {
        let headers = info.headers(requested: [], localAddress: "127.0.0.1")
        #expect(headers == [HeaderField("User-Agent", "mirrorscope/0.1.0 (Linux 6.1.0; x86_64)"),
                            HeaderField("Sec-CH-UA-Platform", "\"Linux\""),
                            HeaderField("Sec-CH-UA-Platform-Version", "\"6.1.0\"")])
    }

    @Test func hostNameAndAddressOnlyWhenAskedAndAllowed() {
        let asked: Set<ClientInfoField> = [.hostname, .localAddress]
        #expect(info.headers(requested: asked, localAddress: "10.0.0.2").map(\.name).suffix(2) == ["X-Client-Hostname", "X-Client-Address"])
        var basic = info
        basic.policy = .basic
        #expect(!basic.headers(requested: asked, localAddress: "10.0.0.2").contains { $0.name.hasPrefix("X-Client") })
        var none = info
        none.policy = .none
        #expect(none.headers(requested: asked, localAddress: "10.0.0.2") == [HeaderField("User-Agent", "mirrorscope")])
        #expect(info.summary(requested: asked).contains("host name box"))
    }
}

@Suite("keymap and themes")
struct KeymapTests {
    @Test func everyActionHasAKeyAndNoKeyIsBoundTwiceInAContext() {
        for action in Action.allCases {
            #expect(Keymap.bindings.contains { $0.action == action }, "\(action) has no key")
        }
        for context in [KeyContext.mirrors, .using, .confirm, .downloads] {
            let keys = Keymap.bindings(in: context).flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "a key bound twice in \(context)")
        }
    }

    @Test func theHelpOverlayListsEveryBindingOfTheScreen() {
        var state = Fixtures.roundDone(width: 120, height: 40)
        _ = Fixtures.keys(&state, .char("?"))
        let text = render(state).text
        for binding in Keymap.bindings(in: .mirrors) {
            #expect(text.contains(binding.label), "help is missing the keys \(binding.label)")
            if !binding.isMovement || binding.action == .pageUp {
                #expect(text.contains(binding.help), "help is missing \(binding.help)")
            }
        }
    }

    @Test func colorsParseAndDegrade() {
        #expect(ThemeColor(parsing: "bright-red") == .indexed(9))
        #expect(ThemeColor(parsing: "#ff0000")?.paletteIndex(colors: 256) == 196)
        #expect(ThemeColor(parsing: "#ff0000")?.paletteIndex(colors: 8) == 1)
        #expect(ThemeColor(parsing: "238")?.paletteIndex(colors: 8) == 0)
        #expect(ThemeColor(parsing: "default")?.paletteIndex(colors: 256) == nil)
        #expect(ThemeColor(parsing: "purple") == nil)
    }
}
