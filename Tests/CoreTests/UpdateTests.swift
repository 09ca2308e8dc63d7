import MirrorscopeCore
import Testing

@Suite("update: probe rounds")
struct RoundUpdateTests {
    @Test func startAsksForRoundOneWithThePagesSettings() {
        var state = AppState(page: Fixtures.page, options: Fixtures.options)
        let effects = update(&state, .start)
        #expect(effects == [.startRound(round: 1, mirrors: Fixtures.mirrors, settings: Fixtures.page.probe)])
        #expect(state.round == 1)
        #expect(state.roundActive)
        #expect(state.rows.allSatisfy { $0.status == .waiting })
    }

    @Test func resultsOrderFastestFirstUnansweredBelowFailedLast() {
        let state = Fixtures.midRound()
        let order = state.displayOrder.map { state.rows[$0].mirror.id }
        // Answered by median (fra 23, par 40, lon 120), then unanswered (tok probing, syd waiting), then failed (ams).
        #expect(order == ["fra", "par", "lon", "tok", "syd", "ams"])
        #expect(state.finishedCount == 4)
        #expect(state.rows.first { $0.mirror.id == "tok" }?.status == .probing(samplesDone: 1))
    }

    @Test func resultsOfAnOlderRoundAreIgnored() {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .char("r"))
        let before = state.rows
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("fra", [1, 1, 1]))))
        _ = update(&state, .roundFinished(round: 1))
        #expect(state.rows == before)
        #expect(state.roundActive)
    }

    @Test func roundEndNamesTheFastestAndMovesTheCursorThere() throws {
        var state = Fixtures.midRound()
        _ = Fixtures.keys(&state) // no keys: the user has not moved
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("tok", [250]))))
        _ = update(&state, .probe(round: 1, .finished(Fixtures.failed("syd", .timeout, "timeout"))))
        let effects = update(&state, .roundFinished(round: 1))
        #expect(effects.isEmpty, "no bell unless asked for")
        #expect(!state.roundActive)
        #expect(state.cursorID == "fra")
        let notice = try #require(state.notice)
        // 23 ms first byte + 1 ms connect + 4 ms TLS.
        #expect(notice.text.hasPrefix("Fastest: Frankfurt (https://fra.example.org/pub/) 28 ms"))
        #expect(notice.text.contains("Enter to use it"))
        #expect(notice.text.contains("r to re-probe"))
    }

    @Test func roundEndKeepsACursorTheUserMoved() {
        var state = Fixtures.midRound()
        _ = Fixtures.keys(&state, .down, .down) // fra -> par -> lon
        #expect(state.cursorID == "lon")
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("tok", [250]))))
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("syd", [10]))))
        _ = update(&state, .roundFinished(round: 1))
        #expect(state.cursorID == "lon")
        #expect(state.notice?.text.hasPrefix("Fastest: Sydney") == true)
    }

    @Test func bellRingsOnceWhenTheFastestIsNamedWhenAskedFor() {
        var state = Fixtures.midRound()
        state.options.bell = true
        #expect(update(&state, .probe(round: 1, .finished(Fixtures.ok("tok", [250])))) == [], "Sydney could still win")
        #expect(update(&state, .probe(round: 1, .finished(Fixtures.ok("syd", [300])))) == [.bell])
        #expect(update(&state, .roundFinished(round: 1)) == [], "not again at the end")
    }

    @Test func noMirrorAnsweringSaysSo() {
        var state = Fixtures.started()
        for m in Fixtures.mirrors { _ = update(&state, .probe(round: 1, .finished(Fixtures.failed(m.id, .refused, "connection refused")))) }
        _ = update(&state, .roundFinished(round: 1))
        #expect(state.notice?.kind == .warning)
        #expect(state.notice?.text.contains("No mirror answered") == true)
    }

    @Test func reprobeCancelsTheRoundInFlightAndKeepsFiguresAsPrevious() throws {
        var state = Fixtures.midRound()
        let effects = Fixtures.keys(&state, .char("r"))
        #expect(effects == [.cancelRound(round: 1), .startRound(round: 2, mirrors: Fixtures.mirrors, settings: Fixtures.page.probe)])
        #expect(state.round == 2)
        #expect(state.rows.allSatisfy { $0.status == .waiting })
        let fra = try #require(state.rows.first { $0.mirror.id == "fra" })
        #expect(fra.previous?.ms == 28)
        #expect(fra.history == [RoundFigure(round: 1, ms: 28, failure: nil)])
        // Figures stay visible: the waiting rows keep last round's order.
        let order = state.displayOrder.map { state.rows[$0].mirror.id }
        #expect(Array(order.prefix(3)) == ["fra", "par", "lon"])
    }

    @Test func reprobeAfterACompleteRoundDoesNotCancelAnything() {
        var state = Fixtures.roundDone()
        let effects = Fixtures.keys(&state, .char("r"))
        #expect(effects == [.startRound(round: 2, mirrors: Fixtures.mirrors, settings: Fixtures.page.probe)])
        #expect(state.notice == nil)
        #expect(!state.userMovedCursor)
    }

    @Test func roundTwoResultsReplaceTheDimmedOnes() throws {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .char("r"))
        _ = update(&state, .probe(round: 2, .finished(Fixtures.ok("lon", [5, 5, 5]))))
        let lon = try #require(state.rows.first { $0.mirror.id == "lon" })
        #expect(lon.report?.ms == 6)
        #expect(state.displayOrder.first.map { state.rows[$0].mirror.id } == "lon")
    }
}

