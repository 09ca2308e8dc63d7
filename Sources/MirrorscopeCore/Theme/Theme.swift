/// A colour as a theme file names it.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// An index in the 256-colour palette (0-15 are the basic and bright colours).
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses "default", a basic name, "bright-NAME", "0"..."255" or "#rrggbb"; nil when it is none of them.
    public init?(parsing text: String) {
        let t = text.trimmed().lowercased()
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if let i = ThemeColor.basicNames.firstIndex(of: t) { self = .indexed(i); return }
        if t.hasPrefix("bright-"), let i = ThemeColor.basicNames.firstIndex(of: String(t.dropFirst(7))) {
            self = .indexed(i + 8); return
        }
        if let n = Int(t), (0...255).contains(n) { self = .indexed(n); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)); return
        }
        return nil
    }

    /// The palette index to use on a terminal with `colors` colours (8, 16 or 256); nil = default.
    public func paletteIndex(colors: Int) -> Int? {
        switch self {
        case .terminalDefault:
            return nil
        case .indexed(let i):
            if i < colors { return i }
            return ThemeColor.nearestBasic(rgb: ThemeColor.rgbOf(index: i), colors: colors)
        case .rgb(let r, let g, let b):
            if colors >= 256 { return ThemeColor.nearest256(r, g, b) }
            return ThemeColor.nearestBasic(rgb: (Int(r), Int(g), Int(b)), colors: colors)
        }
    }

    static let basicRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgbOf(index i: Int) -> (Int, Int, Int) {
        if i < 16 { return basicRGB[i] }
        if i < 232 {
            let c = i - 16
            let level = [0, 95, 135, 175, 215, 255]
            return (level[c / 36], level[(c / 6) % 6], level[c % 6])
        }
        let g = 8 + (i - 232) * 10
        return (g, g, g)
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 16, bestDistance = Int.max
        for i in 16..<256 {
            let d = distance(rgbOf(index: i), (Int(r), Int(g), Int(b)))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    static func nearestBasic(rgb: (Int, Int, Int), colors: Int) -> Int {
        let count = min(max(colors, 8), 16)
        var best = 0, bestDistance = Int.max
        for i in 0..<count {
            let d = distance(basicRGB[i], rgb)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}

/// How one role looks: colours and attributes on colour terminals, attributes alone on monochrome ones.
public struct RoleLook: Sendable, Hashable {
    public var fg: ThemeColor
    public var bg: ThemeColor
    public var attributes: Attributes
    public var monochrome: Attributes

    public init(fg: ThemeColor = .terminalDefault, bg: ThemeColor = .terminalDefault,
                attributes: Attributes = [], monochrome: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
        self.monochrome = monochrome
    }
}

/// Colours by semantic role. Every role always has a look: a theme file's missing keys fall back
/// to the built-in default (as btop's themes do).
public struct Theme: Sendable, Hashable {
    public var name: String
    public var looks: [Role: RoleLook]

    public init(name: String, looks: [Role: RoleLook]) {
        self.name = name
        self.looks = looks
    }

    public func look(_ role: Role) -> RoleLook { looks[role] ?? Theme.builtinDefault.looks[role] ?? RoleLook() }

    /// Used when no theme file is found; `themes/default.toml` says the same (a test keeps them equal).
    public static let builtinDefault = Theme(name: "default", looks: [
        .normal: RoleLook(),
        .header: RoleLook(fg: .indexed(15), bg: .indexed(24), attributes: [.bold], monochrome: [.reverse, .bold]),
        .barFast: RoleLook(fg: .indexed(2)),
        .barMedium: RoleLook(fg: .indexed(3)),
        .barSlow: RoleLook(fg: .indexed(1)),
        .selected: RoleLook(fg: .indexed(15), bg: .indexed(238), attributes: [.bold], monochrome: [.reverse]),
        .failed: RoleLook(fg: .indexed(9), monochrome: [.underline]),
        .dimmed: RoleLook(fg: .indexed(8), attributes: [], monochrome: [.dim]),
        .notice: RoleLook(fg: .indexed(11), attributes: [.bold], monochrome: [.bold]),
        .border: RoleLook(fg: .indexed(8)),
        .accent: RoleLook(fg: .indexed(14), attributes: [.bold], monochrome: [.bold]),
    ])
}
