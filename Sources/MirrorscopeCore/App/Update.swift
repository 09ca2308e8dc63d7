/// The one place the session changes: a message in, state changed in place, effects out.
/// Pure: no I/O, no clocks (GUIDE.md: every behaviour is a unit test).
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .start:
        return startRound(&state)
    case .key(let key):
        return handleKey(&state, key)
    case .resize(let width, let height):
        state.width = max(1, width)
        state.height = max(1, height)
        keepCursorVisible(&state)
        keepListingCursorVisible(&state)
        return []
    case .probe(let round, let event, let atMs):
        guard round == state.round else { return [] }
        state.roundClockMs = max(state.roundClockMs, atMs)
        applyProbeEvent(&state, event, atMs: atMs)
        return decideFastest(&state)
    case .roundFinished(let round, let atMs):
        guard round == state.round, state.roundActive else { return [] }
        state.roundClockMs = max(state.roundClockMs, atMs)
        return finishRound(&state)
    case .phaseFinished(let round, let phase, let atMs):
        guard round == state.round, state.phase == phase else { return [] }
        state.roundClockMs = max(state.roundClockMs, atMs)
        return finishPhase(&state, phase)
    case .clock(let round, let atMs):
        guard round == state.round, state.roundActive else { return [] }
        state.roundClockMs = max(state.roundClockMs, atMs)
        state.wakeAt = nil
        return decideFastest(&state)
    case .fetched(let result):
        return applyFetchResult(&state, result)
    case .saved(let result):
        applySaveResult(&state, result)
        return []
    case .downloadProgress(let id, let progress):
        applyDownloadProgress(&state, id: id, progress)
        return []
    case .downloadEnded(let end):
        applyDownloadEnd(&state, end)
        return []
    case .mirrorStopped(let name, let error):
        applyMirrorStopped(&state, name: name, error: error)
        return []
    case .tick:
        state.animationFrame &+= 1
        return []
    case .quitRequested:
        return quit(&state)
    case .historyLoaded(let trends):
        applyHistory(&state, trends)
        return []
    }
}

// MARK: - Probe rounds

private func startRound(_ state: inout AppState) -> [Effect] {
    var effects: [Effect] = []
    if state.roundActive || state.phase != nil { effects.append(.cancelRound(round: state.round)) }
    for i in state.rows.indices {
        if let report = state.rows[i].report {
            state.rows[i].history.append(RoundFigure(round: state.round, ms: report.ms, failure: report.failure?.reason))
            state.rows[i].previous = report
        }
        state.rows[i].status = .waiting
        state.rows[i].throughputProgress = nil
        state.rows[i].sampleMs = []
        state.rows[i].inFlight = nil
    }
    prepareHistoryForRound(&state)
    state.round += 1
    state.roundActive = true
    state.notStartedCount = state.rows.count
    resetPhases(&state)
    state.userMovedCursor = false
    state.decision = nil
    state.roundClockMs = 0
    state.roundWallMs = nil
    state.wakeAt = nil
    if state.screen == .mirrors { state.notice = nil }
    effects.append(.startRound(round: state.round, mirrors: probeOrder(state), settings: state.page.probe))
    return effects
}

private func applyProbeEvent(_ state: inout AppState, _ event: ProbeEvent, atMs: Double) {
    switch event {
    case .started(let id):
        guard let i = state.index(of: id), !state.rows[i].isFinished else { return }
        if case .waiting = state.rows[i].status { state.notStartedCount = max(0, state.notStartedCount - 1) }
        state.rows[i].status = .probing(samplesDone: 0)
    case .connecting(let id):
        guard let i = state.index(of: id), case .probing = state.rows[i].status else { return }
        state.rows[i].inFlight = InFlightSample(atMs: atMs, takenMs: 0)
    case .connected(let id, let transportMs):
        guard let i = state.index(of: id), case .probing = state.rows[i].status else { return }
        state.rows[i].inFlight = InFlightSample(atMs: atMs, takenMs: transportMs)
    case .sample(let id, let sample):
        guard let i = state.index(of: id) else { return }
        if case .probing(let n) = state.rows[i].status {
            state.rows[i].status = .probing(samplesDone: n + 1)
            state.rows[i].sampleMs.append(sample.responseMs)
            state.rows[i].inFlight = nil
        }
    case .finished(let report):
        guard let i = state.index(of: report.mirrorID) else { return }
        if case .waiting = state.rows[i].status { state.notStartedCount = max(0, state.notStartedCount - 1) }
        state.rows[i].status = .finished(report)
        state.rows[i].inFlight = nil
        // Only a result moves rows (the order depends on reports, not on progress).
        keepCursorVisible(&state)
    case .freshness, .freshnessReference, .throughputStarted, .throughputProgress, .throughputFinished:
        applyPhaseEvent(&state, event)
    }
}

