/// Where each part of the screen goes for a state's size and open panes. A value both sides use:
/// `update` keeps the cursor visible with it, `render` draws into it (update never asks a view).
public struct Layout: Sendable, Hashable {
    public static let minimumWidth = 40
    public static let minimumHeight = 10
    /// At this width and above the detail pane sits beside the list, below it under the list.
    public static let sideDetailWidth = 100

    public var header: Rect
    /// Column titles (mirrors) or the listing's title (using).
    public var subheader: Rect
    public var list: Rect
    /// The detail pane (mirrors) or the result pane (using), when shown.
    public var pane: Rect?
    public var notice: Rect
    public var footer: Rect

    public static func isTooSmall(width: Int, height: Int) -> Bool {
        width < minimumWidth || height < minimumHeight
    }

    public init(_ state: AppState) {
        let w = state.width, h = state.height
        header = Rect(x: 0, y: 0, width: w, height: 1)
        subheader = Rect(x: 0, y: 1, width: w, height: 1)
        // A long notice (the fastest mirror's, with its URL) takes a second line rather than losing its end.
        let noticeHeight = Layout.noticeHeight(state)
        notice = Rect(x: 0, y: h - 1 - noticeHeight, width: w, height: noticeHeight)
        footer = Rect(x: 0, y: h - 1, width: w, height: 1)
        let body = Rect(x: 0, y: 2, width: w, height: h - 3 - noticeHeight)
        let paneShown: Bool
        switch state.screen {
        case .mirrors: paneShown = state.showDetail
        case .using: paneShown = state.browser.result != nil || state.browser.pending != nil
        }
        guard paneShown else {
            list = body
            pane = nil
            return
        }
        if state.screen == .mirrors, w >= Layout.sideDetailWidth {
            let paneWidth = min(48, w / 2 - 4)
            list = Rect(x: 0, y: body.y, width: w - paneWidth, height: body.height)
            subheader.width = list.width
            pane = Rect(x: w - paneWidth, y: 1, width: paneWidth, height: body.height + 1)
        } else {
            let paneHeight = min(state.screen == .using ? 12 : 11, max(3, body.height / 2))
            list = Rect(x: 0, y: body.y, width: w, height: body.height - paneHeight)
            pane = Rect(x: 0, y: body.y + list.height, width: w, height: paneHeight)
        }
    }

    /// How many lines the notice needs at this width: 1, or 2 when it is wider than the line.
    public static func noticeHeight(_ state: AppState) -> Int {
        guard let notice = state.notice else { return 1 }
        return DisplayWidth.of(notice.text) > state.width - 2 ? 2 : 1
    }
}
