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
        let role: Role
        switch notice.kind {
        case .success, .info: role = .notice
        case .warning: role = .notice
        case .error: role = .failed
        }
        let attrs: Attributes = notice.kind == .info ? [] : [.bold]
        grid.put(" " + DisplayWidth.truncate(notice.text, to: r.width - 2), x: r.x, y: r.y, style: Style(role, attrs))
    }
}

enum FooterView {
    /// The key hints come from the keymap, so they cannot disagree with what the keys do.
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let context: KeyContext = state.screen == .mirrors ? .mirrors : .using
        var x = r.x + 1
        for binding in Keymap.bindings(in: context) {
            guard let word = binding.footer else { continue }
            let label = binding.action == .moveDown ? (state.options.unicode ? "↑↓" : "j/k") : binding.label
            var text = word
            if binding.action == .cycleSort { text += ": " + state.sort.rawValue }
            let needed = DisplayWidth.of(label) + 1 + DisplayWidth.of(text) + 2
            if x + needed > r.x + r.width { break }
            x += grid.put(label, x: x, y: r.y, style: Style(.accent, [.bold]))
            x += 1
            x += grid.put(text, x: x, y: r.y, style: Style(.dimmed))
            x += 2
        }
    }
}
