/// The detail pane's lines about the mirror's past across runs (the history database): the last
/// rounds as a sparkline between the dates of the first and the last, the failure rate, and the
/// last good throughput. Nothing when the mirror has no past (or history is off).
extension DetailView {
    static func trendLines(_ row: MirrorRow, state: AppState) -> [Line] {
        guard let trend = row.trend, !trend.points.isEmpty else { return [] }
        let points = trend.points
        let line = TrendLine.sparkline(points, unicode: state.options.unicode)
        let answered = points.compactMap(\.ms)
        let (low, high) = (answered.min().map(Format.ms), answered.max().map(Format.ms))
        let range = low == nil ? "every round failed" : low == high ? low! : "\(low!)–\(high!)"
        var out = [Line(label: "Trend", value: "\(line) \(range), \(points.count) round\(points.count == 1 ? "" : "s")", role: .notice)]
        let dash = state.options.unicode ? "→" : "->"
        out.append(Line(label: "", value: "\(TrendLine.date(points.first)) \(dash) \(TrendLine.date(points.last))", role: .dimmed))
        var facts: [String] = []
        if let rate = trend.failureRate { facts.append("failed \(Format.fixed(rate * 100, decimals: 0))% of rounds") }
        facts.append(trend.lastGoodBps.map { "last good rate " + Format.rate($0) } ?? "no rate measured")
        out.append(Line(label: "", value: facts.joined(separator: ", "), role: (trend.failureRate ?? 0) > 0.25 ? .notice : .normal))
        return out
    }
}
