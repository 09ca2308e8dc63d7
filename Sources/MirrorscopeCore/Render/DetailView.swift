/// The detail pane: everything known about the highlighted mirror.
enum DetailView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        guard let index = state.highlightedRowIndex else { return }
        let row = state.rows[index]
        let title = TerminalText.sanitize(row.mirror.displayName, maxCharacters: 60)
        grid.box(r, title: title, glyphs: glyphs)
        let inner = r.width - 4
        let valueWidth = max(1, inner - 9)
        // Long values (URLs, the User-Agent) wrap onto continuation lines rather than being cut.
        var y = r.y + 1
        for line in lines(row, state: state) {
            let parts = HelpOverlay.wrap(line.value, width: valueWidth, breakWords: true)
            for (i, part) in (parts.isEmpty ? [""] : parts).enumerated() {
                guard y < r.y + r.height - 1 else { return }
                if i == 0 { grid.put(DisplayWidth.pad(line.label, to: 9), x: r.x + 2, y: y, style: Style(.dimmed), maxWidth: inner) }
                grid.put(part, x: r.x + 11, y: y, style: Style(line.role), maxWidth: valueWidth)
                y += 1
            }
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
        var place: [String] = []
        for part in [m.location ?? m.country, m.countryName, m.city] {
            guard let part, !part.isEmpty else { continue }
            let clean = TerminalText.sanitize(part, maxCharacters: 40)
            if !place.contains(where: { $0.lowercased() == clean.lowercased() }) { place.append(clean) }
        }
        var whereText = place.isEmpty ? [] : [place.joined(separator: " · ")]
        if let p = m.priority { whereText.append("priority \(p)") }
        if m.preferred { whereText.append("preferred") }
        if !whereText.isEmpty { out.append(Line(label: "Location", value: whereText.joined(separator: ", "))) }
        if let template = m.template {
            let unfilled = m.unfilledVariables ?? []
            out.append(Line(label: "Template", value: TerminalText.sanitize(template, maxCharacters: 200)
                            + (unfilled.isEmpty ? "" : " (unfilled: \(unfilled.joined(separator: ", ")); --var fills them)"),
                            role: unfilled.isEmpty ? .normal : .notice))
        }
        if let fresh = m.freshness {
            var facts: [String] = []
            if let delay = fresh.delaySeconds { facts.append("delay \(Format.duration(seconds: delay))") }
            if let completion = fresh.completion { facts.append(Format.fixed(completion * 100, decimals: 0) + "% complete") }
            if let sync = fresh.lastSync { facts.append("synced " + Format.utc(epochSeconds: sync)) }
            if !facts.isEmpty { out.append(Line(label: "Fresh", value: facts.joined(separator: ", "))) }
        }

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
            if !report.samples.isEmpty {
                out.append(Line(label: "Phases", value: "DNS \(f(report.dnsMs))  connect \(f(report.connectMs))", role: dimmed ? .dimmed : .normal))
                out.append(Line(label: "", value: "TLS \(report.tlsMs.map(Format.ms) ?? "none")  first byte \(f(report.ttfbMs))", role: dimmed ? .dimmed : .normal))
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
        if sent.isEmpty, shown?.failure != nil {
            out.append(Line(label: "Sent", value: "nothing: no request was made", role: .dimmed))
        } else if sent.isEmpty {
            out.append(Line(label: "To send", value: state.options.clientSummary, role: .dimmed))
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
    /// The help's lines (key label, text), wrapped to the box, and the box's measures.
    struct Content {
        var lines: [(String, String)]
        var width: Int, labelWidth: Int, textWidth: Int
    }

    /// One line per key (movement keys share one), the help text wrapped to the box, then what
    /// mirrors are told.
    static func content(_ state: AppState) -> Content {
        let context: KeyContext = state.screen == .mirrors ? .mirrors : .using
        var entries: [(String, String)] = []
        let bindings = Keymap.bindings(in: context)
        let movement = bindings.filter(\.isMovement)
        if let up = movement.first(where: { $0.action == .moveUp }), let down = movement.first(where: { $0.action == .moveDown }) {
            let others = movement.filter { $0.action != .moveUp && $0.action != .moveDown }.map { "\($0.label) \($0.help)" }
            entries.append((up.label + " " + down.label, (["move"] + others).joined(separator: ", ")))
        }
        entries += bindings.filter { !$0.isMovement }.map { ($0.label, $0.help) }
        entries.append(("Sent", state.options.clientSummary))

        let width = min(state.width - 2, 76)
        let labelWidth = min(entries.map { DisplayWidth.of($0.0) }.max() ?? 4, max(4, width / 3))
        let textWidth = max(8, width - labelWidth - 6)
        var lines: [(String, String)] = []
        for (label, text) in entries {
            for (i, part) in wrap(text, width: textWidth, breakWords: true).enumerated() {
                lines.append((i == 0 ? label : "", part))
            }
        }
        return Content(lines: lines, width: width, labelWidth: labelWidth, textWidth: textWidth)
    }

    /// Help lines the box shows at once (its last row says how to close or scroll).
    static func visibleLineCount(_ state: AppState) -> Int {
        max(0, min(state.height - 2, content(state).lines.count + 3) - 3)
    }

    /// How many help lines do not fit: how far the help can scroll.
    static func hiddenLineCount(_ state: AppState) -> Int {
        max(0, content(state).lines.count - visibleLineCount(state))
    }

    static func draw(_ state: AppState, _ glyphs: Glyphs, _ grid: inout Grid) {
        let content = content(state)
        let visible = visibleLineCount(state)
        let hidden = max(0, content.lines.count - visible)
        let top = min(max(state.helpScroll, 0), hidden)
        var lines = Array(content.lines.dropFirst(top).prefix(visible))
        if hidden == 0 {
            lines.append(("", "any key closes this help"))
        } else {
            lines.append(("", top < hidden ? "↓ more, other keys close" : "↑ back, other keys close"))
        }
        let height = min(state.height - 2, lines.count + 2)
        let r = Rect(x: (state.width - content.width) / 2, y: max(1, (state.height - height) / 2), width: content.width, height: height)
        grid.box(r, title: "Keys", glyphs: glyphs)
        for (i, line) in lines.prefix(max(0, height - 2)).enumerated() {
            let y = r.y + 1 + i
            let isFooter = i == lines.count - 1
            grid.put(DisplayWidth.truncate(line.0, to: content.labelWidth), x: r.x + 2, y: y, style: Style(.accent, [.bold]))
            grid.put(line.1, x: r.x + 4 + content.labelWidth, y: y, style: Style(isFooter ? .dimmed : .normal), maxWidth: content.textWidth)
        }
    }

    /// Greedy word wrap by display width; with `breakWords`, a word longer than a line is split.
    static func wrap(_ text: String, width: Int, breakWords: Bool = false) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while breakWords, DisplayWidth.of(word) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                var head = ""
                for c in word {
                    if DisplayWidth.of(head) + DisplayWidth.of(c) > width { break }
                    head.append(c)
                }
                if head.isEmpty { break }
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            if word.isEmpty { continue }
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
