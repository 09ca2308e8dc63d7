import MirrorscopeCore
import TestSupport
import Testing

/// The downloads pane as a user sees it, at 80×24 and 120×40 (RECORD_SNAPSHOTS=1 re-records).
@Suite("render: the downloads pane")
struct DownloadsSnapshotTests {
    func check(_ state: AppState, _ name: String) {
        let text = GridSnapshot.text(render(state))
        let mismatch = SnapshotFile.verify(text, named: name)
        #expect(mismatch == nil, Comment(rawValue: mismatch ?? ""))
    }

    /// Five downloads in every state: one moving after its mirror failed, one just started,
    /// one verified, one with a hash mismatch, one cancelled; the demo's X available.
    static func fiveDownloads(width: Int, height: Int) -> AppState {
        var state = DownloadsUpdateTests.using(demo: true)
        state.width = width
        state.height = height
        state.page.links = ["README.txt", "example-1.0.tar.gz", "broken.bin", "big.iso", "SHA256SUMS"].map {
            PageLink(text: $0, path: "files/" + $0)
        }
        state.browser.stack[0].entries = state.page.links
        for _ in 0..<5 {
            _ = Fixtures.keys(&state, .char("w"), .down)
        }
        let mib: Int64 = 1 << 20
        _ = update(&state, .downloadProgress(id: 1, DownloadProgress(fileName: "README.txt", bytes: 27 * mib, total: 64 * mib, bytesPerSecond: 3.1e6,
                                                                     etaSeconds: 12.4, mirrors: ["Frankfurt"], state: .downloading,
                                                                     note: "moved to Frankfurt (Paris failed)")))
        _ = update(&state, .downloadProgress(id: 2, DownloadProgress(fileName: "example-1.0.tar.gz", bytes: 0, mirrors: ["Paris"], state: .starting)))
        _ = update(&state, .downloadEnded(DownloadEnd(id: 3, progress: DownloadProgress(fileName: "broken.bin", bytes: 0, state: .failed("HTTP 404 on every mirror")), path: "./broken.bin.part")))
        _ = update(&state, .downloadEnded(DownloadEnd(id: 4, progress: DownloadProgress(fileName: "big.iso", bytes: 4 * mib, total: 4 * mib, mirrors: ["Paris"],
                                                                                     state: .hashMismatch(algorithm: "sha256")), path: "./big.iso.part")))
        _ = update(&state, .downloadEnded(DownloadEnd(id: 5, progress: DownloadProgress(fileName: "SHA256SUMS", bytes: 300, total: 300,
                                                                                     state: .verified(algorithm: "sha256")), path: "./SHA256SUMS")))
        _ = Fixtures.keys(&state, .char("D"), .home)
        return state
    }

    @Test(arguments: [(80, 24), (120, 40)]) func everyStateOfADownload(width: Int, height: Int) {
        check(Self.fiveDownloads(width: width, height: height), "downloads-\(width)x\(height)")
    }

    @Test func cancelledAndSummaryInTheHeaderWhenThePaneIsClosed() {
        var state = Self.fiveDownloads(width: 80, height: 24)
        _ = Fixtures.keys(&state, .down, .char("c"))
        _ = update(&state, .downloadEnded(DownloadEnd(id: 2, progress: DownloadProgress(fileName: "example-1.0.tar.gz", bytes: 1 << 19, total: 1 << 21, state: .failed("no mirror")),
                                                      path: "./example-1.0.tar.gz.part", cancelled: true)))
        let pane = render(state).text
        #expect(pane.contains("cancelled (kept as example-1.0.tar.gz.part)"))
        _ = Fixtures.keys(&state, .char("D"))
        let header = render(state).text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("1 download · 3.10 MB/s"), "\(header)")
        check(state, "downloads-closed-80x24")
    }

    @Test func theEmptyPaneSaysHowToStart() {
        var state = DownloadsUpdateTests.using()
        _ = Fixtures.keys(&state, .char("D"))
        #expect(render(state).text.contains("No downloads yet: w on a file"))
    }

    /// Names, mirror names and notes come from the network: no control character reaches the screen.
    @Test func networkTextIsSanitized() {
        var state = DownloadsUpdateTests.using()
        _ = Fixtures.keys(&state, .char("w"), .char("D"))
        _ = update(&state, .downloadProgress(id: 1, DownloadProgress(fileName: "evil\u{1B}[2Jname", bytes: 1, total: 2, mirrors: ["Mir\u{07}ror"],
                                                                     state: .downloading, note: "moved\u{1B}]0;title\u{07} on")))
        let text = render(state).text
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!text.contains("\u{1B}"))
    }
}
