public enum SortOrder: String, Sendable, Hashable, CaseIterable {
    case responseTime = "response time"
    case name = "name"
    case pageOrder = "page order"

    /// The word the footer shows.
    public var shortName: String {
        switch self {
        case .responseTime: return "time"
        case .name: return "name"
        case .pageOrder: return "page"
        }
    }

    public var next: SortOrder {
        let all = SortOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Where a mirror is in the current round.
public enum RowStatus: Sendable, Hashable {
    case waiting
    case probing(samplesDone: Int)
    /// The round's report: `report.ok` tells done from failed.
    case finished(MirrorReport)
}

/// One earlier round's outcome for a mirror (the detail pane lists them).
public struct RoundFigure: Sendable, Hashable {
    public var round: Int
    public var ms: Double?
    public var failure: String?

    public init(round: Int, ms: Double?, failure: String?) {
        self.round = round
        self.ms = ms
        self.failure = failure
    }
}

public struct MirrorRow: Sendable, Hashable {
    public var mirror: Mirror
    /// The name the screen shows: the mirror's own, or enough of its URL to tell it from the
    /// page's other mirrors (`DisplayNames`).
    public var name: String
    public var status: RowStatus = .waiting
    /// The last finished report from an earlier round: shown dimmed until this round replaces it.
    public var previous: MirrorReport?
    public var history: [RoundFigure] = []
    /// The mirror's past across runs (the history database), with this session's finished rounds.
    public var trend: MirrorTrend?
    /// The sample download in flight (throughput phase); nil otherwise.
    public var throughputProgress: ThroughputProgress?
    /// This round's samples so far (response times, ms), and for the sample in flight once its
    /// connection is up: when (ms into the round) and what it had taken by then (connect + TLS).
    /// What the decision rule knows before the report.
    public var sampleMs: [Double] = []
    public var inFlight: InFlightSample?

    public init(mirror: Mirror, name: String? = nil) {
        self.mirror = mirror
        self.name = name ?? mirror.displayName
    }

    public var report: MirrorReport? {
        if case .finished(let r) = status { return r }
        return nil
    }
    public var isFinished: Bool { report != nil }
    public var isOK: Bool { report?.ok ?? false }
    public var isFailed: Bool { report.map { !$0.ok } ?? false }
}

public struct Notice: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case info, success, warning, error }
    public var text: String
    public var kind: Kind
    /// A part of `text` (a URL) that may be shortened with "…" when the line is too narrow.
    public var elidable: String?
    public init(_ text: String, _ kind: Kind = .info, elidable: String? = nil) {
        self.text = text
        self.kind = kind
        self.elidable = elidable
    }

    /// The text fitted to `columns`: first the elidable part is shortened (keeping its start, as
    /// "http://…"), then the end is cut.
    public func fitted(to columns: Int) -> String {
        guard DisplayWidth.of(text) > columns, let part = elidable, text.contains(part) else {
            return DisplayWidth.truncate(text, to: columns)
        }
        let excess = DisplayWidth.of(text) - columns
        let keep = max(DisplayWidth.of(part) - excess - 1, min(8, DisplayWidth.of(part)))
        let short = String(part.prefix(keep)) + "…"
        return DisplayWidth.truncate(text.replacingFirst(part, with: short), to: columns)
    }
}

public enum Screen: Sendable, Hashable {
    case mirrors
    case using
}

/// One level of the chosen mirror's links: the page's links at the root, a folder listing below.
public struct Listing: Sendable, Hashable {
    public var title: String
    public var entries: [PageLink]
    public var cursor: Int = 0
    public var scrollTop: Int = 0
}

/// The "using" screen: what the chosen mirror is serving to this session.
public struct Browser: Sendable, Hashable {
    public var stack: [Listing] = []
    public var pending: FetchRequest?
    public var result: FetchResult?
    /// The request that produced `result` (its path and kind, for the result pane's title).
    public var resultRequest: FetchRequest?

    public var current: Listing? { stack.last }
}

public struct UIOptions: Sendable, Hashable {
    public var bell: Bool
    /// Eighth-block bars and box drawing; false on terminals whose locale is not UTF-8.
    public var unicode: Bool
    /// What the mirrors are told about the client (help overlay and detail pane).
    public var clientSummary: String
    /// Where `w` saves files (and `S` proposes a mirror list, when `--save` names no file).
    public var downloadFolder: String
    /// The proxy connections go through ("proxy.corp:3128"), shown in the header; nil when direct.
    public var via: String?
    /// What `S` writes.
    public var save: SaveSettings
    /// The demo can stop its farm's mirrors (`X`); nowhere else.
    public var canStopMirrors: Bool

    public init(bell: Bool = false, unicode: Bool = true, clientSummary: String = "", downloadFolder: String = ".",
                via: String? = nil, save: SaveSettings = SaveSettings(), canStopMirrors: Bool = false) {
        self.canStopMirrors = canStopMirrors
        self.bell = bell
        self.unicode = unicode
        self.clientSummary = clientSummary
        self.downloadFolder = downloadFolder
        self.via = via
        self.save = save
    }
}

