/// The top line: the page (or the mirror in use) on the left, the round's progress on the right.
enum HeaderView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let style = Style(.header, bg: .header)
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style))
        var right = state.options.via.map { "via \(TerminalText.sanitize($0, maxCharacters: 40))  " } ?? ""
        // Downloads running while the pane is closed: "2 downloads · 12.4 MB/s".
        if !state.showDownloads, let summary = downloadsSummary(state, separator: glyphs.separator) { right += summary + "  " }
        right += "round \(state.round)"
        // When the fastest was named: the mirror list's business (the chosen mirror's screen has its URL to show).
        if state.screen == .mirrors, let decision = state.decision { right += "  decided in \(Format.elapsed(ms: decision.atMs))" }
        if state.roundActive {
            let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
            right += "  \(state.finishedCount)/\(state.rows.count) \(spin)"
        } else if state.round > 0 {
            right += "  \(state.finishedCount)/\(state.rows.count)"
            if let phase = phaseProgress(state) {
                let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
                right += "  \(phase) \(spin)"
            }
        }
        let left: String
        switch state.screen {
        case .mirrors:
            left = " Mirrorscope  " + (state.page.title.map { TerminalText.sanitize($0, maxCharacters: 80) } ?? state.page.source)
        case .using:
            let chosen = state.chosenRow
            left = " Mirrorscope  using " + TerminalText.sanitize(chosen?.name ?? "?", maxCharacters: 40) + "  " + (chosen?.mirror.url ?? "")
        }
        let rightWidth = DisplayWidth.of(right) + 1
        grid.put(left, x: r.x, y: r.y, style: style, maxWidth: max(0, r.width - rightWidth - 1))
        grid.put(right, x: r.x + r.width - rightWidth, y: r.y, style: style)
    }

    /// "throughput 2/5", "freshness 9/12": the phase after the latency round that is running.
    static func phaseProgress(_ state: AppState) -> String? {
        switch state.phase {
        case .freshness?:
            let answered = state.rows.filter(\.isOK)
            return "freshness \(answered.filter { $0.report?.freshness != nil }.count)/\(answered.count)"
        case .throughput?:
            let leading = Ranking.throughputCandidates(state.rows, settings: state.page.probe.throughput, judge: state.freshnessJudge)
            let done = leading.filter { m in state.row(id: m.id)?.report?.throughput != nil }.count
            return "throughput \(done)/\(leading.count)"
        case nil:
            return nil
        }
    }
}
