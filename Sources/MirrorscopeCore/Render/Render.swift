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
    case _ where state.showDownloads:
        // Over the whole body, whichever screen is under it.
        DownloadsView.draw(state, Rect(x: 0, y: 1, width: state.width, height: layout.notice.y - 1), glyphs, &grid)
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
