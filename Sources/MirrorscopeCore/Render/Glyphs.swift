/// The characters that draw bars, boxes and spinners: Unicode on UTF-8 terminals, ASCII elsewhere.
public struct Glyphs: Sendable {
    public var full: String
    /// Partial cells by eighths, index 1...7 (index 0 unused).
    public var partial: [String]
    public var marker: String
    public var chosen: String
    public var spinner: [String]
    public var horizontal: String, vertical: String
    public var topLeft: String, topRight: String, bottomLeft: String, bottomRight: String
    public var separator: String

    public static let unicode = Glyphs(
        full: "█", partial: ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"], marker: "▶", chosen: "✓",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", separator: "·")

    public static let ascii = Glyphs(
        full: "#", partial: ["", "", "", "", "=", "=", "=", "="], marker: ">", chosen: "*",
        spinner: ["|", "/", "-", "\\"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", separator: "-")

    public static func forOptions(_ options: UIOptions) -> Glyphs { options.unicode ? .unicode : .ascii }
}

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

/// Drawing helpers shared by the views.
extension Grid {
    mutating func box(_ r: Rect, title: String, glyphs: Glyphs, style: Style = Style(.border)) {
        guard r.width >= 2, r.height >= 2 else { return }
        fill(x: r.x, y: r.y, width: r.width, height: r.height)
        let inner = r.width - 2
        put(glyphs.topLeft + String(repeating: glyphs.horizontal, count: inner) + glyphs.topRight, x: r.x, y: r.y, style: style)
        for y in (r.y + 1)..<(r.y + r.height - 1) {
            put(glyphs.vertical, x: r.x, y: y, style: style)
            put(glyphs.vertical, x: r.x + r.width - 1, y: y, style: style)
        }
        put(glyphs.bottomLeft + String(repeating: glyphs.horizontal, count: inner) + glyphs.bottomRight,
            x: r.x, y: r.y + r.height - 1, style: style)
        if !title.isEmpty, inner > 4 {
            put(" " + DisplayWidth.truncate(title, to: inner - 4) + " ", x: r.x + 2, y: r.y, style: Style(.accent, [.bold]))
        }
    }
}
