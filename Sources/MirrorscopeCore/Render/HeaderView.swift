/// The top line: the page (or the mirror in use) on the left, the round's progress on the right.
enum HeaderView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let style = Style(.header, bg: .header)
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style))
        var right = state.options.via.map { "via \(TerminalText.sanitize($0, maxCharacters: 40))  " } ?? ""
        right += "round \(state.round)"
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
            let chosen = state.chosenRow
            left = " Mirrorscope  using " + TerminalText.sanitize(chosen?.name ?? "?", maxCharacters: 40) + "  " + (chosen?.mirror.url ?? "")
        }
        let rightWidth = DisplayWidth.of(right) + 1
        grid.put(left, x: r.x, y: r.y, style: style, maxWidth: max(0, r.width - rightWidth - 1))
        grid.put(right, x: r.x + r.width - rightWidth, y: r.y, style: style)
    }
}
