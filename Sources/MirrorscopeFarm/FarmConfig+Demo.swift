import Foundation

extension FarmConfig {
    /// The demo's farm: `count` mirrors named after cities, with delays spread evenly over 5...300 ms
    /// in an order the seed decides, jitter of about a tenth of the delay (1...15 ms) unless
    /// `jitter: false`, and among them faulty mirrors: one refuses connections, one hangs and one
    /// answers 503 (for large counts 2 % of each). With `tls`, every fourth mirror serves https with
    /// the farm's CA (so the TLS phase shows). The same arguments always give the same farm.
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

        let mirrors = (0..<count).map { index in
            let city = DemoCities.all[index % DemoCities.all.count]
            let round = index / DemoCities.all.count
            let name = round == 0 ? city.name : "\(city.name) \(round + 1)"
            let delay = delays[index]
            return FarmMirrorSpec(id: slug(name), name: name, location: city.country, delayMs: delay,
                                  jitterMs: jitter ? min(15, max(1, (delay / 10).rounded())) : 0,
                                  fault: faults[index], tls: tls && faults[index] == nil && index % 4 == 1)
        }
        return FarmConfig(mirrors: mirrors, seed: seed)
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
