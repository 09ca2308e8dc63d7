/// The mirror list: one row per mirror with its name, response-time bar, figure and state.
enum MirrorListView {
    struct Columns {
        /// `place` is 0 when no mirror has a country or location (or the screen is narrow); `rate`
        /// and `behind` are 0 unless the page measures throughput or freshness (and there is room).
        var name: Int, place: Int, bar: Int, ms: Int, rate: Int = 0, behind: Int = 0, state: Int
        var nameX: Int { 2 }
        var placeX: Int { nameX + name + 1 }
        var barX: Int { placeX + (place > 0 ? place + 1 : 0) }
        var msX: Int { barX + bar + 1 }
        var rateX: Int { msX + ms + 1 }
        var behindX: Int { rateX + (rate > 0 ? rate + 1 : 0) }
        var stateX: Int { behindX + (behind > 0 ? behind + 1 : 0) }

        /// The widest place shown; a free-text location longer than this is cut.
        static let maxPlace = 6
        /// "12.4 MB/s", "1.05 GB/s"; "Behind" (its title) over "3h", "12d".
        static let rateWidth = 9
        static let behindWidth = 6
        /// The response-time bar keeps at least this much; the new columns give way first.
        static let minBarWithMeasures = 8

        init(width: Int, placeWidth: Int = 0, showRate: Bool = false, showBehind: Bool = false) {
            // Failure reasons matter more than the last few bar cells: the state column grows first.
            name = min(max(width / 5, 10), 24)
            state = min(max(width / 4, 9), 30)
            ms = 8
            place = width >= 60 ? min(placeWidth, Self.maxPlace) : 0
            rate = showRate ? Self.rateWidth : 0
            behind = showBehind ? Self.behindWidth : 0
            bar = 0
            bar = fittingBar(width)
            if (rate > 0 || behind > 0), bar < Self.minBarWithMeasures, behind > 0 { behind = 0; bar = fittingBar(width) }
            if rate > 0, bar < Self.minBarWithMeasures { rate = 0; bar = fittingBar(width) }
        }

        private func fittingBar(_ width: Int) -> Int {
            max(3, width - 2 - name - 1 - (place > 0 ? place + 1 : 0) - 1 - ms - 1
                - (rate > 0 ? rate + 1 : 0) - (behind > 0 ? behind + 1 : 0) - state)
        }
    }

    /// Whether the rate column is shown: the page has a sample object, or rates were measured.
    static func showsRate(_ state: AppState) -> Bool {
        state.page.probe.throughput.skipReason(state.page.mirrors) == nil
            || state.rows.contains { $0.report?.throughput != nil || $0.previous?.throughput != nil }
    }

    /// Whether the "Behind" column is shown: the page has a timestamp object, or its list says
    /// when mirrors synced (the Arch status).
    static func showsBehind(_ state: AppState) -> Bool {
        state.page.probe.freshness != nil || state.rows.contains { $0.mirror.freshness?.lastSync != nil }
    }

    /// Wide enough for the longest place up to `maxPlace` (a rough count: the cell is cut to
    /// its display width when drawn); 0 when no mirror has one. Cheap, as it runs every frame.
    static func placeColumnWidth(_ rows: [MirrorRow]) -> Int {
        var widest = 0
        for row in rows {
            guard let text = row.mirror.country ?? row.mirror.location else { continue }
            widest = max(widest, min(text.utf8.count, Columns.maxPlace), 2)  // utf8.count is O(1)
            if widest == Columns.maxPlace { break }
        }
        return widest
    }

    /// Where a mirror is, as short as the list allows: its country code, else its location.
    static func place(of mirror: Mirror) -> String? {
        let text = mirror.country ?? mirror.location
        guard let text, !text.isEmpty else { return nil }
        return TerminalText.sanitize(text, maxCharacters: 40)
    }