@Suite("update: keys")
struct KeyUpdateTests {
    @Test func arrowsAndVimKeysMoveInDisplayOrder() {
        var state = Fixtures.roundDone()
        #expect(state.cursorID == "fra")
        _ = Fixtures.keys(&state, .down)
        #expect(state.cursorID == "par")
        _ = Fixtures.keys(&state, .char("j"), .char("j"))
        #expect(state.cursorID == "tok")
        _ = Fixtures.keys(&state, .char("k"))
        #expect(state.cursorID == "lon")
        _ = Fixtures.keys(&state, .end)
        #expect(state.cursorID == "syd", "failed mirrors are last, in page order")
        _ = Fixtures.keys(&state, .home)
        #expect(state.cursorID == "fra")
        _ = Fixtures.keys(&state, .up)
        #expect(state.cursorID == "fra", "the cursor stops at the top")
        _ = Fixtures.keys(&state, .pageDown)
        #expect(state.cursorID == "syd")
    }

    @Test func enterUsesTheFastestAfterTheRound() {
        var state = Fixtures.roundDone()
        let effects = Fixtures.keys(&state, .enter)
        #expect(effects.isEmpty)
        #expect(state.chosenID == "fra")
        #expect(state.screen == .using)
        #expect(state.notice?.text.hasPrefix("Using Frankfurt") == true)
        #expect(Fixtures.keys(&state, .char("q")) == [.quit(chosenURL: "https://fra.example.org/pub/")])
    }

