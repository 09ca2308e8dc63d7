/// The one line `probe` redraws on stderr while a round runs (when stderr is a terminal):
/// `probing 312/500 · decided: Warsaw 18 ms`. Each part is one line below, so a new phase adds
/// one line.
public enum ProgressLine {
    public static func text(_ state: AppState) -> String {
        var parts = ["probing \(state.finishedCount)/\(state.rows.count)"]
        if let decision = state.decision, let row = state.row(id: decision.mirrorID) {
            parts.append("decided: \(TerminalText.sanitize(row.name, maxCharacters: 40)) \(Format.ms(decision.ms))")
        }
        return parts.joined(separator: " · ")
    }
}
