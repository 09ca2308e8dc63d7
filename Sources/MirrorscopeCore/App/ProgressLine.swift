/// The one line `probe` redraws on stderr while a round runs (when stderr is a terminal):
/// `probing 312/500 · decided: Warsaw 18 ms · throughput 3/5`. Each part is one line below, so a
/// new phase adds one line.
public enum ProgressLine {
    public static func text(_ state: AppState) -> String {
        var parts = ["probing \(state.finishedCount)/\(state.rows.count)"]
        if let decision = state.decision, let row = state.row(id: decision.mirrorID) {
            let figures = row.report.map { Ranking.figures($0, policy: state.ranking) } ?? Format.ms(decision.ms)
            parts.append("decided: \(TerminalText.sanitize(row.name, maxCharacters: 40)) \(figures)")
        }
        if state.phase == .freshness { parts.append("freshness") }
        if state.phase == .throughput {
            let leading = Ranking.throughputCandidates(state.rows, settings: state.page.probe.throughput, judge: state.freshnessJudge)
            let measured = leading.filter { state.row(id: $0.id)?.report?.throughput != nil }.count
            parts.append("throughput \(measured)/\(leading.count)")
        }
        return parts.joined(separator: " · ")
    }
}