    @Test func overrideChoosesAnotherMirror() {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .down, .enter)
        #expect(state.chosenID == "par")
        #expect(Fixtures.keys(&state, .escape) == [.quit(chosenURL: "https://par.example.org/pub/")])
    }

    @Test func earlyAcceptBeforeTheRoundCompletesKeepsTheRoundRunning() {
        var state = Fixtures.midRound()
        let effects = Fixtures.keys(&state, .enter)
        #expect(effects.isEmpty, "accepting does not cancel the round")
        #expect(state.chosenID == "fra")
        #expect(state.roundActive)
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("syd", [1]))))
        _ = update(&state, .roundFinished(round: 1))
        #expect(state.chosenID == "fra", "a faster result later does not change the user's choice")
        #expect(state.screen == .using)
    }

    @Test func quitWithoutChoiceCancelsTheRoundAndReportsNoURL() {
        var state = Fixtures.midRound()
        #expect(Fixtures.keys(&state, .char("q")) == [.cancelRound(round: 1), .quit(chosenURL: nil)])
        #expect(state.finished)
        #expect(!state.wantsTicks)
    }

    @Test func ctrlCAndSignalsQuitToo() {
        var a = Fixtures.roundDone()
        #expect(Fixtures.keys(&a, .ctrl("c")) == [.quit(chosenURL: nil)])
        var b = Fixtures.roundDone()
        _ = Fixtures.keys(&b, .enter)
        #expect(update(&b, .quitRequested) == [.quit(chosenURL: "https://fra.example.org/pub/")])
    }

    @Test func helpOpensAndAnyKeyClosesItWithoutActing() {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .char("?"))
        #expect(state.showHelp)
        #expect(Fixtures.keys(&state, .char("q")).isEmpty, "q closes the help; it does not quit")
        #expect(!state.showHelp)
        #expect(!state.finished)
    }

    @Test func aHelpTallerThanTheScreenScrollsAndOtherKeysCloseIt() {
        var state = Fixtures.roundDone(width: 40, height: 12)
        _ = Fixtures.keys(&state, .char("?"))
        #expect(!GridSnapshot.text(render(state)).contains("Sent"), "the last lines do not fit at 40×12")
        _ = Fixtures.keys(&state, .down)
        #expect(state.showHelp && state.helpScroll == 1)
        _ = Fixtures.keys(&state, .end)
        let screen = GridSnapshot.text(render(state))
        #expect(screen.contains("Sent") && screen.contains("↑ back, other keys close"), "\(screen)")
        let end = state.helpScroll
        _ = Fixtures.keys(&state, .down)
        #expect(end > 1 && state.helpScroll == end, "no scrolling past the end")
        _ = Fixtures.keys(&state, .char("x"))
        #expect(!state.showHelp)
        _ = Fixtures.keys(&state, .char("?"))
        #expect(state.helpScroll == 0, "the help opens at its top again")

        // When it fits, every key closes it, ↓ included.
        var roomy = Fixtures.roundDone(width: 120, height: 40)
        _ = Fixtures.keys(&roomy, .char("?"))
        _ = Fixtures.keys(&roomy, .down)
        #expect(!roomy.showHelp)
    }

    @Test func sortCycles() {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .char("s"))
        #expect(state.sort == .name)
        #expect(state.displayOrder.map { state.rows[$0].mirror.id } == ["ams", "fra", "lon", "par", "syd", "tok"])
        _ = Fixtures.keys(&state, .char("s"))
        #expect(state.sort == .pageOrder)
        #expect(state.displayOrder.map { state.rows[$0].mirror.id } == ["fra", "par", "ams", "lon", "tok", "syd"])
        _ = Fixtures.keys(&state, .char("s"))
        #expect(state.sort == .responseTime)
    }

    @Test func detailToggles() {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .char("d"))
        #expect(state.showDetail)
        _ = Fixtures.keys(&state, .right)
        #expect(!state.showDetail)
    }

    @Test func resizeKeepsTheCursorOnScreen() {
        var state = Fixtures.roundDone(width: 80, height: 24)
        _ = Fixtures.keys(&state, .end)
        _ = update(&state, .resize(width: 40, height: 10))
        let visibleRows = Layout(state).list.height
        let position = state.displayOrder.firstIndex(of: state.highlightedRowIndex!)!
        #expect(visibleRows >= 5, "header, titles, notice and footer leave the rest to the list")
        #expect(position >= state.scrollTop && position < state.scrollTop + visibleRows)
        #expect(state.width == 40 && state.height == 10)
    }

    @Test func unboundKeysDoNothing() {
        var state = Fixtures.roundDone()
        let before = state
        #expect(Fixtures.keys(&state, .char("x"), .tab, .char("w")).isEmpty)
        #expect(state == before)
    }

    @Test func ticksOnlyWhileSomethingIsInFlight() {
        var state = Fixtures.midRound()
        #expect(state.wantsTicks)
        _ = update(&state, .tick)
        #expect(state.animationFrame == 1)
        let done = Fixtures.roundDone()
        #expect(!done.wantsTicks, "an idle session asks for no ticks, so it uses no CPU")
    }
}

@Suite("render: what mirror lists tell")
struct ListFactsRenderTests {
    @Test func theDetailPaneShowsCountryCityTemplateAndFreshness() {
        var page = Fixtures.page
        page.mirrors[0].country = "de"
        page.mirrors[0].countryName = "Germany"
        page.mirrors[0].city = "Dresden"
        page.mirrors[0].template = "https://fra.example.org/$repo/os/$arch"
        page.mirrors[0].unfilledVariables = ["repo", "arch"]
        page.mirrors[0].freshness = Freshness(lastSync: 1_778_493_720, delaySeconds: 3900, completion: 0.98)
        var state = AppState(page: page, width: 120, height: 40, options: Fixtures.options)
        _ = update(&state, .start)
        _ = update(&state, .key(.char("d")))
        let text = render(state).text
        #expect(text.contains("de · Germany · Dresden, priority 1"))
        // Long values wrap inside the pane: look for pieces that stay on one line.
        #expect(text.contains("Template https://fra.example.org/$repo"))
        #expect(text.contains("unfilled: repo, arch"))
        #expect(text.contains("delay 1h 5m, 98% complete, synced"))
        #expect(text.contains("2026-05-11 10:02 UTC"))
        #expect(text.contains("To send  User-Agent"))
    }
}

