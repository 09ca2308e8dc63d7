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
