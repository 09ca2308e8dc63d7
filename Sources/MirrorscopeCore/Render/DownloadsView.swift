/// The downloads pane (`D`): every download of the session, two lines each. The first: the name,
/// a progress bar, the percentage and bytes of the total; the second: the rate, the ETA, the
/// mirror serving it and its state ("verified sha256", "moved to Madrid (Warsaw stalled)").
/// Names, mirror names and notes come from the network: all sanitized here.
enum DownloadsView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: r.height)
        var title = " Downloads"
        if let summary = downloadsSummary(state, separator: glyphs.separator) { title += "  \(summary)" } else if !state.downloads.isEmpty { title += "  none running" }
        grid.put(title, x: r.x, y: r.y, style: Style(.dimmed, [.bold]), maxWidth: r.width)
        let folder = "into " + TerminalText.sanitize(state.options.downloadFolder, maxCharacters: 60) + " "
        if DisplayWidth.of(title) + DisplayWidth.of(folder) + 2 <= r.width {
            grid.put(folder, x: r.x + r.width - DisplayWidth.of(folder), y: r.y, style: Style(.dimmed))
        }
        let list = Rect(x: r.x, y: r.y + 1, width: r.width, height: r.height - 1)
        guard !state.downloads.isEmpty else {
            grid.put("No downloads yet: w on a file of the chosen mirror's links starts one.", x: list.x + 2, y: list.y + 1,
                     style: Style(.dimmed), maxWidth: list.width - 4)
            return
        }
        // Two lines a download; the selected one kept in view.
        let fits = max(1, list.height / 2)
        let cursor = min(max(0, state.downloadCursor), state.downloads.count - 1)
        let top = max(0, min(cursor - fits + 1, state.downloads.count - fits))
        for (offset, i) in (top..<min(state.downloads.count, top + fits)).enumerated() {
            let y = list.y + offset * 2
            drawEntry(state.downloads[i], x: list.x, y: y, width: list.width, glyphs: glyphs, &grid)
            if i == cursor {
                grid.put(glyphs.marker, x: list.x, y: y, style: Style(.accent, [.bold]))
                grid.highlight(y: y, x: list.x, width: list.width, background: .selected)
                grid.highlight(y: y + 1, x: list.x, width: list.width, background: .selected)
            }
        }
        if top > 0 { grid.put("↑ \(top) more", x: list.x + list.width - 10, y: list.y, style: Style(.dimmed)) }
        let below = state.downloads.count - (top + fits)
        if below > 0 { grid.put("↓ \(below) more", x: list.x + list.width - 10, y: list.y + fits * 2 - 1, style: Style(.dimmed)) }
    }

    static func drawEntry(_ entry: DownloadEntry, x: Int, y: Int, width: Int, glyphs: Glyphs, _ grid: inout Grid) {
        let p = entry.progress
        let inner = width - 2
        // Line 1: name, bar, percentage, bytes/total.
        let nameWidth = min(max(inner / 3, 12), 36)
        let name = DisplayWidth.truncate(TerminalText.sanitize(p.fileName, maxCharacters: 120), to: nameWidth)
        grid.put(name, x: x + 2, y: y, style: Style(.normal, [.bold]))
        let bytes = p.total.map { "\(Format.bytes(Int(p.bytes))) / \(Format.bytes(Int($0)))" } ?? Format.bytes(Int(p.bytes))
        let fraction: Double? = p.total.flatMap { $0 > 0 ? Double(p.bytes) / Double($0) : nil }
        let percent = fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? ""
        let tail = (percent.isEmpty ? "" : percent.leftPadded(to: 4) + "  ") + bytes
        let barX = x + 3 + nameWidth
        let barWidth = max(0, inner - nameWidth - 3 - DisplayWidth.of(tail))
        if barWidth >= 4 {
            let bar = fraction.map { Bar.text(fraction: $0, width: barWidth, glyphs: glyphs) } ?? ""
            grid.put(String(repeating: glyphs.trough, count: barWidth), x: barX, y: y, style: Style(.dimmed))
            if !bar.isEmpty { grid.put(bar, x: barX, y: y, style: Style(barRole(entry))) }
        }
        grid.put(tail, x: x + width - DisplayWidth.of(tail) - 1, y: y, style: Style(.normal), maxWidth: inner)
        // Line 2: rate, ETA, the serving mirror, the state.
        var facts: [String] = []
        if entry.isActive {
            if p.bytesPerSecond > 0 { facts.append(Format.rate(p.bytesPerSecond)) }
            if let eta = p.etaSeconds, eta.isFinite, eta >= 0 { facts.append("ETA " + Format.duration(seconds: Int(eta.rounded(.up)))) }
            let serving = p.mirrors.isEmpty ? entry.order.mirrors.prefix(1).map(\.name) : p.mirrors
            if !serving.isEmpty { facts.append("from " + serving.map { TerminalText.sanitize($0, maxCharacters: 24) }.joined(separator: "+")) }
        }
        var lineX = x + 4
        if !facts.isEmpty {
            lineX += grid.put(facts.joined(separator: "  "), x: lineX, y: y + 1, style: Style(.dimmed), maxWidth: max(0, inner - 3))
            lineX += 2
        }
        let text = TerminalText.sanitize(entry.stateText, maxCharacters: 200)
        grid.put(DisplayWidth.truncate(text, to: max(0, x + width - 1 - lineX)), x: lineX, y: y + 1, style: Style(stateRole(entry), [.bold]))
    }

    private static func barRole(_ entry: DownloadEntry) -> Role {
        switch entry.progress.state {
        case .hashMismatch, .failed: .barSlow
        default: entry.cancelled ? .dimmed : .barFast
        }
    }

    private static func stateRole(_ entry: DownloadEntry) -> Role {
        if entry.cancelled || entry.cancelling { return .dimmed }
        switch entry.progress.state {
        case .verified, .unverified: return .notice
        case .hashMismatch, .failed: return .failed
        case .starting, .downloading, .verifying: return entry.progress.note == nil ? .normal : .accent
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(self))) + self
    }
}
