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
    /// The samples' spread drawn over a bar: its slowest end (cap), the line out to it, and the
    /// fastest end inside the bar (cap).
    public var whiskerHigh: String, whiskerLine: String, whiskerLow: String
    /// The empty part of a progress bar (the downloads pane).
    public var trough: String

    public static let unicode = Glyphs(
        full: "█", partial: ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"], marker: "▶", chosen: "✓",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", separator: "·",
        whiskerHigh: "┤", whiskerLine: "─", whiskerLow: "├", trough: "░")

    public static let ascii = Glyphs(
        full: "#", partial: ["", "", "", "", "=", "=", "=", "="], marker: ">", chosen: "*",
        spinner: ["|", "/", "-", "\\"],
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", separator: "-",
        whiskerHigh: "]", whiskerLine: "-", whiskerLow: "[", trough: ".")

    public static func forOptions(_ options: UIOptions) -> Glyphs { options.unicode ? .unicode : .ascii }
}
