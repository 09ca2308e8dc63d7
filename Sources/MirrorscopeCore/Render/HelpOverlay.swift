/// The help overlay, generated from the keymap that dispatches the keys; its lines and measures
/// come from `HelpLayout`, which `update` scrolls by.
enum HelpOverlay {
    static func draw(_ state: AppState, _ glyphs: Glyphs, _ grid: inout Grid) {
        let help = HelpLayout(state)
        let visible = help.visibleLineCount
        let hidden = help.hiddenLineCount
        let top = min(max(state.helpScroll, 0), hidden)
        var lines = Array(help.lines.dropFirst(top).prefix(visible))
        if hidden == 0 {
            lines.append(HelpLayout.Line(label: "", text: "any key closes this help"))
        } else {
            lines.append(HelpLayout.Line(label: "", text: top < hidden ? "↓ more, other keys close" : "↑ back, other keys close"))
        }
        let height = min(state.height - 2, lines.count + 2)
        let r = Rect(x: (state.width - help.width) / 2, y: max(1, (state.height - height) / 2), width: help.width, height: height)
        grid.box(r, title: "Keys", glyphs: glyphs)
        for (i, line) in lines.prefix(max(0, height - 2)).enumerated() {
            let y = r.y + 1 + i
            let isFooter = i == lines.count - 1
            grid.put(DisplayWidth.truncate(line.label, to: help.labelWidth), x: r.x + 2, y: y, style: Style(.accent, [.bold]))
            grid.put(line.text, x: r.x + 4 + help.labelWidth, y: y, style: Style(isFooter ? .dimmed : .normal), maxWidth: help.textWidth)
        }
    }
}
