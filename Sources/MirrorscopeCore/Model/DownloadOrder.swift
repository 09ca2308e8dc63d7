/// What `w` asks the runtime to download (`Effect.startDownload`): the link's path, where from
/// (the chosen mirror first, then the rest of the ranking, for failover), where to, and what the
/// page says to check it against. The runtime picks the final name in `folder` (the download
/// target's rule: a plain name, never overwriting) and runs the download engine on it.
public struct DownloadOrder: Sendable, Hashable {
    public struct Source: Sendable, Hashable {
        /// As the mirror list shows it ("Warsaw"): the pane's "from" and its failover notes.
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    public var id: Int
    /// Relative to each mirror's URL ("files/README.txt").
    public var path: String
    /// Best first: the chosen mirror, then the ranking's others.
    public var mirrors: [Source]
    public var folder: String
    /// The name the pane shows until the runtime has chosen the file (the path's last part).
    public var fileName: String
    /// The page's SHA256SUMS/SHA512SUMS links (paths relative to a mirror), looked in for the
    /// file's hash besides the one in the file's own folder.
    public var sumsPaths: [String]
    /// What the page (a Metalink) says of the file: its hashes and piece hashes.
    public var facts: FileFacts?

    public init(id: Int, path: String, mirrors: [Source], folder: String, fileName: String,
                sumsPaths: [String] = [], facts: FileFacts? = nil) {
        self.id = id
        self.path = path
        self.mirrors = mirrors
        self.folder = folder
        self.fileName = fileName
        self.sumsPaths = sumsPaths
        self.facts = facts
    }
}

/// How a download ended (`Msg.downloadEnded`): its last progress, the file it left (the final
/// name when saved, NAME.part otherwise) and whether the user cancelled it.
public struct DownloadEnd: Sendable, Hashable {
    public var id: Int
    public var progress: DownloadProgress
    public var path: String
    public var cancelled: Bool

    public init(id: Int, progress: DownloadProgress, path: String, cancelled: Bool = false) {
        self.id = id
        self.progress = progress
        self.path = path
        self.cancelled = cancelled
    }
}

/// One row of the downloads pane.
public struct DownloadEntry: Sendable, Hashable {
    public var order: DownloadOrder
    public var progress: DownloadProgress
    /// Set when it ended: the saved file, or the part file kept for resuming.
    public var path: String?
    public var cancelled = false
    /// `c` was pressed; the runtime has not said it stopped yet.
    public var cancelling = false

    public init(order: DownloadOrder) {
        self.order = order
        progress = DownloadProgress(fileName: order.fileName, mirrors: order.mirrors.first.map { [$0.name] } ?? [])
    }

    public var isActive: Bool { path == nil }

    /// The state's words as the pane shows them (network text not yet sanitized).
    public var stateText: String {
        if cancelled {
            let kept = path.map { ($0 as String).split(separator: "/").last.map(String.init) ?? $0 } ?? progress.fileName + ".part"
            return "cancelled (kept as \(kept))"
        }
        if cancelling { return "cancelling…" }
        return progress.stateText
    }

    /// The mirror serving it now (the first of the connections), nil once it has ended.
    public var servingMirror: Source? {
        guard isActive, let name = progress.mirrors.first ?? order.mirrors.first?.name else { return nil }
        return order.mirrors.first { $0.name == name }
    }

    public typealias Source = DownloadOrder.Source
}
