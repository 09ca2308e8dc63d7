// In the core (a plain value, no I/O) so that the terminal's downloads pane can hold and draw it;
// MirrorscopeDownload publishes it.
/// What a download looks like at one moment, as a plain value: the CLI's progress line prints it,
/// and the terminal's downloads pane can draw it. `DownloadJob.progress` publishes one per tick
/// and one per event (a move to another mirror, the verification's result).
public struct DownloadProgress: Sendable, Hashable {
    public var fileName: String
    public var bytes: Int64
    /// nil until a mirror has said the size.
    public var total: Int64?
    /// Over the last seconds, all connections together.
    public var bytesPerSecond: Double
    public var etaSeconds: Double?
    /// The names of the mirrors serving it now, best first.
    public var mirrors: [String]
    public var state: DownloadState
    /// The last thing that happened, for a user to read: "moved to Madrid (Warsaw stalled)".
    public var note: String?

    public init(fileName: String, bytes: Int64 = 0, total: Int64? = nil, bytesPerSecond: Double = 0, etaSeconds: Double? = nil,
                mirrors: [String] = [], state: DownloadState = .starting, note: String? = nil) {
        self.fileName = fileName
        self.bytes = bytes
        self.total = total
        self.bytesPerSecond = bytesPerSecond
        self.etaSeconds = etaSeconds
        self.mirrors = mirrors
        self.state = state
        self.note = note
    }

    /// The state's words, then the last note: "downloading; moved to Madrid (Warsaw stalled)".
    public var stateText: String {
        [state.text, note].compactMap { $0 }.joined(separator: "; ")
    }
}

public enum DownloadState: Sendable, Hashable {
    case starting
    case downloading
    case verifying
    /// Saved under its final name, its hash checked ("sha256").
    case verified(algorithm: String)
    /// Saved under its final name with nothing to check it against.
    case unverified
    /// Kept as NAME.part: what arrived does not match the expected hash.
    case hashMismatch(algorithm: String)
    /// Kept as NAME.part (resumable): why it stopped.
    case failed(String)

    public var text: String {
        switch self {
        case .starting: "starting"
        case .downloading: "downloading"
        case .verifying: "verifying"
        case .verified(let algorithm): "verified \(algorithm)"
        case .unverified: "saved (no hash to verify)"
        case .hashMismatch: "hash mismatch"
        case .failed(let why): "failed: \(why)"
        }
    }

    public var isFinal: Bool {
        switch self {
        case .verified, .unverified, .hashMismatch, .failed: true
        case .starting, .downloading, .verifying: false
        }
    }
}
