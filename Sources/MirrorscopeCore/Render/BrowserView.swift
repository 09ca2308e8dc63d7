/// The "using" screen: the page's links (or a folder of the mirror), opened through the chosen mirror.
enum BrowserView {
    static func draw(_ state: AppState, _ layout: Layout, _ glyphs: Glyphs, _ grid: inout Grid) {
        guard let listing = state.browser.current else { return }
        grid.put(" " + listing.title, x: 0, y: layout.subheader.y, style: Style(.dimmed, [.bold]), maxWidth: layout.subheader.width)
        let r = layout.list
        let visible = listing.entries.enumerated().dropFirst(listing.scrollTop).prefix(r.height)
        for (offset, (i, entry)) in visible.enumerated() {
            let y = r.y + offset
            let text = TerminalText.sanitize(entry.text, maxCharacters: 120)
            let pathShown = entry.path.isEmpty ? "/" : "/" + entry.path
            let textWidth = min(max(r.width / 3, 12), 40)
            grid.put(DisplayWidth.truncate(text, to: textWidth), x: r.x + 2, y: y, style: Style(.normal))
            grid.put(pathShown, x: r.x + 3 + textWidth, y: y, style: Style(.dimmed), maxWidth: max(0, r.width - textWidth - 4))
            if i == listing.cursor {
                grid.put(glyphs.marker, x: r.x, y: y, style: Style(.accent, [.bold]))
                grid.highlight(y: y, x: r.x, width: r.width, background: .selected)
            }
        }
        if listing.entries.isEmpty {
            grid.put("(empty)", x: r.x + 2, y: r.y, style: Style(.dimmed))
        }
        if let pane = layout.pane { drawResult(state, pane, glyphs, &grid) }
    }

    static func drawResult(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        if let pending = state.browser.pending {
            let spin = glyphs.spinner[state.animationFrame % glyphs.spinner.count]
            grid.box(r, title: "/" + pending.path, glyphs: glyphs)
            grid.put("\(spin) fetching \(pending.url)", x: r.x + 2, y: r.y + 1, style: Style(.normal), maxWidth: r.width - 4)
            return
        }
        guard let result = state.browser.result else { return }
        grid.box(r, title: "/" + (state.browser.resultRequest?.path ?? ""), glyphs: glyphs)
        let inner = r.width - 4
        var y = r.y + 1
        if let error = result.error {
            grid.put(DisplayWidth.truncate(error, to: inner), x: r.x + 2, y: y, style: Style(.failed, [.bold]))
            return
        }
        var facts: [String] = []
        if let status = result.status { facts.append("HTTP \(status)") }
        facts.append(Format.bytes(result.bytes))
        facts.append(Format.ms(result.elapsedMs))
        if let type = result.contentType { facts.append(TerminalText.sanitize(type, maxCharacters: 60)) }
        let statusRole: Role = (result.status ?? 0) >= 400 ? .failed : .notice
        grid.put(DisplayWidth.truncate(facts.joined(separator: " \(glyphs.separator) "), to: inner), x: r.x + 2, y: y, style: Style(statusRole, [.bold]))
        y += 1
        grid.put(DisplayWidth.truncate(result.url, to: inner), x: r.x + 2, y: y, style: Style(.dimmed))
        y += 1
        if let saved = result.savedTo {
            grid.put(DisplayWidth.truncate("saved to " + saved, to: inner), x: r.x + 2, y: y, style: Style(.notice))
            y += 1
        }
        if result.preview.isEmpty, result.savedTo == nil, result.bytes > 0 {
            grid.put("(binary content: not shown; w saves it)", x: r.x + 2, y: y, style: Style(.dimmed), maxWidth: inner)
        }
        for line in result.preview where y < r.y + r.height - 1 {
            grid.put(DisplayWidth.truncate(line, to: inner), x: r.x + 2, y: y, style: Style(.normal))
            y += 1
        }
    }
}
