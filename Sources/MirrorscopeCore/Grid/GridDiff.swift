/// The cells a backend must paint to turn one frame into the next.
public struct GridChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell
}

public enum GridDiff {
    /// Changed cells in row-major order. With no previous frame (or a different size), every cell
    /// changes: the backend then clears and paints everything.
    public static func changes(from old: Grid?, to new: Grid) -> [GridChange] {
        var out: [GridChange] = []
        if let old, old.width == new.width, old.height == new.height {
            let a = old.cells, b = new.cells
            for i in 0..<b.count where a[i] != b[i] {
                // A cell that became the right half of a wide character ("") is painted by that
                // character: a backend skips "" cells, so repaint the left half even when it is
                // unchanged, or the old glyph would stay on screen beside it.
                if b[i].text.isEmpty, i % new.width > 0, out.last.map({ $0.y * new.width + $0.x }) != i - 1 {
                    out.append(GridChange(x: (i - 1) % new.width, y: (i - 1) / new.width, cell: b[i - 1]))
                }
                out.append(GridChange(x: i % new.width, y: i / new.width, cell: b[i]))
            }
        } else {
            out.reserveCapacity(new.cells.count)
            for (i, cell) in new.cells.enumerated() {
                out.append(GridChange(x: i % new.width, y: i / new.width, cell: cell))
            }
        }
        return out
    }
}
