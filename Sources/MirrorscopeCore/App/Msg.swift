/// Everything that can happen to a session arrives as a message: keys, resizes, probe results,
/// fetch results, timer ticks. `update` turns messages into state changes and effects.
public enum Msg: Sendable, Hashable {
    /// The session begins: the first probe round starts.
    case start
    case key(Key)
    case resize(width: Int, height: Int)
    /// Something the prober reported for `round`, and when: `atMs` since the round started, on
    /// the runtime's clock (the core has none). Reports of older rounds are ignored.
    case probe(round: Int, ProbeEvent, atMs: Double = 0)
    /// The prober finished `round` (every mirror reported, or the round was cancelled) `atMs`
    /// after it started.
    case roundFinished(round: Int, atMs: Double = 0)
    /// A phase after `round`'s latency probes is over (every mirror reported, or it was
    /// cancelled) `atMs` after the round started.
    case phaseFinished(round: Int, MeasurementPhase, atMs: Double = 0)
    /// The time in `round`, sent when the core asked for it (`Effect.wake`): only time passing
    /// can settle the decision then.
    case clock(round: Int, atMs: Double)
    /// What writing a mirror list (`Effect.saveList`) came to.
    case saved(SaveResult)
    case fetched(FetchResult)
    /// A download's progress (`Effect.startDownload`), several a second while it runs.
    case downloadProgress(id: Int, DownloadProgress)
    /// A download ended: saved, failed, or cancelled (its part file kept).
    case downloadEnded(DownloadEnd)
    /// The demo stopped a farm mirror (`Effect.stopMirror`); `error` when it could not.
    case mirrorStopped(name: String, error: String?)
    /// An animation tick; the runtime sends ticks only while `State.wantsTicks`.
    case tick
    /// A signal (SIGTERM, SIGHUP) asks the session to end as if the user quit.
    case quitRequested
    /// The history across runs, read once at the start: each mirror's trend, by mirror URL.
    case historyLoaded([String: MirrorTrend])
}

/// Work for the runtime: the core only asks, the runtime does it and answers with messages.
public enum Effect: Sendable, Hashable {
    case startRound(round: Int, mirrors: [Mirror], settings: ProbeSettings)
    /// Run a phase after the latency round on these mirrors (freshness: the answered ones;
    /// throughput: the leading ones). `cancelRound` stops it too.
    case startPhase(round: Int, MeasurementPhase, mirrors: [Mirror], settings: ProbeSettings)
    case cancelRound(round: Int)
    case fetch(FetchRequest)
    /// Post `.clock(round:atMs:)` once `atMs` of the round has passed; replaces the round's
    /// earlier wake, and ends with the round.
    case wake(round: Int, atMs: Double)
    /// Write a ranked mirror list to a file (safely: the old one is kept as FILE.bak).
    case saveList(SaveRequest)
    /// Download a file through the chosen mirror (failover to the others), posting
    /// `.downloadProgress` and then `.downloadEnded`.
    case startDownload(DownloadOrder)
    /// Stop that download; its part file and sidecar stay for resuming.
    case cancelDownload(id: Int)
    /// The demo only: stop the farm mirror at `url` (its connections close, new ones are refused).
    case stopMirror(url: String, name: String)
    case bell
    /// Keep a finished round in the history across runs (off the interface's thread; nothing
    /// comes back). Emitted once per round, when the round and its phases are over.
    case recordRound(RoundRecord)
    /// End the session; `chosenURL` is printed on stdout (exit 0), nil means no choice (exit 130).
    case quit(chosenURL: String?)
}

/// A request to use the chosen mirror: open (show the start of) a file, list a folder, or save a file.
public struct FetchRequest: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case open
        case list
        case save(folder: String)
    }
    public var id: Int
    public var url: String
    /// The path relative to the mirror base, as the list shows it.
    public var path: String
    public var kind: Kind

    public init(id: Int, url: String, path: String, kind: Kind) {
        self.id = id
        self.url = url
        self.path = path
        self.kind = kind
    }
}

/// What fetching through the chosen mirror gave. Text fields are sanitised by the fetcher.
public struct FetchResult: Sendable, Hashable {
    public var requestID: Int
    public var url: String
    public var status: Int?
    public var bytes: Int
    public var elapsedMs: Double
    public var contentType: String?
    /// The first lines, for text; empty for binary content.
    public var preview: [String]
    /// For a folder listing: its entries, with paths relative to the mirror base.
    public var listing: [PageLink]?
    /// For a save: where the file was written.
    public var savedTo: String?
    /// Set when the fetch failed (no answer, write error, refused file name).
    public var error: String?

    public init(requestID: Int, url: String, status: Int? = nil, bytes: Int = 0, elapsedMs: Double = 0,
                contentType: String? = nil, preview: [String] = [], listing: [PageLink]? = nil,
                savedTo: String? = nil, error: String? = nil) {
        self.requestID = requestID
        self.url = url
        self.status = status
        self.bytes = bytes
        self.elapsedMs = elapsedMs
        self.contentType = contentType
        self.preview = preview
        self.listing = listing
        self.savedTo = savedTo
        self.error = error
    }
}