@Suite("update: using the chosen mirror")
struct UsingUpdateTests {
    static func using() -> AppState {
        var state = Fixtures.roundDone()
        _ = Fixtures.keys(&state, .down, .enter) // Paris
        return state
    }

    @Test func theRootListingIsThePagesLinksPlusTheMirrorItself() {
        let state = Self.using()
        let paths = state.browser.current?.entries.map(\.path)
        #expect(paths == ["files/README.txt", "files/example-1.0.tar.gz", "files/", ""])
    }

    @Test func openingALinkFetchesItFromTheChosenMirrorNotThePage() {
        var state = Self.using()
        let effects = Fixtures.keys(&state, .enter)
        let request = FetchRequest(id: 1, url: "https://par.example.org/pub/files/README.txt", path: "files/README.txt", kind: .open)
        #expect(effects == [.fetch(request)])
        #expect(state.browser.pending == request)
        #expect(state.wantsTicks)
        let result = FetchResult(requestID: 1, url: request.url, status: 200, bytes: 120, elapsedMs: 41, contentType: "text/plain", preview: ["hello"])
        _ = update(&state, .fetched(result))
        #expect(state.browser.result == result)
        #expect(state.browser.pending == nil)
    }

    @Test func aFolderIsListedAndLeftWithBackspace() {
        var state = Self.using()
        _ = Fixtures.keys(&state, .down, .down)
        let effects = Fixtures.keys(&state, .enter)
        #expect(effects == [.fetch(FetchRequest(id: 1, url: "https://par.example.org/pub/files/", path: "files/", kind: .list))])
        _ = update(&state, .fetched(FetchResult(requestID: 1, url: "https://par.example.org/pub/files/", status: 200,
                                                listing: [PageLink(text: "a.iso", path: "files/a.iso")])))
        #expect(state.browser.stack.count == 2)
        #expect(state.browser.current?.entries.map(\.path) == ["files/a.iso"])
        _ = Fixtures.keys(&state, .backspace)
        #expect(state.browser.stack.count == 1)
    }

    @Test func saveStartsADownloadIntoTheDownloadFolderAndRefusesFolders() {
        var state = Self.using()
        let effects = Fixtures.keys(&state, .char("w"))
        guard case .startDownload(let order)? = effects.first, effects.count == 1 else { Issue.record("\(effects)"); return }
        #expect(order.path == "files/README.txt" && order.folder == "." && order.mirrors.first?.url == "https://par.example.org/pub/")
        _ = Fixtures.keys(&state, .end)
        #expect(Fixtures.keys(&state, .char("w")).isEmpty)
        #expect(state.notice?.kind == .warning)
    }

    @Test func aStaleFetchResultIsIgnored() {
        var state = Self.using()
        _ = Fixtures.keys(&state, .enter)
        _ = update(&state, .fetched(FetchResult(requestID: 99, url: "x", error: "late")))
        #expect(state.browser.result == nil)
        #expect(state.browser.pending != nil)
    }

    @Test func backToMirrorsThenChooseAnotherSendsLaterActionsToTheNewChoice() {
        var state = Self.using()
        _ = Fixtures.keys(&state, .char("m"))
        #expect(state.screen == .mirrors)
        _ = Fixtures.keys(&state, .char("r"))
        _ = update(&state, .probe(round: 2, .finished(Fixtures.ok("lon", [3]))))
        _ = Fixtures.keys(&state, .home, .enter)
        #expect(state.chosenID == "lon")
        let effects = Fixtures.keys(&state, .enter)
        #expect(effects == [.fetch(FetchRequest(id: 1, url: "http://lon.example.org/files/README.txt", path: "files/README.txt", kind: .open))])
    }
}
