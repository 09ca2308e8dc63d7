/// A mirror's past rounds drawn in one line (the detail pane, `mirrorscope history`): one cell a
/// round, oldest first, eighth-height blocks from the fastest round (lowest) to the slowest
/// (highest); a failed round is a cross. Taller is slower, as the response-time bars are longer.
public enum TrendLine {
    public static func sparkline(_ points: [TrendPoint], unicode: Bool, width: Int = MirrorTrend.keep) -> String {
        let levels = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ":", "-", "=", "+", "*", "#", "%"]
        let failed = unicode ? "×" : "x"
        let shown = points.suffix(max(0, width))
        let values = shown.compactMap(\.ms)
        guard let low = values.min(), let high = values.max() else { return String(repeating: failed, count: shown.count) }
        return shown.map { point in
            guard let ms = point.ms else { return failed }
            guard high > low else { return levels[0] }
            let step = Int(((ms - low) / (high - low) * Double(levels.count - 1)).rounded())
            return levels[min(levels.count - 1, max(0, step))]
        }.joined()
    }

    /// "2026-05-11 10:02 UTC" for a dated round; "now" for one of this session.
    public static func date(_ point: TrendPoint?) -> String {
        guard let point else { return "-" }
        guard let at = point.at else { return "now" }
        return Format.utc(epochSeconds: Int64(at.rounded(.down)))
    }
}
