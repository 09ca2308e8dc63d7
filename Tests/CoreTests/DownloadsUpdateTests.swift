import MirrorscopeCore
import Testing

/// `w` starts a download and returns at once; the runtime's messages move its entry; the
/// downloads pane's keys select, cancel, close; the demo's X stops a mirror.
@Suite("update: downloads")
struct DownloadsUpdateTests {
    /// Paris chosen after round 1 (Frankfurt 23 ms, Paris 40, London 120, Tokyo 255; Amsterdam
    /// and Sydney failed), its links listed.
    static func using(demo: Bool = false) -> AppState {
        var state = Fixtures.roundDone()
        state.options.canStopMirrors = demo
        _ = Fixtures.keys(&state, .down, .enter)
        return state
    }

    static func order(_ effects: [Effect]) -> DownloadOrder? {
        guard effects.count == 1, case .startDownload(let order) = effects[0] else { return nil }
        return order
    }

    @Test func wStartsADownloadThroughTheChosenMirrorWithTheRankingBehindIt() throws {
        var state = Self.using()
        _ = Fixtures.keys(&state, .down)  // the tarball
        let order = try #require(Self.order(Fixtures.keys(&state, .char("w"))))
        #expect(order.path == "files/example-1.0.tar.gz")
        #expect(order.fileName == "example-1.0.tar.gz")
        #expect(order.folder == ".")
        // The chosen mirror first, then the others that answered, best first; never the failed.
        #expect(order.mirrors.map(\.name) == ["Paris", "Frankfurt", "London", "Tokyo"])
        #expect(order.mirrors.first?.url == "https://par.example.org/pub/")
        // It returns at once: the links stay usable, nothing is pending, the entry is listed.
        #expect(state.browser.pending == nil)
        #expect(state.screen == .using && !state.showDownloads)
        #expect(state.downloads.count == 1 && state.downloads[0].isActive)
        #expect(state.downloads[0].stateText == "starting")
        #expect(state.notice?.text.contains("Downloading example-1.0.tar.gz from Paris") == true)
        // Moving and opening still work while it runs.
        _ = Fixtures.keys(&state, .up)
        #expect(Fixtures.keys(&state, .enter).count == 1)
    }

