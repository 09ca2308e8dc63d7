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
