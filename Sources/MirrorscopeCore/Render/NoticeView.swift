/// The notice line(s) above the footer: what just happened and what to do next.
enum NoticeView {
    static func draw(_ state: AppState, _ r: Rect, _ grid: inout Grid) {
        guard let notice = state.notice else { return }
        let role: Role = notice.kind == .error ? .failed : .notice
        let attrs: Attributes = notice.kind == .info ? [] : [.bold]
        for (i, line) in lines(notice, width: r.width - 2, maxLines: r.height).enumerated() {
            grid.put(" " + line, x: r.x, y: r.y + i, style: Style(role, attrs))
        }
    }

    /// The notice as at most `maxLines` lines: on one line when it fits (shortening its URL if
    /// that is enough), else wrapped, with the URL shortened only as far as needed.
    static func lines(_ notice: Notice, width: Int, maxLines: Int) -> [String] {
        if DisplayWidth.of(notice.text) <= width || maxLines < 2 { return [notice.fitted(to: width)] }
        var wrapped = TextWrap.lines(notice.text, width: width, breakWords: true)
        if wrapped.count > maxLines, let url = notice.elidable {
            var shorter = notice
            shorter.text = notice.text.replacingFirst(url, with: String(url.prefix(max(8, width / 3))) + "…")
            wrapped = TextWrap.lines(shorter.text, width: width, breakWords: true)
        }
        if wrapped.count > maxLines {
            wrapped = Array(wrapped.prefix(maxLines))
            wrapped[maxLines - 1] = DisplayWidth.truncate(wrapped[maxLines - 1] + " …", to: width)
        }
        return wrapped
    }
}
