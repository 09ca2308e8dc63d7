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
