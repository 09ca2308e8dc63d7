import CNcursesw
import MirrorscopeCore

/// Maps cell styles to ncurses attributes and colour pairs, from the theme's roles.
/// Colour pairs are allocated lazily, one per (foreground role, background role) in use.
struct ColorPalette {
    enum Mode: Equatable {
        case monochrome
        case colors(Int)
    }

    let theme: Theme
    let mode: Mode
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int16 = 1
    private let maxPairs: Int

    private struct PairKey: Hashable {
        var fg: Role
        var bg: Role
    }

    init(theme: Theme, useColor: Bool) {
        self.theme = theme
        if useColor, has_colors() {
            start_color()
            use_default_colors()
            mode = .colors(Int(ms_colors()))
            maxPairs = Int(ms_color_pairs())
        } else {
            mode = .monochrome
            maxPairs = 0
        }
    }

    /// Attributes and pair for a style.
    mutating func attributes(for style: Style) -> (attr_t, Int16) {
        var attrs = style.attributes
        switch mode {
        case .monochrome:
            attrs.formUnion(theme.look(style.fg).monochrome)
            if style.bg != .normal { attrs.formUnion(theme.look(style.bg).monochrome) }
            return (Self.cursesAttributes(attrs), 0)
        case .colors(let count):
            attrs.formUnion(theme.look(style.fg).attributes)
            if style.bg != .normal { attrs.formUnion(theme.look(style.bg).attributes.subtracting(.bold)) }
            return (Self.cursesAttributes(attrs), pair(fg: style.fg, bg: style.bg, colors: count))
        }
    }

    private mutating func pair(fg: Role, bg: Role, colors: Int) -> Int16 {
        let key = PairKey(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        guard Int(nextPair) < maxPairs else { return 0 }
        let foreground = theme.look(fg).fg.paletteIndex(colors: colors).map(Int16.init) ?? -1
        let background = theme.look(bg).bg.paletteIndex(colors: colors).map(Int16.init) ?? -1
        let p = nextPair
        init_pair(p, foreground, background)
        pairs[key] = p
        nextPair += 1
        return p
    }

    static func cursesAttributes(_ a: Attributes) -> attr_t {
        var out = ms_a_normal()
        if a.contains(.bold) { out |= ms_a_bold() }
        if a.contains(.dim) { out |= ms_a_dim() }
        if a.contains(.reverse) { out |= ms_a_reverse() }
        if a.contains(.underline) { out |= ms_a_underline() }
        return out
    }
}
