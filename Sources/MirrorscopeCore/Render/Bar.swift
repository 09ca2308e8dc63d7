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

    /// Fast, medium or slow by thirds of the scale.
    public static func role(fraction: Double) -> Role {
        if fraction <= 1.0 / 3.0 { return .barFast }
        if fraction <= 2.0 / 3.0 { return .barMedium }
        return .barSlow
    }
}
