import Foundation
import MirrorscopeCore

extension FarmConfig {
    /// The demo's farm: `count` mirrors named after cities, with delays spread evenly over 5...300 ms
    /// in an order the seed decides, jitter of about a tenth of the delay (1...15 ms) unless
    /// `jitter: false`, and among them faulty mirrors: one refuses connections, one hangs and one
    /// answers 503 (for large counts 2 % of each). With `tls`, every fourth mirror serves https with
    /// the farm's CA (so the TLS phase shows). Bandwidths and sync times as `scriptMeasures` says,
    /// and a probe script naming the throughput sample and `lastsync`. The same arguments always
    /// give the same farm.
    public static func demo(count: Int = 12, seed: UInt64 = 1, jitter: Bool = true, tls: Bool = true) -> FarmConfig {
        var random = FarmRandom(seed: seed)
        let count = max(0, count)
        // One delay per equal slice of the range, so that even 12 mirrors show the whole spread.
        var delays = (0..<count).map { slot in
            (5 + 295 * (Double(slot) + random.unit()) / Double(max(count, 1))).rounded()
        }
        delays.shuffle(using: &random)

        let faultsEach = count >= 4 ? max(1, count / 50) : 0
        var faultOrder = Array(0..<count)
        faultOrder.shuffle(using: &random)
        var faults: [Int: FarmFault] = [:]
        for (n, index) in faultOrder.prefix(3 * faultsEach).enumerated() {
            faults[index] = [FarmFault.refuse, .hang, .status(503)][n % 3]
        }

        var mirrors = (0..<count).map { index in
            let city = DemoCities.all[index % DemoCities.all.count]
            let round = index / DemoCities.all.count
            let name = round == 0 ? city.name : "\(city.name) \(round + 1)"
            let delay = delays[index]
            return FarmMirrorSpec(id: slug(name), name: name, location: city.country, delayMs: delay,
                                  jitterMs: jitter ? min(15, max(1, (delay / 10).rounded())) : 0,
                                  fault: faults[index], tls: tls && faults[index] == nil && index % 4 == 1)
        }
        scriptMeasures(&mirrors, seed: seed)
        return FarmConfig(mirrors: mirrors, seed: seed,
                          probeThroughput: .init(path: FarmFiles.sampleName),
                          probeFreshness: .init(path: FarmFiles.lastsyncName, format: FreshnessFormat.unixTime.rawValue))
    }

    /// Bandwidths and sync times for the demo (drawn from their own stream of the seed, so the
    /// delays and faults stay as they were): rates spread evenly on a log scale over 1...50 MB/s,
    /// sync times up to 3 h behind; and three mirrors that make the new measurements matter: the
    /// fastest to answer delivers slowly (2 MB/s), the slowest to answer of the five that the
    /// throughput phase measures by default delivers fastest (50 MB/s), and the second fastest to
    /// answer is two days behind.
    static func scriptMeasures(_ mirrors: inout [FarmMirrorSpec], seed: UInt64) {
        var random = FarmRandom(seed: seed, stream: 0x7261_7465)
        let healthy = mirrors.indices.filter { mirrors[$0].fault == nil }
        var rates = healthy.indices.map { slot in 1e6 * pow(50, (Double(slot) + random.unit()) / Double(max(healthy.count, 1))) }
        rates.shuffle(using: &random)
        for (slot, index) in healthy.enumerated() {
            mirrors[index].bytesPerSecond = (rates[slot] / 1e4).rounded() * 1e4
            mirrors[index].behindSeconds = Int64(random.unit() * 36) * 300  // 0...3 h in 5-minute steps
        }
        let byDelay = healthy.sorted { mirrors[$0].delayMs < mirrors[$1].delayMs }
        guard byDelay.count >= 3 else { return }
        mirrors[byDelay[0]].bytesPerSecond = 2e6
        mirrors[byDelay[min(4, byDelay.count - 1)]].bytesPerSecond = 50e6
        mirrors[byDelay[1]].behindSeconds = 2 * 86_400
    }

    /// "São Paulo 2" -> "sao-paulo-2".
    private static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var words: [String] = []
        var word = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                word.unicodeScalars.append(scalar)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words.joined(separator: "-")
    }
}
