/// The detail pane: everything known about the highlighted mirror.
enum DetailView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        guard let index = state.highlightedRowIndex else { return }
        let row = state.rows[index]
        let title = TerminalText.sanitize(row.mirror.displayName, maxCharacters: 60)
        grid.box(r, title: title, glyphs: glyphs)
        let lines = self.lines(row, state: state)
        let inner = r.width - 4
        for (i, line) in lines.prefix(max(0, r.height - 2)).enumerated() {
            let y = r.y + 1 + i
            let label = DisplayWidth.pad(line.label, to: 9)
            grid.put(label, x: r.x + 2, y: y, style: Style(.dimmed), maxWidth: inner)
            grid.put(DisplayWidth.truncate(line.value, to: max(0, inner - 9)), x: r.x + 11, y: y, style: Style(line.role))
        }
    }

    struct Line {
        var label: String
        var value: String
        var role: Role = .normal
    }

    static func lines(_ row: MirrorRow, state: AppState) -> [Line] {
        var out: [Line] = []
        let m = row.mirror
        out.append(Line(label: "URL", value: m.url))
        var whereText: [String] = []
        if let l = m.location { whereText.append(TerminalText.sanitize(l, maxCharacters: 30)) }
        if let p = m.priority { whereText.append("priority \(p)") }
        if m.preferred { whereText.append("preferred") }
        if !whereText.isEmpty { out.append(Line(label: "Location", value: whereText.joined(separator: ", "))) }

        let shown = row.report ?? row.previous
        switch row.status {
        case .waiting: out.append(Line(label: "Round \(state.round)", value: "waiting", role: .dimmed))
        case .probing(let n): out.append(Line(label: "Round \(state.round)", value: "probing, \(n) of \(state.page.probe.samples) samples"))
        case .finished(let report):
            if let ms = report.ms {
                out.append(Line(label: "Round \(state.round)", value: "\(Format.ms(ms)) (median of \(report.samples.count))", role: .notice))
            } else {
                out.append(Line(label: "Round \(state.round)", value: "failed", role: .failed))
            }
        }
        if let report = shown {
            let dimmed = row.report == nil
            func f(_ v: Double?) -> String { v.map(Format.ms) ?? "–" }
            out.append(Line(label: "Phases", value: "DNS \(f(report.dnsMs))  connect \(f(report.connectMs))", role: dimmed ? .dimmed : .normal))
            out.append(Line(label: "", value: "TLS \(report.tlsMs.map(Format.ms) ?? "none")  first byte \(f(report.ttfbMs))", role: dimmed ? .dimmed : .normal))
            if !report.samples.isEmpty {
                let list = report.samples.map { Format.ms($0.responseMs) }.joined(separator: ", ")
                out.append(Line(label: "Samples", value: list, role: dimmed ? .dimmed : .normal))
            }
            if let failure = report.failure {
                out.append(Line(label: "Error", value: failure.reason, role: .failed))
            }
        }
        if !row.history.isEmpty {
            let earlier = row.history.suffix(6).map { "r\($0.round) " + ($0.ms.map(Format.ms) ?? ($0.failure ?? "failed")) }
            out.append(Line(label: "Earlier", value: earlier.joined(separator: ", "), role: .dimmed))
        }
        let sent = shown?.sentHeaders ?? []
        if sent.isEmpty {
            out.append(Line(label: "Sent", value: state.options.clientSummary, role: .dimmed))
        } else {
            for (i, header) in sent.enumerated() {
                out.append(Line(label: i == 0 ? "Sent" : "", value: "\(header.name): \(header.value)", role: .dimmed))
            }
        }
        return out
    }
}

/// The help overlay, generated from the keymap that dispatches the keys.
enum HelpOverlay {
    static func draw(_ state: AppState, _ glyphs: Glyphs, _ grid: inout Grid) {
        let context: KeyContext = state.screen == .mirrors ? .mirrors : .using
        let bindings = Keymap.bindings(in: context)
        let labelWidth = bindings.map { DisplayWidth.of($0.label) }.max() ?? 4
        var lines: [(String, String)] = bindings.map { ($0.label, $0.help) }
        lines.append(("", ""))
        let summaryWidth = min(state.width - 8, 70) - labelWidth - 2
        for (i, part) in wrap(state.options.clientSummary, width: max(10, summaryWidth)).enumerated() {
            lines.append((i == 0 ? "Mirrors" : "", part))
        }
        lines.append(("", ""))
        lines.append(("", "any key closes this help"))
        let contentWidth = lines.map { labelWidth + 2 + DisplayWidth.of($0.1) }.max() ?? 20
        let width = min(state.width - 2, contentWidth + 4)
        let height = min(state.height - 2, lines.count + 2)
        let r = Rect(x: (state.width - width) / 2, y: max(1, (state.height - height) / 2), width: width, height: height)
        grid.box(r, title: "Keys", glyphs: glyphs)
        for (i, line) in lines.prefix(height - 2).enumerated() {
            let y = r.y + 1 + i
            grid.put(line.0, x: r.x + 2, y: y, style: Style(.accent, [.bold]), maxWidth: labelWidth)
            grid.put(line.1, x: r.x + 2 + labelWidth + 2, y: y, style: Style(.normal), maxWidth: max(0, width - labelWidth - 6))
        }
    }

    /// Greedy word wrap by display width.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
