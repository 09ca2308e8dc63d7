/// Draws a whole frame from the state. Pure: the same state always gives the same grid.
public func render(_ state: AppState) -> Grid {
    var grid = Grid(width: state.width, height: state.height)
    if Layout.isTooSmall(width: state.width, height: state.height) {
        drawTooSmall(&grid)
        return grid
    }
    let layout = Layout(state)
    let glyphs = Glyphs.forOptions(state.options)
    HeaderView.draw(state, layout.header, glyphs, &grid)
    switch state.screen {
    case .mirrors:
        MirrorListView.draw(state, layout, glyphs, &grid)
        if let pane = layout.pane { DetailView.draw(state, pane, glyphs, &grid) }
    case .using:
        BrowserView.draw(state, layout, glyphs, &grid)
    }
    NoticeView.draw(state, layout.notice, &grid)
    FooterView.draw(state, layout.footer, glyphs, &grid)
    if state.showHelp { HelpOverlay.draw(state, glyphs, &grid) }
    return grid
}

private func drawTooSmall(_ grid: inout Grid) {
    let lines = ["terminal too small", "need \(Layout.minimumWidth)×\(Layout.minimumHeight)"]
    let top = max(0, grid.height / 2 - 1)
    for (i, line) in lines.enumerated() {
        let w = DisplayWidth.of(line)
        grid.put(line, x: max(0, (grid.width - w) / 2), y: top + i, style: Style(.notice, [.bold]))
    }
}

enum HeaderView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let style = Style(.header, bg: .header)
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style))
        var right = "round \(state.round)"
        if state.roundActive {
            let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
            right += "  \(state.finishedCount)/\(state.rows.count) \(spin)"
        } else if state.round > 0 {
            right += "  \(state.finishedCount)/\(state.rows.count)"
        }
        let left: String
        switch state.screen {
        case .mirrors:
            left = " Mirrorscope  " + (state.page.title.map { TerminalText.sanitize($0, maxCharacters: 80) } ?? state.page.source)
        case .using:
            let m = state.chosenMirror
            left = " Mirrorscope  using " + TerminalText.sanitize(m?.displayName ?? "?", maxCharacters: 40) + "  " + (m?.url ?? "")
        }
        let rightWidth = DisplayWidth.of(right) + 1
        grid.put(left, x: r.x, y: r.y, style: style, maxWidth: max(0, r.width - rightWidth - 1))
        grid.put(right, x: r.x + r.width - rightWidth, y: r.y, style: style)
    }
}

enum NoticeView {
    static func draw(_ state: AppState, _ r: Rect, _ grid: inout Grid) {
        guard let notice = state.notice else { return }
        let role: Role = notice.kind == .error ? .failed : .notice
        let attrs: Attributes = notice.kind == .info ? [] : [.bold]
        for (i, line) in lines(notice, width: r.width - 2, maxLines: r.height).enumerated() {
            grid.put(" " + line, x: r.x, y: r.y + i, style: Style(role, attrs))
        }
    }

    /// The notice as at most `maxLines` lines: on one line when it fits (shortening its URL if
    /// that is enough), else wrapped, with the URL shortened only as far as needed.
    static func lines(_ notice: Notice, width: Int, maxLines: Int) -> [String] {
        if DisplayWidth.of(notice.text) <= width || maxLines < 2 { return [notice.fitted(to: width)] }
        var wrapped = HelpOverlay.wrap(notice.text, width: width, breakWords: true)
        if wrapped.count > maxLines, let url = notice.elidable {
            var shorter = notice
            shorter.text = notice.text.replacingFirst(url, with: String(url.prefix(max(8, width / 3))) + "…")
            wrapped = HelpOverlay.wrap(shorter.text, width: width, breakWords: true)
        }
        if wrapped.count > maxLines {
            wrapped = Array(wrapped.prefix(maxLines))
            wrapped[maxLines - 1] = DisplayWidth.truncate(wrapped[maxLines - 1] + " …", to: width)
        }
        return wrapped
    }

    /// How many lines the notice needs at this width (1 or 2).
    static func height(_ state: AppState) -> Int {
        guard let notice = state.notice else { return 1 }
        return DisplayWidth.of(notice.text) > state.width - 2 ? 2 : 1
    }
}

enum FooterView {
    /// The key hints come from the keymap, so they cannot disagree with what the keys do. When the
    /// line is too narrow, the least important hints go first; help and quit stay.
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let context: KeyContext = state.screen == .mirrors ? .mirrors : .using
        var hints: [(binding: KeyBinding, label: String, text: String)] = Keymap.bindings(in: context).compactMap { binding in
            guard let word = binding.footer else { return nil }
            let label = binding.action == .moveDown ? (state.options.unicode ? "↑↓" : "j/k") : binding.label
            let text = binding.action == .cycleSort ? word + ": " + state.sort.shortName : word
            return (binding, label, text)
        }
        func width(_ h: [(binding: KeyBinding, label: String, text: String)]) -> Int {
            h.reduce(1) { $0 + DisplayWidth.of($1.label) + 1 + DisplayWidth.of($1.text) + 2 }
        }
        while width(hints) > r.width, let drop = hints.indices.max(by: { hints[$0].binding.footerPriority < hints[$1].binding.footerPriority }),
              hints[drop].binding.footerPriority > 0 {
            hints.remove(at: drop)
        }
        var x = r.x + 1
        for hint in hints {
            x += grid.put(hint.label, x: x, y: r.y, style: Style(.accent, [.bold]))
            x += 1
            x += grid.put(hint.text, x: x, y: r.y, style: Style(.dimmed))
            x += 2
        }
    }
}