private func finishRound(_ state: inout AppState) -> [Effect] {
    state.roundActive = false
    state.wakeAt = nil
    // Freshness, then throughput, when the page has their objects (Update+Phases.swift).
    var effects = startNextPhase(&state, after: nil)
    effects += settleRound(&state)
    if !announceFastest(&state) {
        state.notice = Notice("No mirror answered in round \(state.round) — r to re-probe, d for the reasons", .warning)
    }
    keepCursorVisible(&state)
    return effects
}

// MARK: - Keys

private func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if state.showHelp {
        // A help taller than the screen scrolls with the movement keys; any other key closes it,
        // and Ctrl-C still quits.
        let help = HelpLayout(state)
        let hidden = help.hiddenLineCount
        if hidden > 0, let action = Keymap.action(for: key, in: .mirrors) {
            let page = max(1, help.visibleLineCount - 1)
            switch action {
            case .moveUp: state.helpScroll -= 1
            case .moveDown: state.helpScroll += 1
            case .pageUp: state.helpScroll -= page
            case .pageDown: state.helpScroll += page
            case .top: state.helpScroll = 0
            case .bottom: state.helpScroll = hidden
            default: break
            }
            if [.moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom].contains(action) {
                state.helpScroll = min(max(state.helpScroll, 0), hidden)
                return []
            }
        }
        state.showHelp = false
        return key == .ctrl("c") ? quit(&state) : []
    }
    if state.saveProposal != nil {
        // A question takes every key; Ctrl-C still quits.
        if key == .ctrl("c") { state.saveProposal = nil; return quit(&state) }
        return answerSaveProposal(&state, key)
    }
    let context = state.keyContext
    guard let action = Keymap.action(for: key, in: context, demo: state.options.canStopMirrors) else { return [] }
    if context == .downloads || [.toggleDownloads, .stopMirror].contains(action) {
        if let effects = handleDownloadsKey(&state, action) { return effects }
    }
    switch (context, action) {
    case (_, .help):
        state.showHelp = true
        state.helpScroll = 0
        return []
    case (_, .quit):
        return quit(&state)
    case (.mirrors, .moveUp): moveCursor(&state, by: -1)
    case (.mirrors, .moveDown): moveCursor(&state, by: 1)
    case (.mirrors, .pageUp): moveCursor(&state, by: -max(1, Layout(state).list.height - 1))
    case (.mirrors, .pageDown): moveCursor(&state, by: max(1, Layout(state).list.height - 1))
    case (.mirrors, .top): moveCursor(&state, by: -state.rows.count)
    case (.mirrors, .bottom): moveCursor(&state, by: state.rows.count)
    case (.mirrors, .useMirror):
        useHighlightedMirror(&state)
    case (.mirrors, .reprobe):
        return startRound(&state)
    case (.mirrors, .cycleSort):
        state.sort = state.sort.next
        state.notice = Notice("Sorted by \(state.sort.rawValue)")
        keepCursorVisible(&state)
    case (.mirrors, .toggleDetail):
        state.showDetail.toggle()
        keepCursorVisible(&state)
    case (.mirrors, .saveList):
        return saveRankedList(&state)
    case (.using, .moveUp): moveListingCursor(&state, by: -1)
    case (.using, .moveDown): moveListingCursor(&state, by: 1)
    case (.using, .pageUp): moveListingCursor(&state, by: -max(1, Layout(state).list.height - 1))
    case (.using, .pageDown): moveListingCursor(&state, by: max(1, Layout(state).list.height - 1))
    case (.using, .top): moveListingCursor(&state, by: -Int.max / 2)
    case (.using, .bottom): moveListingCursor(&state, by: Int.max / 2)
    case (.using, .openLink):
        return openHighlightedLink(&state, save: false)
    case (.using, .saveFile):
        return startDownload(&state)
    case (.using, .goUp):
        if state.browser.stack.count > 1 {
            state.browser.stack.removeLast()
            state.browser.result = nil
            state.browser.resultRequest = nil
        }
    case (.using, .backToMirrors):
        state.screen = .mirrors
        state.notice = state.chosenRow.map { Notice("Using \(TerminalText.sanitize($0.name, maxCharacters: 40)) — Enter to choose another, r to re-probe") }
        keepCursorVisible(&state)
    default:
        break
    }
    return []
}

private func quit(_ state: inout AppState) -> [Effect] {
    state.finished = true
    var effects: [Effect] = []
    if state.roundActive || state.phase != nil {
        effects.append(.cancelRound(round: state.round))
        state.roundActive = false
        state.phase = nil
    }
    effects.append(.quit(chosenURL: state.chosenMirror?.url))
    return effects
}

private func moveCursor(_ state: inout AppState, by delta: Int) {
    let order = state.displayOrder
    guard !order.isEmpty else { return }
    let current = state.highlightedRowIndex(in: order).flatMap { order.firstIndex(of: $0) } ?? 0
    let target = min(max(0, current + delta), order.count - 1)
    state.cursorID = state.rows[order[target]].mirror.id
    state.userMovedCursor = true
    keepCursorVisible(&state)
}