    static func draw(_ state: AppState, _ layout: Layout, _ glyphs: Glyphs, _ grid: inout Grid) {
        let r = layout.list
        let columns = Columns(width: r.width, placeWidth: placeColumnWidth(state.rows),
                              showRate: showsRate(state), showBehind: showsBehind(state))
        let titles = Style(.dimmed, [.bold])
        grid.put("Mirror", x: r.x + columns.nameX, y: layout.subheader.y, style: titles)
        if columns.place >= 5 {  // country codes alone need no title
            grid.put("Where", x: r.x + columns.placeX, y: layout.subheader.y, style: titles)
        }
        grid.put(columns.bar >= 13 ? "Response time" : "Response", x: r.x + columns.barX, y: layout.subheader.y, style: titles, maxWidth: columns.bar)
        grid.put(DisplayWidth.pad("ms", to: columns.ms, alignRight: true), x: r.x + columns.msX, y: layout.subheader.y, style: titles)
        if columns.rate > 0 {
            grid.put(DisplayWidth.pad("Rate", to: columns.rate, alignRight: true), x: r.x + columns.rateX, y: layout.subheader.y, style: titles)
        }
        if columns.behind > 0 {
            grid.put(DisplayWidth.pad("Behind", to: columns.behind, alignRight: true), x: r.x + columns.behindX, y: layout.subheader.y, style: titles)
        }
        grid.put("State", x: r.x + columns.stateX, y: layout.subheader.y, style: titles, maxWidth: columns.state)

        let order = state.displayOrder
        let scale = scaleMax(state.rows)
        let judge = state.freshnessJudge
        let highlighted = state.highlightedRowIndex(in: order)
        let visible = order.dropFirst(state.scrollTop).prefix(r.height)
        for (offset, index) in visible.enumerated() {
            let y = r.y + offset
            let row = state.rows[index]
            let verdict = judge.verdict(row.mirror, measured: row.report?.freshness)
            drawRow(row, state: state, verdict: verdict, y: y, x: r.x, columns: columns, scale: scale, glyphs: glyphs, grid: &grid)
            drawMeasures(row, verdict: verdict, judge: judge, y: y, x: r.x, columns: columns, grid: &grid)
            if index == highlighted {
                grid.put(glyphs.marker, x: r.x, y: y, style: Style(.accent, [.bold]))
                grid.highlight(y: y, x: r.x, width: r.width, background: .selected)
            }
        }
        if order.isEmpty {
            grid.put("The page lists no mirrors.", x: r.x + 2, y: r.y, style: Style(.dimmed))
        }
        if order.count > r.height, r.height > 0 {
            let more = "\(state.scrollTop + 1)-\(min(order.count, state.scrollTop + r.height)) of \(order.count)"
            grid.put(more, x: r.x + r.width - DisplayWidth.of(more) - 1, y: layout.subheader.y, style: Style(.dimmed))
        }
    }

    /// The slowest figure shown (this round's answers and the dimmed earlier ones, each to its
    /// slowest sample): bars and whiskers are drawn against it, so the slowest fills its column.
    static func scaleMax(_ rows: [MirrorRow]) -> Double {
        var top = 0.0
        for row in rows {
            guard let report = shownReport(row), let ms = report.ms else { continue }
            top = max(top, ms)
            for sample in report.samples { top = max(top, sample.responseMs) }
        }
        return top
    }

    /// The report a row's bar shows: this round's, else the previous round's while waiting.
    static func shownReport(_ row: MirrorRow) -> MirrorReport? {
        if let report = row.report { return report }
        return row.isFinished ? nil : row.previous
    }

    static func drawRow(_ row: MirrorRow, state: AppState, verdict: FreshnessVerdict = .unknown, y: Int, x: Int,
                        columns: Columns, scale: Double, glyphs: Glyphs, grid: inout Grid) {
        if row.mirror.id == state.chosenID {
            grid.put(glyphs.chosen, x: x + 1, y: y, style: Style(.accent, [.bold]))
        }
        let name = TerminalText.sanitize(row.name, maxCharacters: 80)
        grid.put(DisplayWidth.truncate(name, to: columns.name), x: x + columns.nameX, y: y,
                 style: Style(row.isFailed ? .failed : .normal))
        if columns.place > 0, let place = place(of: row.mirror) {
            grid.put(DisplayWidth.truncate(place, to: columns.place), x: x + columns.placeX, y: y, style: Style(.dimmed))
        }

        // The figure to draw: this round's, else the previous round's (dimmed) while waiting.
        var figure: Double? = row.report?.ms
        var dim = false
        if figure == nil, !row.isFinished, let previous = row.previous?.ms { figure = previous; dim = true }
        if let ms = figure, scale > 0 {
            let fraction = ms / scale
            let role: Role = dim ? .dimmed : Bar.role(fraction: fraction)
            grid.put(Bar.text(fraction: fraction, width: columns.bar, glyphs: glyphs), x: x + columns.barX, y: y,
                     style: Style(role), maxWidth: columns.bar)
            let times = shownReport(row)?.samples.map(\.responseMs) ?? []
            if let fastest = times.min(), let slowest = times.max() {
                for cell in Bar.whisker(fastest: fastest, slowest: slowest, median: ms, scale: scale, width: columns.bar, glyphs: glyphs) {
                    grid.put(cell.text, x: x + columns.barX + cell.offset, y: y, style: Style(role))
                }
            }
            grid.put(DisplayWidth.pad(Format.ms(ms), to: columns.ms, alignRight: true), x: x + columns.msX, y: y,
                     style: Style(dim ? .dimmed : .normal))
        }
        let (text, role) = stateText(row, state: state, verdict: verdict, glyphs: glyphs, columnWidth: columns.state)
        grid.put(DisplayWidth.truncate(text, to: columns.state), x: x + columns.stateX, y: y, style: Style(role))
    }

