/// The response-time bar gauge, in eighths of a cell (as ratatui's gauges).
public enum Bar {
    /// A bar of `fraction` (0...1) of `width` cells, in eighths of a cell; any answered mirror gets
    /// at least one eighth so that it is visibly there.
    public static func text(fraction: Double, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        let clamped = min(max(fraction, 0), 1)
        let eighths = max(1, Int((clamped * Double(width * 8)).rounded()))
        var s = String(repeating: glyphs.full, count: eighths / 8)
        let rest = eighths % 8
        if rest > 0 {
            let part = glyphs.partial[rest]
            s += part.isEmpty && eighths < 8 ? glyphs.partial.last(where: { !$0.isEmpty }) ?? glyphs.full : part
        }
        return s
    }

    /// The samples' spread (fastest to slowest) as a thin whisker over a bar drawn to `median`:
    /// a line from the bar's end out to the slowest sample's cell, capped there, and a cap in the
    /// fastest sample's cell when that lies inside the bar. A spread within the bar's last cell
    /// draws nothing. Returns the cells to overwrite, as offsets into the bar's column.
    public static func whisker(fastest: Double, slowest: Double, median: Double, scale: Double, width: Int,
                               glyphs: Glyphs) -> [(offset: Int, text: String)] {
        guard width > 0, scale > 0 else { return [] }
        func cell(_ value: Double) -> Int {
            let eighths = max(1, Int((min(max(value / scale, 0), 1) * Double(width * 8)).rounded()))
            return min(width - 1, (eighths - 1) / 8)
        }
        let end = cell(median), high = cell(slowest), low = cell(fastest)
        var cells: [(offset: Int, text: String)] = []
        if low < end { cells.append((low, glyphs.whiskerLow)) }
        if high > end {
            // From the first cell the bar leaves blank: in ASCII a short last eighth draws nothing,
            // and a gap there would cut the whisker off its bar.
            let drawn = text(fraction: median / scale, width: width, glyphs: glyphs).count
            for x in min(end + 1, drawn)..<high { cells.append((x, glyphs.whiskerLine)) }
            cells.append((high, glyphs.whiskerHigh))
        }
        return cells
    }

    /// Fast, medium or slow by thirds of the scale.
    public static func role(fraction: Double) -> Role {
        if fraction <= 1.0 / 3.0 { return .barFast }
        if fraction <= 2.0 / 3.0 { return .barMedium }
        return .barSlow
    }
}
