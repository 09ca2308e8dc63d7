/// Which bytes each connection fetches (aria2's idea, with its complaint answered): the missing
/// ranges go to connections as they ask; when none is left, a connection takes over the tail of
/// the segment that will finish last, split in proportion to the two rates, so that a slow mirror
/// keeps only what it can fetch in the time the faster one needs for the rest. A slow mirror
/// cannot then make the whole slower than the best mirror alone. A plain value: the job keeps it
/// behind a lock and every decision is a unit test.
public struct RangePlan: Sendable {
    public struct Segment: Sendable, Hashable {
        public var id: Int
        /// The next offset this segment writes.
        public var next: Int64
        /// Where it stops; lowered when another connection takes over its tail.
        public var end: Int64
        public var mirror: String
        /// Bytes per second so far (0 until measured).
        public var rate: Double
    }

    public private(set) var size: Int64?
    public private(set) var done: ByteRanges
    /// Missing and not being fetched.
    public private(set) var pending: [Range<Int64>]
    public private(set) var active: [Int: Segment] = [:]
    /// A tail shorter than this is not split: another request costs more than it saves.
    public var minimumSplit: Int64
    private var nextID = 1

    public init(size: Int64?, done: ByteRanges = ByteRanges(), minimumSplit: Int64 = 1 << 20) {
        self.size = size
        self.done = done
        self.minimumSplit = minimumSplit
        pending = size.map { done.missing(in: 0..<$0) } ?? []
    }

    public var isComplete: Bool { size.map { done.contains(0..<$0) || $0 == 0 } ?? false }
    public var remaining: Int64? { size.map { $0 - done.count } }

    /// The first range to fetch while the size is unknown: from the first missing byte to the end.
    public mutating func first(mirror: String) -> Segment {
        let start = done.missing(in: 0..<Int64.max).first?.lowerBound ?? 0
        return add(start..<Int64.max, mirror: mirror)
    }

    /// The size, once a mirror has said it: segments end there, the rest becomes pending.
    public mutating func setSize(_ total: Int64) {
        size = total
        for id in active.keys { active[id]!.end = min(active[id]!.end, total) }
        var missing = ByteRanges(done.missing(in: 0..<total))
        for segment in active.values { missing.remove(segment.next..<segment.end) }
        pending = missing.ranges
    }

    /// The next range for a connection to `mirror` (at `rate`, if known): a pending one, or the
    /// taken-over tail of the segment that would finish last. nil: nothing worth taking now.
    public mutating func take(mirror: String, rate: Double = 0) -> Segment? {
        if !pending.isEmpty {
            let range = pending.removeFirst()
            return add(range, mirror: mirror, rate: rate)
        }
        guard size != nil else { return nil }
        // The victim: the segment with the longest time left at its own rate (unmeasured ones by
        // bytes left).
        func timeLeft(_ s: Segment) -> Double { Double(s.end - s.next) / max(s.rate, 1) }
        guard let victim = active.values.filter({ $0.end - $0.next >= 2 * minimumSplit })
            .max(by: { timeLeft($0) < timeLeft($1) }) else { return nil }
        let left = victim.end - victim.next
        // Split so both finish together: the victim keeps left * its rate / (both rates); with a
        // rate unknown, halves.
        var keep = left / 2
        if victim.rate > 0, rate > 0 { keep = Int64(Double(left) * victim.rate / (victim.rate + rate)) }
        if keep < minimumSplit / 4 { keep = 0 }  // too little to be worth finishing slowly: all of it moves
        let cut = victim.next + keep
        active[victim.id]!.end = cut
        return add(cut..<victim.end, mirror: mirror, rate: rate)
    }

    /// Records `count` bytes written by segment `id` at its next offset; gives how many of them
    /// counted (those before its end: a segment whose tail was taken over stops there).
    public mutating func accept(_ id: Int, count: Int64, rate: Double) -> Int64 {
        guard var segment = active[id] else { return 0 }
        let counted = max(0, min(count, segment.end - segment.next))
        if counted > 0 { done.insert(segment.next..<(segment.next + counted)) }
        segment.next += counted
        segment.rate = rate
        active[id] = segment
        return counted
    }

    public func segment(_ id: Int) -> Segment? { active[id] }

    /// The segment ended (reached its end, or failed): what it did not fetch goes back to pending.
    public mutating func release(_ id: Int) {
        guard let segment = active.removeValue(forKey: id) else { return }
        if segment.next < segment.end, segment.end != Int64.max { addPending(segment.next..<segment.end) }
        if segment.end == Int64.max, let size, segment.next < size { addPending(segment.next..<size) }
    }

    /// Bytes found wrong (a piece's hash): fetched again.
    public mutating func invalidate(_ range: Range<Int64>) {
        done.remove(range)
        addPending(range)
    }

    /// The file changed on the server: everything is fetched again.
    public mutating func restart() {
        done = ByteRanges()
        active = [:]
        pending = size.map { [0..<$0] } ?? []
    }

    private mutating func addPending(_ range: Range<Int64>) {
        var all = ByteRanges(pending)
        all.insert(range)
        pending = all.ranges
    }

    private mutating func add(_ range: Range<Int64>, mirror: String, rate: Double = 0) -> Segment {
        let segment = Segment(id: nextID, next: range.lowerBound, end: range.upperBound, mirror: mirror, rate: rate)
        nextID += 1
        active[segment.id] = segment
        return segment
    }
}
