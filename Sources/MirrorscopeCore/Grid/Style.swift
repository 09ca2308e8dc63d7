/// Colours are chosen by what a cell means, not by colour: the theme maps each role to colours
/// (and to attributes on monochrome terminals). Names as they appear in theme files.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case normal
    case header
    case barFast = "bar-fast"
    case barMedium = "bar-medium"
    case barSlow = "bar-slow"
    case selected
    case failed
    case dimmed
    case notice
    case border
    case accent
}

/// Text attributes, independent of colour.
public struct Attributes: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)

    public static let names: [(String, Attributes)] = [("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline)]
}

/// A cell's look: the foreground comes from the `fg` role, the background from the `bg` role
/// (so a selected row keeps its bar colours on the selection background).
public struct Style: Sendable, Hashable {
    public var fg: Role
    public var bg: Role
    public var attributes: Attributes

    public init(_ fg: Role = .normal, bg: Role = .normal, _ attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()

    /// The same style on another background (used to paint the highlighted row).
    public func on(_ background: Role) -> Style { Style(fg, bg: background, attributes) }
}
