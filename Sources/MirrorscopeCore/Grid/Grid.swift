/// One terminal cell: a grapheme and its style. A wide grapheme occupies its cell and the next,
/// whose text is "" (a continuation), as ratatui's buffer does.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style

    public init(_ text: String = " ", _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
}

/// What a frame looks like, as values: render draws into a grid, the backend paints the difference
/// between two grids. Writes outside the grid are clipped, never trapped.
public struct Grid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), at most `maxWidth` columns (default: to the right edge), and returns
    /// the number of columns written. A wide character that would straddle the limit is not drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if col + w > limit { break }
            if col >= 0 {
                self[col, y] = Cell(String(character), style)
                if w == 2 { self[col + 1, y] = Cell("", style) }
            }
            col += w
        }
        return col - x
    }

    /// Fills a rectangle with one character (clipped to the grid).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell = .blank) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for col in x0..<x1 { self[col, row] = cell }
        }
    }

    /// Changes the background role of a row segment, keeping the text and foreground.
    public mutating func highlight(y: Int, x: Int = 0, width w: Int? = nil, background: Role, adding: Attributes = []) {
        guard y >= 0, y < height else { return }
        let x1 = min(width, x + (w ?? width))
        for col in max(0, x)..<max(max(0, x), x1) {
            var cell = self[col, y]
            cell.style.bg = background
            cell.style.attributes.formUnion(adding)
            self[col, y] = cell
        }
    }

    /// The row as plain text (continuations skipped), for snapshots and for tests.
    public func rowText(_ y: Int) -> String {
        var s = ""
        for x in 0..<width { s += self[x, y].text }
        return s
    }

    /// The whole grid as text, one line per row, trailing spaces kept.
    public var text: String { (0..<height).map(rowText).joined(separator: "\n") }
}
