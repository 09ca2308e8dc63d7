/// What a simulated mirror does wrong while serving the farm's large file (downloads' faults; the
/// probe objects stay healthy, so the mirror still ranks as a real failing mirror would). Encoded as
/// the words `/farm.json` uses: "reset after N", "stall after N", "wrong bytes A-B", "ignore range".
public enum FarmDownloadFault: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Closes the connection after sending this many body bytes of one answer.
    case resetAfter(Int)
    /// Stops sending after this many body bytes of one answer and keeps the connection open.
    case stallAfter(Int)
    /// Serves the bytes at these offsets of the file inverted (every answer that covers them).
    case wrongBytes(Range<Int>)
    /// Answers a `Range` request with the whole file (200), as some servers do.
    case ignoreRange

    public var description: String {
        switch self {
        case .resetAfter(let n): "reset after \(n)"
        case .stallAfter(let n): "stall after \(n)"
        case .wrongBytes(let r): "wrong bytes \(r.lowerBound)-\(r.upperBound)"
        case .ignoreRange: "ignore range"
        }
    }

    public init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        switch (words.count, words.first) {
        case (3, "reset") where words[1] == "after": guard let n = Int(words[2]), n >= 0 else { return nil }; self = .resetAfter(n)
        case (3, "stall") where words[1] == "after": guard let n = Int(words[2]), n >= 0 else { return nil }; self = .stallAfter(n)
        case (3, "wrong") where words[1] == "bytes":
            let bounds = words[2].split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] >= 0, bounds[0] < bounds[1] else { return nil }
            self = .wrongBytes(bounds[0]..<bounds[1])
        case (2, "ignore") where words[1] == "range": self = .ignoreRange
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let fault = FarmDownloadFault(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown farm download fault \"\(text)\""))
        }
        self = fault
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
