/// A grid as readable text for snapshot tests: one quoted row per line (as ratatui's TestBackend
/// prints a buffer), then a compact listing of styled runs, one line per run that is not plain.
public enum GridSnapshot {
    public static func text(_ grid: Grid) -> String {
        var lines: [String] = []
        for y in 0..<grid.height { lines.append("\"" + grid.rowText(y) + "\"") }
        lines.append("--- styles (row: columns role[/background] [attributes])")
        for y in 0..<grid.height {
            var runs: [String] = []
            var x = 0
            while x < grid.width {
                let style = grid[x, y].style
                var end = x
                while end + 1 < grid.width, grid[end + 1, y].style == style { end += 1 }
                if style != .plain { runs.append("\(x)-\(end) \(describe(style))") }
                x = end + 1
            }
            if !runs.isEmpty { lines.append("\(y): " + runs.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ style: Style) -> String {
        var s = style.fg.rawValue
        if style.bg != .normal { s += "/" + style.bg.rawValue }
        let attrs = Attributes.names.filter { style.attributes.contains($0.1) }.map(\.0)
        if !attrs.isEmpty { s += " " + attrs.joined(separator: "+") }
        return s
    }
}