    /// The rate (live while downloading, this round's, else the last round's dimmed) and how far
    /// behind the mirror is, highlighted past the judge's threshold.
    static func drawMeasures(_ row: MirrorRow, verdict: FreshnessVerdict, judge: FreshnessJudge, y: Int, x: Int,
                             columns: Columns, grid: inout Grid) {
        if columns.rate > 0 {
            var text: String?
            var role = Role.normal
            if let progress = row.throughputProgress {
                text = progress.bytesPerSecond.map(Format.rate)
                role = .accent
            } else if let result = row.report?.throughput {
                text = result.bytesPerSecond.map(Format.rate) ?? "–"
                if result.bytesPerSecond == nil { role = .dimmed }
            } else if !row.isFinished, let rate = row.previous?.bytesPerSecond {
                text = Format.rate(rate)
                role = .dimmed
            }
            if let text {
                grid.put(DisplayWidth.pad(text, to: columns.rate, alignRight: true), x: x + columns.rateX, y: y, style: Style(role),
                         maxWidth: columns.rate)
            }
        }
        if columns.behind > 0, let behind = verdict.behindSeconds {
            let past = behind > judge.highlightAfterSeconds
            let role: Role = verdict.stale || past ? .notice : (verdict.source == .list ? .dimmed : .normal)
            grid.put(DisplayWidth.pad(Format.age(seconds: behind), to: columns.behind, alignRight: true), x: x + columns.behindX, y: y,
                     style: Style(role, past ? [.bold] : []))
        }
    }

    /// The list has room for a word or two; the detail pane shows the whole reason.
    static func shortReason(_ failure: ProbeFailure) -> String {
        switch failure.kind {
        case .dns: return "no such host"
        case .refused: return "refused"
        case .unreachable: return "unreachable"
        case .timeout: return "timeout"
        case .tls: return "TLS"
        case .reset: return "reset"
        case .protocolError: return "not HTTP"
        case .proxy: return "proxy"
        case .http, .unsupported: return failure.reason
        }
    }

    static func stateText(_ row: MirrorRow, state: AppState, verdict: FreshnessVerdict = .unknown, glyphs: Glyphs,
                          columnWidth: Int) -> (String, Role) {
        if let progress = row.throughputProgress {
            // The download's small bar: how far towards max_bytes or max_ms, whichever is nearer.
            let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
            let width = max(1, min(10, columnWidth - 2))
            let bar = Bar.text(fraction: progress.fraction, width: width, glyphs: glyphs)
            return ("\(spin) " + bar, .accent)
        }
        if verdict.stale, row.isOK { return ("stale", .notice) }
        switch row.status {
        case .waiting:
            return ("waiting", .dimmed)
        case .probing(let done):
            let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
            return ("\(spin) probing \(done)/\(state.page.probe.samples)", .normal)
        case .finished(let report):
            if let failure = report.failure {
                // A narrow column shows the reason alone, in the failed colour.
                let wide = DisplayWidth.of("failed: " + shortReason(failure)) <= columnWidth
                return ((wide ? "failed: " : "") + shortReason(failure), .failed)
            }
            return ("done", .normal)
        }
    }
}
