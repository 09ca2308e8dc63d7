// `w` on a file link starts a download (`Effect.startDownload`) and returns at once; the runtime
// posts its progress back, and the downloads pane (`D`) lists every download of the session.

/// `w`: downloads the highlighted file through the chosen mirror, the rest of the ranking behind
/// it for failover. A folder is refused (Enter lists it); so is a second download of a file that
/// is still downloading (both would write the same NAME.part).
func startDownload(_ state: inout AppState) -> [Effect] {
    guard let chosen = state.chosenRow, let listing = state.browser.current,
          listing.entries.indices.contains(listing.cursor) else { return [] }
    let entry = listing.entries[listing.cursor]
    if entry.path.isEmpty || entry.path.hasSuffix("/") {
        state.notice = Notice("\(entry.path.isEmpty ? "The mirror's root" : entry.path) is a folder: Enter lists it, w saves files", .warning)
        return []
    }
    let shownName = TerminalText.sanitize(lastComponent(entry.path), maxCharacters: 60)
    if let running = state.downloads.firstIndex(where: { $0.isActive && $0.order.path == entry.path }) {
        state.downloadCursor = running
        state.notice = Notice("\(shownName) is already downloading — D shows it", .warning)
        return []
    }
    // The chosen mirror first, then the round's ranking (answered, not stale, best first).
    var sources = [DownloadOrder.Source(name: chosen.name, url: chosen.mirror.url)]
    for ranked in SavedList.from(state).entries where ranked.mirror.id != chosen.mirror.id {
        sources.append(DownloadOrder.Source(name: state.row(id: ranked.mirror.id)?.name ?? ranked.mirror.displayName, url: ranked.mirror.url))
    }
    // SHA256SUMS/SHA512SUMS among the page's links and the listing shown (the engine reads the
    // line that names the file, if any).
    let links = state.page.links + (state.browser.stack.count > 1 ? listing.entries : [])
    var sums: [String] = []
    for link in links where ["SHA256SUMS", "SHA512SUMS"].contains(lastComponent(link.path)) && !sums.contains(link.path) {
        sums.append(link.path)
    }
    let name = lastComponent(entry.path)
    let facts = state.page.files.first { $0.name == entry.path || $0.name == name }
    let order = DownloadOrder(id: state.nextRequestID, path: entry.path, mirrors: sources, folder: state.options.downloadFolder,
                              fileName: name, sumsPaths: sums, facts: facts)
    state.nextRequestID += 1
    // A cancelled download of the file is resumed by this one: it takes its row.
    if let cancelled = state.downloads.lastIndex(where: { $0.cancelled && $0.order.path == entry.path }) {
        state.downloads[cancelled] = DownloadEntry(order: order)
        state.downloadCursor = cancelled
    } else {
        state.downloads.append(DownloadEntry(order: order))
        state.downloadCursor = state.downloads.count - 1
    }
    let running = state.downloads.filter(\.isActive).count
    state.notice = Notice("Downloading \(shownName) from \(TerminalText.sanitize(chosen.name, maxCharacters: 40))"
                          + (running > 1 ? " (\(running) running)" : "") + " — D shows the downloads")
    return [.startDownload(order)]
}

/// The keys of the downloads pane, and `D`/`X` wherever they are bound. nil: not a downloads key
/// (the caller handles it: help, quit).
func handleDownloadsKey(_ state: inout AppState, _ action: Action) -> [Effect]? {
    switch action {
    case .toggleDownloads:
        state.showDownloads.toggle()
        clampDownloadCursor(&state)
        return []
    case .stopMirror:
        return stopMirror(&state)
    case .moveUp, .pageUp, .top:
        state.downloadCursor -= action == .moveUp ? 1 : state.downloads.count
        clampDownloadCursor(&state)
        return []
    case .moveDown, .pageDown, .bottom:
        state.downloadCursor += action == .moveDown ? 1 : state.downloads.count
        clampDownloadCursor(&state)
        return []
    case .cancelDownload:
        return cancelSelectedDownload(&state)
    default:
        return nil
    }
}

private func clampDownloadCursor(_ state: inout AppState) {
    state.downloadCursor = min(max(0, state.downloadCursor), max(0, state.downloads.count - 1))
}

/// `c`: asks the runtime to stop the selected download; it says when it has (`.downloadEnded`).
private func cancelSelectedDownload(_ state: inout AppState) -> [Effect] {
    guard state.downloads.indices.contains(state.downloadCursor) else {
        state.notice = Notice("No download to cancel: w on a file starts one", .warning)
        return []
    }
    let i = state.downloadCursor
    let name = TerminalText.sanitize(state.downloads[i].progress.fileName, maxCharacters: 60)
    guard state.downloads[i].isActive, !state.downloads[i].cancelling else {
        state.notice = Notice("\(name) is not running", .warning)
        return []
    }
    state.downloads[i].cancelling = true
    state.notice = Notice("Cancelling \(name)… (its part file is kept: w on the file resumes it)")
    return [.cancelDownload(id: state.downloads[i].order.id)]
}

/// `X`, in the demo: the mirror serving the selected download in the pane, the highlighted
/// mirror in the list.
private func stopMirror(_ state: inout AppState) -> [Effect] {
    guard state.options.canStopMirrors else { return [] }
    let target: DownloadOrder.Source?
    if state.showDownloads {
        target = state.downloads.indices.contains(state.downloadCursor) ? state.downloads[state.downloadCursor].servingMirror : nil
        if target == nil {
            state.notice = Notice("The selected download is not running: no mirror to stop", .warning)
            return []
        }
    } else {
        target = state.highlightedRowIndex.map { DownloadOrder.Source(name: state.rows[$0].name, url: state.rows[$0].mirror.url) }
    }
    guard let target else { return [] }
    state.notice = Notice("Stopping \(TerminalText.sanitize(target.name, maxCharacters: 40)) (demo)…")
    return [.stopMirror(url: target.url, name: target.name)]
}

func applyDownloadProgress(_ state: inout AppState, id: Int, _ progress: DownloadProgress) {
    guard let i = state.downloads.firstIndex(where: { $0.order.id == id }), state.downloads[i].isActive else { return }
    state.downloads[i].progress = progress
}

func applyDownloadEnd(_ state: inout AppState, _ end: DownloadEnd) {
    guard let i = state.downloads.firstIndex(where: { $0.order.id == end.id }) else { return }
    state.downloads[i].progress = end.progress
    state.downloads[i].path = end.path
    state.downloads[i].cancelled = end.cancelled
    state.downloads[i].cancelling = false
    let entry = state.downloads[i]
    let name = TerminalText.sanitize(entry.progress.fileName, maxCharacters: 60)
    let path = TerminalText.sanitize(end.path, maxCharacters: 120)
    if end.cancelled {
        state.notice = Notice("Cancelled \(name): \(path) is kept (w on the file resumes it)", .info, elidable: path)
        return
    }
    switch end.progress.state {
    case .verified(let algorithm):
        state.notice = Notice("Saved \(path) (\(Format.bytes(Int(end.progress.bytes))), verified \(algorithm))", .success, elidable: path)
    case .unverified:
        state.notice = Notice("Saved \(path) (\(Format.bytes(Int(end.progress.bytes))); no hash to verify it against)", .success, elidable: path)
    case .hashMismatch:
        state.notice = Notice("\(name): hash mismatch — kept as \(path), D for the details", .error, elidable: path)
    default:
        // The state alone (its note, often the same words, is in the pane).
        let kept = end.progress.bytes > 0 ? ", kept as \(path)" : ""
        state.notice = Notice("\(name): \(TerminalText.sanitize(end.progress.state.text, maxCharacters: 120))\(kept) — D for the details", .error)
    }
}

func applyMirrorStopped(_ state: inout AppState, name: String, error: String?) {
    let shown = TerminalText.sanitize(name, maxCharacters: 40)
    if let error {
        state.notice = Notice("Could not stop \(shown): \(TerminalText.sanitize(error, maxCharacters: 120))", .error)
    } else {
        let serving = state.downloads.filter { $0.servingMirror?.name == name }.count
        state.notice = Notice("Stopped \(shown) (demo): it refuses connections now"
                              + (serving > 0 ? "; its downloads move to the next mirror" : ""), .warning)
    }
}

/// The active downloads in one phrase, "2 downloads · 12.4 MB/s"; nil when none runs.
public func downloadsSummary(_ state: AppState, separator: String = "·") -> String? {
    let active = state.downloads.filter(\.isActive)
    guard !active.isEmpty else { return nil }
    let rate = active.reduce(0) { $0 + $1.progress.bytesPerSecond }
    return "\(active.count) download\(active.count == 1 ? "" : "s") \(separator) \(Format.rate(rate))"
}

private func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