/// Scrolls the mirror list so the highlighted row stays on screen.
func keepCursorVisible(_ state: inout AppState) {
    let height = Layout(state).list.height
    // Without a list on screen (the headless round has no screen) there is nothing to keep in
    // view, and sorting every row on every result is what costs.
    guard height > 0 else { state.scrollTop = 0; return }
    let order = state.displayOrder
    guard !order.isEmpty else { state.scrollTop = 0; return }
    let position = state.highlightedRowIndex(in: order).flatMap { order.firstIndex(of: $0) } ?? 0
    if position < state.scrollTop { state.scrollTop = position }
    if position >= state.scrollTop + height { state.scrollTop = position - height + 1 }
    state.scrollTop = min(max(0, state.scrollTop), max(0, order.count - height))
}

// MARK: - Using the chosen mirror

private func useHighlightedMirror(_ state: inout AppState) {
    guard let index = state.highlightedRowIndex else { return }
    let mirror = state.rows[index].mirror
    let changed = state.chosenID != mirror.id
    state.chosenID = mirror.id
    state.cursorID = mirror.id
    state.screen = .using
    if changed || state.browser.stack.isEmpty {
        let rootTitle = "Links of " + (state.page.title.map { TerminalText.sanitize($0, maxCharacters: 60) } ?? state.page.source)
        // The mirror's own root is always there: it is how a user lists what the mirror holds.
        let entries = state.page.links + [PageLink(text: "(browse this mirror)", path: "")]
        state.browser = Browser(stack: [Listing(title: rootTitle, entries: entries)])
    }
    let name = TerminalText.sanitize(state.rows[index].name, maxCharacters: 40)
    var text = "Using \(name) — Enter opens a link through it, m returns to the mirror list"
    if state.rows[index].isFailed { text = "Using \(name), although it failed this round — m to choose another" }
    state.notice = Notice(text, state.rows[index].isFailed ? .warning : .info)
}

private func moveListingCursor(_ state: inout AppState, by delta: Int) {
    guard var listing = state.browser.stack.popLast() else { return }
    if !listing.entries.isEmpty {
        listing.cursor = min(max(0, listing.cursor + delta), listing.entries.count - 1)
    }
    state.browser.stack.append(listing)
    keepListingCursorVisible(&state)
}

private func keepListingCursorVisible(_ state: inout AppState) {
    guard var listing = state.browser.stack.popLast() else { return }
    let height = max(1, Layout(state).list.height)
    if listing.cursor < listing.scrollTop { listing.scrollTop = listing.cursor }
    if listing.cursor >= listing.scrollTop + height { listing.scrollTop = listing.cursor - height + 1 }
    listing.scrollTop = max(0, min(listing.scrollTop, max(0, listing.entries.count - height)))
    state.browser.stack.append(listing)
}

private func openHighlightedLink(_ state: inout AppState, save: Bool) -> [Effect] {
    guard let chosen = state.chosenRow, let listing = state.browser.current,
          listing.entries.indices.contains(listing.cursor) else { return [] }
    let entry = listing.entries[listing.cursor]
    let isFolder = entry.path.isEmpty || entry.path.hasSuffix("/")
    if save && isFolder {
        state.notice = Notice("\(entry.path.isEmpty ? "The mirror's root" : entry.path) is a folder: Enter lists it, w saves files", .warning)
        return []
    }
    let kind: FetchRequest.Kind = save ? .save(folder: state.options.downloadFolder) : (isFolder ? .list : .open)
    let request = FetchRequest(id: state.nextRequestID, url: URLParts.join(chosen.mirror.url, entry.path),
                               path: entry.path, kind: kind)
    state.nextRequestID += 1
    state.browser.pending = request
    let verb = save ? "Saving" : (isFolder ? "Listing" : "Opening")
    state.notice = Notice("\(verb) /\(entry.path) from \(TerminalText.sanitize(chosen.name, maxCharacters: 40))…")
    keepListingCursorVisible(&state)
    return [.fetch(request)]
}

private func applyFetchResult(_ state: inout AppState, _ result: FetchResult) -> [Effect] {
    guard let request = state.browser.pending, request.id == result.requestID else { return [] }
    state.browser.pending = nil
    if case .list = request.kind, result.error == nil, let entries = result.listing {
        let title = "/" + request.path + " on " + TerminalText.sanitize(state.chosenRow?.name ?? "", maxCharacters: 40)
        state.browser.stack.append(Listing(title: title, entries: entries))
        state.browser.result = nil
        state.browser.resultRequest = nil
        state.notice = Notice("\(entries.count) entries in /\(request.path) — ← goes back")
        keepListingCursorVisible(&state)
        return []
    }
    state.browser.result = result
    state.browser.resultRequest = request
    if let error = result.error {
        state.notice = Notice(error, .error)
    } else if let saved = result.savedTo {
        state.notice = Notice("Saved \(Format.bytes(result.bytes)) to \(saved)", .success)
    } else {
        state.notice = nil
    }
    keepListingCursorVisible(&state)
    return []
}

