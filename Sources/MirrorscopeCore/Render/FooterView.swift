/// The bottom line: key hints from the keymap.
enum FooterView {
    /// The key hints come from the keymap, so they cannot disagree with what the keys do. When the
    /// line is too narrow, the least important hints go first; help and quit stay.
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        let context = state.keyContext
        var hints: [(binding: KeyBinding, label: String, text: String)] = Keymap.bindings(in: context, demo: state.options.canStopMirrors).compactMap { binding in
            guard let word = binding.footer else { return nil }
            // D is hinted once there is a download to show (the help always lists it).
            if binding.action == .toggleDownloads, context != .downloads, state.downloads.isEmpty { return nil }
            // X stops the highlighted mirror: hinted where downloads can be watched moving.
            if binding.action == .stopMirror, context == .mirrors, state.downloads.isEmpty { return nil }
            let label = binding.action == .moveDown ? (state.options.unicode ? "↑↓" : "j/k") : binding.label
            // Sorting "by time" follows the ranking, which may be by rate (--rank throughput).
            let sortName = state.sort == .responseTime && state.ranking.by == .throughput ? "rate" : state.sort.shortName
            let text = binding.action == .cycleSort ? word + ": " + sortName : word
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