/// The whole session as a value. Only `update` changes it.
public struct AppState: Sendable, Hashable {
    public var page: Page
    public var rows: [MirrorRow]
    public var round: Int = 0
    public var roundActive = false
    /// Mirrors of this round not started yet. While any is, no decision can come (a mirror not
    /// started can still win), so `decideFastest` skips its O(n) work: with 10 000 mirrors it
    /// ran on every probe event and the round took minutes.
    public var notStartedCount = 0
    /// Where each mirror's row is (rows are made once, with the page): events find their row
    /// without a scan.
    public let rowIndex: [String: Int]
    public var sort: SortOrder = .responseTime
    /// The highlighted mirror; nil means "the top row", whichever mirror that is.
    public var cursorID: String?
    /// The user moved the cursor during this round, so the round's end must not move it.
    public var userMovedCursor = false
    public var scrollTop = 0
    public var showDetail = false
    public var showHelp = false
    /// First help line shown, when the help is taller than the screen.
    public var helpScroll = 0
    public var notice: Notice?
    public var screen: Screen = .mirrors
    public var chosenID: String?
    public var browser = Browser()
    public var width: Int
    public var height: Int
    public var options: UIOptions
    public var animationFrame = 0
    public var nextRequestID = 1
    public var finished = false
    /// How the ranking is decided (`--rank`, `--max-behind`).
    public var ranking = RankPolicy()
    /// The phase after the latency round that is running (freshness, then throughput); nil when none.
    public var phase: MeasurementPhase?
    /// The origin's copy of the timestamp object, read this round when the freshness reference is a URL.
    public var freshnessReference: FreshnessResult?
    /// Why this round's throughput phase did not run, when the user asked for it.
    public var throughputSkipReason: String?
    /// When this round named its fastest (nil until it is certain; see `Decision`).
    public var decision: RoundDecision?
    /// The latest time in the round the runtime has told (ms since the round started).
    public var roundClockMs = 0.0
    /// How long the round took, once it has ended.
    public var roundWallMs: Double?
    /// The wake asked of the runtime and not yet answered.
    public var wakeAt: Double?
    /// `S` without `--save`: the file it would write, waiting for the user's yes or no.
    public var saveProposal: SaveRequest?
    /// Seeds the tie-break among near-equal leaders (Update+History.swift): random per session
    /// (the runtime sets it), fixed in tests.
    public var tieBreakSeed: UInt64 = 0
    /// Every download of the session (`w`), oldest first; the downloads pane (`D`) lists them.
    public var downloads: [DownloadEntry] = []
    public var showDownloads = false
    /// The selected row of the downloads pane.
    public var downloadCursor = 0

    public init(page: Page, width: Int = 80, height: Int = 24, options: UIOptions = UIOptions()) {
        self.page = page
        self.rows = zip(page.mirrors, DisplayNames.of(page.mirrors)).map { MirrorRow(mirror: $0, name: $1) }
        self.rowIndex = Dictionary(page.mirrors.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.width = width
        self.height = height
        self.options = options
    }

    /// Ticks are wanted only while something animates (a round in flight or a fetch pending):
    /// an idle session costs no CPU.
    public var wantsTicks: Bool { !finished && (roundActive || phase != nil || browser.pending != nil) }

    /// The fastest of the round by the active ranking (`--rank`; stale mirrors never), among the
    /// finished and answered: the leader the decision names.
    public var leaderIndex: Int? { Ranking.fastest(rows, policy: ranking, judge: freshnessJudge) }

    /// The key context: a pending question takes every key.
    public var keyContext: KeyContext {
        if saveProposal != nil { return .confirm }
        if showDownloads { return .downloads }
        return screen == .mirrors ? .mirrors : .using
    }

    public var finishedCount: Int { rows.reduce(0) { $0 + ($1.isFinished ? 1 : 0) } }

    public func row(id: String) -> MirrorRow? { index(of: id).map { rows[$0] } }

    /// The row index of a mirror, by its id.
    public func index(of id: String) -> Int? {
        guard let i = rowIndex[id], i < rows.count, rows[i].mirror.id == id else { return rows.firstIndex { $0.mirror.id == id } }
        return i
    }

    public var chosenRow: MirrorRow? { chosenID.flatMap { row(id: $0) } }

    public var chosenMirror: Mirror? { chosenRow?.mirror }

    /// Row indices in display order for the current sort.
    public var displayOrder: [Int] { Ranking.displayOrder(rows, sort: sort, policy: ranking, judge: freshnessJudge) }

    /// Every mirror judged against one reference (the page's, the origin's, or the newest seen).
    public var freshnessJudge: FreshnessJudge {
        FreshnessJudge(configured: page.probe.freshness?.reference, fetchedReference: freshnessReference?.syncedAt,
                       syncTimes: rows.lazy.compactMap { FreshnessJudge.syncTime($0.mirror, measured: $0.report?.freshness)?.0 },
                       maxBehindSeconds: ranking.maxBehindSeconds)
    }

    /// The index (in `rows`) of the highlighted mirror.
    public var highlightedRowIndex: Int? { highlightedRowIndex(in: nil) }

    /// The same, reusing a display order the caller has already computed (sorting is the cost).
    public func highlightedRowIndex(in order: [Int]?) -> Int? {
        if let id = cursorID, let i = rows.firstIndex(where: { $0.mirror.id == id }) { return i }
        return (order ?? displayOrder).first
    }
}
