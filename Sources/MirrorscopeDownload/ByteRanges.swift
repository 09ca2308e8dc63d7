/// A set of byte offsets kept as sorted, disjoint, non-adjacent half-open ranges: what a part file
/// holds, what is left to fetch.
public struct ByteRanges: Sendable, Hashable, Codable {
    public private(set) var ranges: [Range<Int64>] = []

    public init(_ ranges: [Range<Int64>] = []) {
        for range in ranges { insert(range) }
    }

    public var count: Int64 { ranges.reduce(0) { $0 + Int64($1.count) } }

    public mutating func insert(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<Int64>] = []
        kept.reserveCapacity(ranges.count + 1)
        for r in ranges {
            if r.upperBound < merged.lowerBound || r.lowerBound > merged.upperBound {
                kept.append(r)
            } else {
                merged = min(r.lowerBound, merged.lowerBound)..<max(r.upperBound, merged.upperBound)
            }
        }
        let at = kept.firstIndex { $0.lowerBound > merged.lowerBound } ?? kept.endIndex
        kept.insert(merged, at: at)
        ranges = kept
    }

    public mutating func remove(_ range: Range<Int64>) {
        var kept: [Range<Int64>] = []
        for r in ranges {
            if r.upperBound <= range.lowerBound || r.lowerBound >= range.upperBound { kept.append(r); continue }
            if r.lowerBound < range.lowerBound { kept.append(r.lowerBound..<range.lowerBound) }
            if r.upperBound > range.upperBound { kept.append(range.upperBound..<r.upperBound) }
        }
        ranges = kept
    }

    public func contains(_ range: Range<Int64>) -> Bool {
        ranges.contains { $0.lowerBound <= range.lowerBound && $0.upperBound >= range.upperBound }
    }

    /// What of `whole` is not in the set, in order.
    public func missing(in whole: Range<Int64>) -> [Range<Int64>] {
        var gaps: [Range<Int64>] = []
        var at = whole.lowerBound
        for r in ranges where r.upperBound > at && r.lowerBound < whole.upperBound {
            if r.lowerBound > at { gaps.append(at..<r.lowerBound) }
            at = max(at, r.upperBound)
        }
        if at < whole.upperBound { gaps.append(at..<whole.upperBound) }
        return gaps
    }

    public init(from decoder: any Decoder) throws {
        let pairs = try decoder.singleValueContainer().decode([[Int64]].self)
        self.init(pairs.compactMap { $0.count == 2 && $0[0] >= 0 && $0[0] <= $0[1] ? $0[0]..<$0[1] : nil })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ranges.map { [$0.lowerBound, $0.upperBound] })
    }
}
