/// A mirror's past rounds drawn in one line (the detail pane, `mirrorscope history`): one cell a
/// round, oldest first, eighth-height blocks scaled from 0 to the slowest round (as the
/// response-time bars are: a round twice as slow is twice as tall, and a jitter of a millisecond
/// does not look like a change); a failed round is a cross.
public enum TrendLine {
    public static func sparkline(_ points: [TrendPoint], unicode: Bool, width: Int = MirrorTrend.keep) -> String {
        let levels = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ":", "-", "=", "+", "*", "#", "%"]
        let failed = unicode ? "×" : "x"
        let shown = points.suffix(max(0, width))
        let values = shown.compactMap(\.ms)
        guard let high = values.max(), high > 0 else { return String(repeating: failed, count: shown.count) }
        return shown.map { point in
            guard let ms = point.ms else { return failed }
            let step = Int((ms / high * Double(levels.count)).rounded(.up)) - 1
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
