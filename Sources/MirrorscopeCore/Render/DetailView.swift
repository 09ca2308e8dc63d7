/// The detail pane: everything known about the highlighted mirror.
enum DetailView {
    static func draw(_ state: AppState, _ r: Rect, _ glyphs: Glyphs, _ grid: inout Grid) {
        guard let index = state.highlightedRowIndex else { return }
        let row = state.rows[index]
        let title = TerminalText.sanitize(row.name, maxCharacters: 60)
        grid.box(r, title: title, glyphs: glyphs)
        let inner = r.width - 4
        let valueWidth = max(1, inner - 9)
        // Long values (URLs, the User-Agent) wrap onto continuation lines rather than being cut.
        var y = r.y + 1
        for line in lines(row, state: state) {
            let parts = TextWrap.lines(line.value, width: valueWidth, breakWords: true)
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
        // The past across runs next to this round's figure: it is what the figure is read against.
        out += trendLines(row, state: state)
        if let report = shown {
            let dimmed = row.report == nil
            func f(_ v: Double?) -> String { v.map(Format.ms) ?? "–" }
            if !report.samples.isEmpty {
                let role: Role = dimmed ? .dimmed : .normal
                if let route = report.route, let proxy = route.proxy {
                    // The leg to the proxy is the same for every mirror; the tunnel is the mirror's.
                    out.append(Line(label: "Via", value: TerminalText.sanitize(proxy, maxCharacters: 80), role: role))
                    out.append(Line(label: "Phases", value: "to proxy \(f(report.proxyConnectMs))  tunnel \(f(report.tunnelMs))", role: role))
                } else {
                    if let address = report.route?.address {
                        let family = report.route?.family.map { $0 == "ipv6" ? " (IPv6)" : " (IPv4)" } ?? ""
                        out.append(Line(label: "Address", value: TerminalText.sanitize(address, maxCharacters: 60) + family, role: role))
                    }
                    out.append(Line(label: "Phases", value: "DNS \(f(report.dnsMs))  connect \(f(report.connectMs))", role: role))
                }
                out.append(Line(label: "", value: "TLS \(report.tlsMs.map(Format.ms) ?? "none")  first byte \(f(report.ttfbMs))", role: dimmed ? .dimmed : .normal))
                let list = report.samples.map { Format.ms($0.responseMs) }.joined(separator: ", ")
                out.append(Line(label: "Samples", value: list, role: dimmed ? .dimmed : .normal))
            }
            if let failure = report.failure {
                out.append(Line(label: "Error", value: failure.reason, role: .failed))
            }
        }
        out += measureLines(row, state: state)
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

    /// The throughput download (bytes, time, rate over time) and the freshness (synced at, behind,
    /// and whether the time shown was measured or is the list's own).
    static func measureLines(_ row: MirrorRow, state: AppState) -> [Line] {
        var out: [Line] = []
        let throughput = state.page.probe.throughput
        if let progress = row.throughputProgress {
            let so = progress.bytesPerSecond.map { ", " + Format.rate($0) + " so far" } ?? ""
            out.append(Line(label: "Rate", value: "downloading: \(Format.bytes(progress.bytes)) in \(Format.ms(progress.ms))\(so)"))
        } else if let result = row.report?.throughput ?? (row.isFinished ? nil : row.previous?.throughput) {
            let dimmed = row.report?.throughput == nil
            if let failure = result.failure {
                out.append(Line(label: "Rate", value: "failed: \(failure.reason)", role: .failed))
            } else {
                let rate = result.bytesPerSecond.map(Format.rate) ?? "not timed (the object came in one read)"
                let stop = result.stop.map { ", " + stopWords($0) } ?? ""
                out.append(Line(label: "Rate", value: "\(rate): \(Format.bytes(result.bytes)) in \(Format.ms(result.ms))\(stop)",
                                role: dimmed ? .dimmed : .notice))
                if result.points.count >= 2 {
                    out.append(Line(label: "", value: sparkline(result.points, unicode: state.options.unicode), role: dimmed ? .dimmed : .normal))
                }
            }
            out.append(Line(label: "", value: TerminalText.sanitize(result.url, maxCharacters: 200), role: .dimmed))
        } else if row.isOK, state.phase == nil {
            if let reason = throughput.skipReason(state.page.mirrors) {
                if throughput.requested { out.append(Line(label: "Rate", value: "not measured: \(reason)", role: .dimmed)) }
            } else if throughput.url(on: row.mirror) != nil {
                // A stale mirror is never a candidate, however fast it answered.
                let stale = state.freshnessJudge.verdict(row.mirror, measured: row.report?.freshness).stale
                let why = stale ? "stale mirrors are left out" : "not among the leading \(throughput.top)"
                out.append(Line(label: "Rate", value: "not measured: \(why)", role: .dimmed))
            }
        }

        let judge = state.freshnessJudge
        let verdict = judge.verdict(row.mirror, measured: row.report?.freshness)
        if let synced = verdict.syncedAt {
            var parts = [Format.utc(epochSeconds: synced)]
            if let behind = verdict.behindSeconds {
                parts.append(behind == 0 && judge.referenceSource == .newest ? "the newest"
                             : "\(Format.duration(seconds: Int(clamping: behind))) behind \(judge.referenceSource.rawValue)")
            }
            let from: String
            switch verdict.source {
            case .measured?: from = "measured (\(state.page.probe.freshness?.format.rawValue ?? "timestamp"))"
            case .list?, nil: from = "from the list"
            }
            parts.append(from)
            if verdict.stale, let limit = judge.maxBehindSeconds { parts.append("stale (--max-behind \(Format.age(seconds: limit)))") }
            let past = (verdict.behindSeconds ?? 0) > judge.highlightAfterSeconds
            out.append(Line(label: "Synced", value: parts.joined(separator: ", "), role: verdict.stale || past ? .notice : .normal))
        }
        if let failure = row.report?.freshness?.failure {
            let fallback = verdict.source == .list ? "; shown: the list's" : ""
            out.append(Line(label: verdict.syncedAt == nil ? "Synced" : "", value: "unknown: \(failure.reason)\(fallback)", role: .dimmed))
        }
        return out
    }

    /// Why a download ended, in the probe script's words.
    static func stopWords(_ stop: ThroughputResult.Stop) -> String {
        switch stop {
        case .maxBytes: return "stopped at max_bytes"
        case .maxTime: return "stopped at max_ms"
        case .steady: return "stopped once steady"
        case .end: return "the whole object"
        }
    }

    /// The rate over time in eighth-height blocks, scaled to the fastest interval.
    static func sparkline(_ points: [RatePoint], unicode: Bool) -> String {
        let levels = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ":", "-", "=", "+", "*", "#", "%"]
        let top = points.map(\.bytesPerSecond).max() ?? 0
        guard top > 0 else { return "" }
        return points.prefix(40).map { point in
            levels[min(levels.count - 1, max(0, Int((point.bytesPerSecond / top * Double(levels.count)).rounded(.up)) - 1))]
        }.joined()
    }
}