    @Test func thePagesSumsLinksAndMetalinkFactsGoWithTheOrder() throws {
        var page = Fixtures.page
        page.links.append(PageLink(text: "SHA256SUMS", path: "files/SHA256SUMS"))
        page.files = [FileFacts(name: "files/example-1.0.tar.gz", size: 10, hashes: ["sha-256": String(repeating: "a", count: 64)])]
        var state = AppState(page: page, options: Fixtures.options)
        _ = update(&state, .start)
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("fra", [20]))))
        _ = Fixtures.keys(&state, .enter, .down)
        let order = try #require(Self.order(Fixtures.keys(&state, .char("w"))))
        #expect(order.sumsPaths == ["files/SHA256SUMS"])
        #expect(order.facts?.hashes["sha-256"] == String(repeating: "a", count: 64))
        #expect(order.mirrors.map(\.name) == ["Frankfurt"])
    }

    @Test func aFileStillDownloadingIsNotStartedTwiceAndSeveralRunAtOnce() throws {
        var state = Self.using()
        #expect(Self.order(Fixtures.keys(&state, .char("w"))) != nil)
        #expect(Fixtures.keys(&state, .char("w")).isEmpty)
        #expect(state.notice?.text.contains("already downloading") == true)
        _ = Fixtures.keys(&state, .down)
        #expect(Self.order(Fixtures.keys(&state, .char("w")))?.id == 2)
        #expect(state.downloads.filter(\.isActive).count == 2)
        #expect(state.notice?.text.contains("2 running") == true)
    }

    @Test func progressMovesTheEntryAndTheEndSaysVerified() throws {
        var state = Self.using()
        let order = try #require(Self.order(Fixtures.keys(&state, .char("w"))))
        let moving = DownloadProgress(fileName: "README.txt", bytes: 500, total: 2000, bytesPerSecond: 1e6, etaSeconds: 2,
                                      mirrors: ["Frankfurt"], state: .downloading, note: "moved to Frankfurt (Paris failed)")
        _ = update(&state, .downloadProgress(id: order.id, moving))
        #expect(state.downloads[0].progress == moving)
        #expect(state.downloads[0].stateText == "downloading; moved to Frankfurt (Paris failed)")
        #expect(downloadsSummary(state) == "1 download · 1.00 MB/s")
        _ = update(&state, .downloadProgress(id: 99, DownloadProgress(fileName: "x")))  // unknown: ignored
        var done = moving
        done.bytes = 2000
        done.state = .verified(algorithm: "sha256")
        _ = update(&state, .downloadEnded(DownloadEnd(id: order.id, progress: done, path: "./README.txt")))
        #expect(!state.downloads[0].isActive)
        #expect(state.downloads[0].stateText.hasPrefix("verified sha256"))
        #expect(state.notice?.kind == .success && state.notice?.text.contains("verified sha256") == true)
        #expect(downloadsSummary(state) == nil)
        // A late tick after the end changes nothing.
        _ = update(&state, .downloadProgress(id: order.id, moving))
        #expect(state.downloads[0].progress == done)
    }

    @Test func aHashMismatchIsAnErrorThatKeepsThePartFile() throws {
        var state = Self.using()
        let order = try #require(Self.order(Fixtures.keys(&state, .char("w"))))
        _ = update(&state, .downloadEnded(DownloadEnd(id: order.id, progress: DownloadProgress(fileName: "README.txt", bytes: 10, state: .hashMismatch(algorithm: "sha256")),
                                                      path: "./README.txt.part")))
        #expect(state.downloads[0].stateText == "hash mismatch")
        #expect(state.notice?.kind == .error && state.notice?.text.contains("kept as ./README.txt.part") == true)
    }

    @Test func theDownloadsPaneOpensClosesSelectsAndCancels() throws {
        var state = Self.using()
        _ = Fixtures.keys(&state, .char("w"), .down, .char("w"))
        #expect(Fixtures.keys(&state, .char("D")).isEmpty)
        #expect(state.showDownloads && state.keyContext == .downloads)
        #expect(state.downloadCursor == 1)
        _ = Fixtures.keys(&state, .up, .up)
        #expect(state.downloadCursor == 0)
        #expect(Fixtures.keys(&state, .char("c")) == [.cancelDownload(id: 1)])
        #expect(state.downloads[0].stateText == "cancelling…")
        #expect(Fixtures.keys(&state, .char("c")).isEmpty, "asked once")
        _ = update(&state, .downloadEnded(DownloadEnd(id: 1, progress: DownloadProgress(fileName: "README.txt", bytes: 10, state: .failed("cancelled")),
                                                      path: "./README.txt.part", cancelled: true)))
        #expect(state.downloads[0].stateText == "cancelled (kept as README.txt.part)")
        #expect(!state.downloads[0].isActive && state.downloads[1].isActive)
        // Esc goes back (it does not quit), and so does D.
        #expect(Fixtures.keys(&state, .escape).isEmpty)
        #expect(!state.showDownloads && state.screen == .using && !state.finished)
        _ = Fixtures.keys(&state, .char("D"), .char("D"))
        #expect(!state.showDownloads)
        // w again on the cancelled file starts it again (the runtime resumes its part file).
        _ = Fixtures.keys(&state, .home)
        #expect(Self.order(Fixtures.keys(&state, .char("w")))?.path == "files/README.txt")
        // It takes the cancelled one's row.
        #expect(state.downloads.count == 2 && state.downloads[0].isActive && state.downloads[0].order.id == 3)
    }

    @Test func qInThePaneStillQuits() {
        var state = Self.using()
        _ = Fixtures.keys(&state, .char("D"))
        let effects = Fixtures.keys(&state, .char("q"))
        #expect(state.finished)
        #expect(effects == [.quit(chosenURL: "https://par.example.org/pub/")])
    }

    @Test func xStopsTheServingMirrorOnlyInTheDemo() throws {
        var plain = Self.using()
        _ = Fixtures.keys(&plain, .char("w"), .char("D"))
        #expect(Fixtures.keys(&plain, .char("X")).isEmpty)

        var state = Self.using(demo: true)
        let order = try #require(Self.order(Fixtures.keys(&state, .char("w"))))
        _ = Fixtures.keys(&state, .char("D"))
        #expect(Fixtures.keys(&state, .char("X")) == [.stopMirror(url: "https://par.example.org/pub/", name: "Paris")])
        // Once it moved, X names the mirror serving it now.
        _ = update(&state, .downloadProgress(id: order.id, DownloadProgress(fileName: "README.txt", mirrors: ["Frankfurt"], state: .downloading)))
        #expect(Fixtures.keys(&state, .char("X")) == [.stopMirror(url: "https://fra.example.org/pub/", name: "Frankfurt")])
        _ = update(&state, .mirrorStopped(name: "Frankfurt", error: nil))
        #expect(state.notice?.text.contains("its downloads move to the next mirror") == true)
        // In the mirror list, X stops the highlighted mirror.
        _ = Fixtures.keys(&state, .escape, .char("m"))
        #expect(Fixtures.keys(&state, .char("X")) == [.stopMirror(url: "https://par.example.org/pub/", name: "Paris")])
    }

    @Test func theDemoKeyIsInTheHelpAndFooterOnlyInTheDemo() {
        var plain = Self.using()
        _ = Fixtures.keys(&plain, .char("w"), .char("D"))
        #expect(!render(plain).text.contains("stop mirror"))
        var demo = Self.using(demo: true)
        _ = Fixtures.keys(&demo, .char("w"), .char("D"))
        #expect(render(demo).text.contains("X stop mirror (demo)"))
        _ = Fixtures.keys(&demo, .char("?"))
        #expect(render(demo).text.contains("demo: stop the highlighted mirror"))
    }
}
