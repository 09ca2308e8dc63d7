/// Where the sync time shown for a mirror came from.
public enum FreshnessSource: String, Sendable, Hashable, Codable {
    /// Fetched from the mirror this round (its timestamp object).
    case measured
    /// The list's own record (the Arch status's `last_sync`).
    case list
}

/// How far behind one mirror is, as far as it is known.
public struct FreshnessVerdict: Sendable, Hashable {
    public var syncedAt: Int64?
    public var source: FreshnessSource?
    /// Seconds behind the reference (0 for the newest); nil when either time is unknown.
    public var behindSeconds: Int64?
    /// Behind by more than `--max-behind`: out of the ranking, still listed.
    public var stale: Bool

    public static let unknown = FreshnessVerdict(syncedAt: nil, source: nil, behindSeconds: nil, stale: false)
}

/// Judges every mirror against one reference: the page's time, the origin's copy (fetched once),
/// or else the newest sync time seen among the mirrors. A measured time wins over the list's own
/// record, which is older by nature (the list was generated before this round). A mirror whose
/// time is unknown is not stale: there is nothing to hold against it.
public struct FreshnessJudge: Sendable, Hashable {
    public enum ReferenceSource: String, Sendable, Hashable {
        case page = "the page's reference time"
        case origin = "the origin's copy"
        case newest = "the newest mirror"
    }

    public var reference: Int64?
    public var referenceSource: ReferenceSource
    public var maxBehindSeconds: Int64?

    /// Past this the column is highlighted: `--max-behind`, else a day.
    public var highlightAfterSeconds: Int64 { maxBehindSeconds ?? 86_400 }

    /// `fetchedReference`: what the origin's copy said, when `configured` is a URL and it was read.
    /// `syncTimes`: every mirror's known sync time (measured or listed).
    public init(configured: FreshnessReference?, fetchedReference: Int64?, syncTimes: some Sequence<Int64>,
                maxBehindSeconds: Int64?) {
        self.maxBehindSeconds = maxBehindSeconds
        switch configured {
        case .time(let t)?:
            reference = t
            referenceSource = .page
        case .url?:
            if let fetchedReference {
                reference = fetchedReference
                referenceSource = .origin
            } else {
                reference = syncTimes.max()
                referenceSource = .newest
            }
        case .newest?, nil:
            reference = syncTimes.max()
            referenceSource = .newest
        }
    }

    /// The sync time to show for `mirror`: this round's measurement, else the list's record.
    public static func syncTime(_ mirror: Mirror, measured: FreshnessResult?) -> (Int64, FreshnessSource)? {
        if let t = measured?.syncedAt { return (t, .measured) }
        if let t = mirror.freshness?.lastSync { return (t, .list) }
        return nil
    }

    public func verdict(_ mirror: Mirror, measured: FreshnessResult?) -> FreshnessVerdict {
        guard let (time, source) = Self.syncTime(mirror, measured: measured) else { return .unknown }
        let behind = reference.map { max(0, $0 - time) }
        let stale = behind.map { b in maxBehindSeconds.map { b > $0 } ?? false } ?? false
        return FreshnessVerdict(syncedAt: time, source: source, behindSeconds: behind, stale: stale)
    }
}
