/// The help overlay's lines and measures for a state: one line per key (movement keys share one),
/// the help text wrapped to the box, then what mirrors are told. `update` scrolls by it and
/// `HelpOverlay` draws it, so the two always agree on how much is hidden.
public struct HelpLayout: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        /// The keys' label on the line's first row, "" on its continuation rows.
        public var label: String
        public var text: String
    }

    public var lines: [Line]
    /// The box's width, and the widths of its label and text columns.
    public var width: Int, labelWidth: Int, textWidth: Int
    /// Help lines the box shows at once (its last row says how to close or scroll).
    public var visibleLineCount: Int
    /// How many help lines do not fit: how far the help can scroll.
    public var hiddenLineCount: Int { max(0, lines.count - visibleLineCount) }

    public init(_ state: AppState) {
        let context: KeyContext = state.showDownloads ? .downloads : (state.screen == .mirrors ? .mirrors : .using)
        var entries: [(String, String)] = []
        let bindings = Keymap.bindings(in: context, demo: state.options.canStopMirrors)
        let movement = bindings.filter(\.isMovement)
        if let up = movement.first(where: { $0.action == .moveUp }), let down = movement.first(where: { $0.action == .moveDown }) {
            let others = movement.filter { $0.action != .moveUp && $0.action != .moveDown }.map { "\($0.label) \($0.help)" }
            entries.append((up.label + " " + down.label, (["move"] + others).joined(separator: ", ")))
        }
        entries += bindings.filter { !$0.isMovement }.map { ($0.label, $0.help) }
        entries.append(("Sent", state.options.clientSummary))
        if let via = state.options.via {
            entries.append(("Via", "\(TerminalText.sanitize(via, maxCharacters: 60)): every connection is a tunnel through this proxy; "
                + "a mirror's time is tunnel + TLS + first byte, the leg to the proxy is shown apart"))
        }

        width = min(state.width - 2, 76)
        labelWidth = min(entries.map { DisplayWidth.of($0.0) }.max() ?? 4, max(4, width / 3))
        textWidth = max(8, width - labelWidth - 6)
        var lines: [Line] = []
        for (label, text) in entries {
            for (i, part) in TextWrap.lines(text, width: textWidth, breakWords: true).enumerated() {
                lines.append(Line(label: i == 0 ? label : "", text: part))
            }
        }
        self.lines = lines
        visibleLineCount = max(0, min(state.height - 2, lines.count + 3) - 3)
    }
}
