/// The mirror list: one row per mirror with its name, response-time bar, figure and state.
enum MirrorListView {
    struct Columns {
        /// `place` is 0 when no mirror has a country or location (or the screen is narrow).
        var name: Int, place: Int, bar: Int, ms: Int, state: Int
        var nameX: Int { 2 }
        var placeX: Int { nameX + name + 1 }
        var barX: Int { placeX + (place > 0 ? place + 1 : 0) }
        var msX: Int { barX + bar + 1 }
        var stateX: Int { msX + ms + 1 }

        /// The widest place shown; a free-text location longer than this is cut.
        static let maxPlace = 6

        init(width: Int, placeWidth: Int = 0) {
            // Failure reasons matter more than the last few bar cells: the state column grows first.
            name = min(max(width / 5, 10), 24)
            state = min(max(width / 4, 9), 30)
            ms = 8
            place = width >= 60 ? min(placeWidth, Self.maxPlace) : 0
            bar = max(3, width - 2 - name - 1 - (place > 0 ? place + 1 : 0) - 1 - ms - 1 - state)
        }
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
        let columns = Columns(width: r.width, placeWidth: placeColumnWidth(state.rows))
        let titles = Style(.dimmed, [.bold])
        grid.put("Mirror", x: r.x + columns.nameX, y: layout.subheader.y, style: titles)
        if columns.place >= 5 {  // country codes alone need no title
            grid.put("Where", x: r.x + columns.placeX, y: layout.subheader.y, style: titles)
        }
        grid.put("Response time", x: r.x + columns.barX, y: layout.subheader.y, style: titles, maxWidth: columns.bar)
        grid.put(DisplayWidth.pad("ms", to: columns.ms, alignRight: true), x: r.x + columns.msX, y: layout.subheader.y, style: titles)
        grid.put("State", x: r.x + columns.stateX, y: layout.subheader.y, style: titles, maxWidth: columns.state)

        let order = state.displayOrder
        let scale = scaleMax(state.rows)
        let highlighted = state.highlightedRowIndex(in: order)
        let visible = order.dropFirst(state.scrollTop).prefix(r.height)
        for (offset, index) in visible.enumerated() {
            let y = r.y + offset
            drawRow(state.rows[index], state: state, y: y, x: r.x, columns: columns, scale: scale, glyphs: glyphs, grid: &grid)
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

    /// The slowest figure shown (this round's answers and the dimmed earlier ones): bars are drawn
    /// against it, so the slowest bar fills its column.
    static func scaleMax(_ rows: [MirrorRow]) -> Double {
        var top = 0.0
        for row in rows {
            if let ms = row.report?.ms { top = max(top, ms) } else if !row.isFinished, let ms = row.previous?.ms { top = max(top, ms) }
        }
        return top
    }

    static func drawRow(_ row: MirrorRow, state: AppState, y: Int, x: Int, columns: Columns, scale: Double,
                        glyphs: Glyphs, grid: inout Grid) {
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
            grid.put(DisplayWidth.pad(Format.ms(ms), to: columns.ms, alignRight: true), x: x + columns.msX, y: y,
                     style: Style(dim ? .dimmed : .normal))
        }
        let (text, role) = stateText(row, state: state, glyphs: glyphs, columnWidth: columns.state)
        grid.put(DisplayWidth.truncate(text, to: columns.state), x: x + columns.stateX, y: y, style: Style(role))
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

    static func stateText(_ row: MirrorRow, state: AppState, glyphs: Glyphs, columnWidth: Int) -> (String, Role) {
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
