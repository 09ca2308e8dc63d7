/// What `--save` and `S` write: the answered mirrors, fastest first, and what the file's header
/// says about them (from what, how ranked, what was left out). Built from the session's state
/// by the same function for the terminal UI and for `probe --save`.
public struct SavedList: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var mirror: Mirror
        /// The median response time the ranking used.
        public var ms: Double
        public var samples: Int

        public init(mirror: Mirror, ms: Double, samples: Int) {
            self.mirror = mirror
            self.ms = ms
            self.samples = samples
        }
    }

    /// Fastest first.
    public var entries: [Entry]
    /// Where the list came from, as the user named it (a URL, a path, "-").
    public var source: String
    /// The format it was read as (`Page.format`), when known.
    public var sourceFormat: String?
    /// How the entries are ordered, for the header ("median response time of 3 samples …").
    public var rankedBy: String
    /// What was left out and why ("2 failed", "1 not finished", "5 beyond --keep 10").
    public var leftOut: [String]
    /// The page's probe object and files: a Metalink names its file on every mirror.
    public var probePath: String
    public var files: [FileFacts]
    /// `--var` values (an apt sources.list line needs a suite and components).
    public var variables: [String: String]

    public init(entries: [Entry], source: String, sourceFormat: String? = nil, rankedBy: String, leftOut: [String] = [],
                probePath: String = "", files: [FileFacts] = [], variables: [String: String] = [:]) {
        self.entries = entries
        self.source = source
        self.sourceFormat = sourceFormat
        self.rankedBy = rankedBy
        self.leftOut = leftOut
        self.probePath = probePath
        self.files = files
        self.variables = variables
    }

    /// The ranked list of the current round: answered mirrors by the active ranking (`--rank`),
    /// fastest first; failed, unfinished and stale ones (`--max-behind`) left out. `keep` keeps
    /// the fastest N.
    public static func from(_ state: AppState, keep: Int? = nil, variables: [String: String] = [:]) -> SavedList {
        let judge = state.freshnessJudge
        func stale(_ row: MirrorRow) -> Bool { judge.verdict(row.mirror, measured: row.report?.freshness).stale }
        let reports = state.rows.compactMap { row in row.report.flatMap { $0.ok && !stale(row) ? $0 : nil } }
        let order = Dictionary(state.rows.map { ($0.mirror.id, $0.mirror.pageOrder) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(state.rows.map { ($0.mirror.id, $0.mirror) }, uniquingKeysWith: { a, _ in a })
        var entries = Ranking.rank(reports, pageOrder: order, policy: state.ranking).compactMap { report -> Entry? in
            guard let mirror = byID[report.mirrorID], let ms = report.ms else { return nil }
            return Entry(mirror: mirror, ms: ms, samples: report.samples.count)
        }
        var leftOut: [String] = []
        let failed = state.rows.filter(\.isFailed).count
        let unfinished = state.rows.filter { !$0.isFinished }.count
        let excluded = state.rows.filter { $0.isOK && stale($0) }.count
        if failed > 0 { leftOut.append("\(failed) failed") }
        if unfinished > 0 { leftOut.append("\(unfinished) not finished") }
        if excluded > 0 { leftOut.append("\(excluded) stale") }
        if let keep, entries.count > keep {
            leftOut.append("\(entries.count - keep) beyond --keep \(keep)")
            entries = Array(entries.prefix(keep))
        }
        let samples = state.page.probe.samples
        let response = "median response time (connect + TLS + first byte) of \(samples) sample\(samples == 1 ? "" : "s")"
        let measuredRates = state.rows.contains { $0.report?.bytesPerSecond != nil }
        let rankedBy = state.ranking.by == .throughput && measuredRates
            ? "download rate of the leading mirrors, then the rest by \(response), fastest first"
            : "\(response), fastest first"
        return SavedList(entries: entries, source: state.page.url ?? state.page.source, sourceFormat: state.page.format,
                         rankedBy: rankedBy, leftOut: leftOut, probePath: state.page.probe.path, files: state.page.files,
                         variables: variables)
    }
}

/// How `S` and `--save` write: where, in which format, how many.
public struct SaveSettings: Sendable, Hashable {
    /// `--save FILE`; nil: `S` proposes `format.defaultFileName` in the download folder and asks.
    public var path: String?
    public var format: ListFileFormat
    /// `--keep N`: the fastest N; nil keeps every answered mirror.
    public var keep: Int?
    /// `--var` values, for formats that need them (apt-sources: suite, components).
    public var variables: [String: String]

    /// `keep`, or for a sources.list the fastest alone: apt uses every line of one (it does not
    /// fall back from one to the next), so more than one is asked for with `--keep`.
    public var effectiveKeep: Int? { keep ?? (format == .aptSources ? 1 : nil) }

    public init(path: String? = nil, format: ListFileFormat = .plain, keep: Int? = nil, variables: [String: String] = [:]) {
        self.path = path
        self.format = format
        self.keep = keep
        self.variables = variables
    }
}

/// A list to write, asked of the runtime (`Effect.saveList`).
public struct SaveRequest: Sendable, Hashable {
    public var id: Int
    public var path: String
    public var format: ListFileFormat
    public var list: SavedList

    public init(id: Int, path: String, format: ListFileFormat, list: SavedList) {
        self.id = id
        self.path = path
        self.format = format
        self.list = list
    }
}

/// What writing a list came to (`Msg.saved`).
public struct SaveResult: Sendable, Hashable {
    public var requestID: Int
    public var path: String
    public var count: Int
    /// Where the previous file was kept, when there was one.
    public var backup: String?
    /// Set when nothing was written (the old file, if any, is as it was).
    public var error: String?

    public init(requestID: Int, path: String, count: Int, backup: String? = nil, error: String? = nil) {
        self.requestID = requestID
        self.path = path
        self.count = count
        self.backup = backup
        self.error = error
    }
}
