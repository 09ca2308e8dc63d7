// Frame cost of the terminal UI: render the state to a grid and diff it against the previous
// frame, as the terminal thread does for every frame, with ROWS mirrors (default 1000).
// Usage: FrameBench [rows] [frames] [width] [height]. Prints per-frame percentiles in ms.
import MirrorscopeCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rows = arguments.count > 0 ? arguments[0] : 1000
let frames = arguments.count > 1 ? arguments[1] : 2000
let width = arguments.count > 2 ? arguments[2] : 120
let height = arguments.count > 3 ? arguments[3] : 40

let mirrors = (0..<rows).map { i in
    Mirror(id: "m\(i)", url: "https://mirror\(i).example.org/pub/", name: "Mirror \(i)", location: "de", pageOrder: i)
}
var state = AppState(page: Page(source: "bench", title: "Frame bench", mirrors: mirrors), width: width, height: height)
_ = update(&state, .start)

// Half the mirrors have answered (spread 5-300 ms), a tenth failed, the rest are in flight:
// the busiest screen a round produces.
var generator = SystemRandomNumberGenerator()
for i in 0..<rows {
    let id = "m\(i)"
    _ = update(&state, .probe(round: 1, .started(mirrorID: id)))
    if i % 10 == 0 {
        _ = update(&state, .probe(round: 1, .finished(MirrorReport(mirrorID: id, samples: [], failure: ProbeFailure(.refused, "connection refused")))))
    } else if i % 2 == 0 {
        let ms = Double.random(in: 5...300, using: &generator)
        let sample = ProbeSample(dnsMs: 0, connectMs: 0.2, tlsMs: nil, ttfbMs: ms, status: 200)
        _ = update(&state, .probe(round: 1, .finished(MirrorReport(mirrorID: id, samples: [sample, sample, sample], failure: nil))))
    }
}

let clock = ContinuousClock()
var previous = render(state)
var costs: [Double] = []
costs.reserveCapacity(frames)
var changedCells = 0
for frame in 0..<frames {
    // Between two frames something happens: a result arrives, the spinner ticks, or a key moves the cursor.
    switch frame % 3 {
    case 0:
        let i = (frame * 7919) % rows
        let sample = ProbeSample(dnsMs: 0, connectMs: 0.2, tlsMs: nil, ttfbMs: Double(frame % 290 + 5), status: 200)
        _ = update(&state, .probe(round: 1, .finished(MirrorReport(mirrorID: "m\(i)", samples: [sample], failure: nil))))
    case 1:
        _ = update(&state, .tick)
    default:
        _ = update(&state, .key(frame % 2 == 0 ? .down : .up))
    }
    let start = clock.now
    let grid = render(state)
    let changes = GridDiff.changes(from: previous, to: grid)
    let elapsed = clock.now - start
    changedCells += changes.count
    previous = grid
    costs.append(elapsed.milliseconds)
}
costs.sort()
let sorted = costs
func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
print("rows=\(rows) frames=\(frames) size=\(width)x\(height)")
print("frame cost (render + diff) ms: median \(Format.fixed(percentile(0.5), decimals: 3))  p90 \(Format.fixed(percentile(0.9), decimals: 3))  p99 \(Format.fixed(percentile(0.99), decimals: 3))  max \(Format.fixed(costs.last ?? 0, decimals: 3))")
print("changed cells per frame (mean): \(changedCells / max(1, frames))")
