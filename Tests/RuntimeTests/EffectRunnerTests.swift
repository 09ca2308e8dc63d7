import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeFetch
import MirrorscopeProber
import MirrorscopeRuntime
import Synchronization
import TestSupport
import Testing

/// The effect runtime against the farm: a real probe round started and cancelled through it,
/// and the two effects that belong to the interface handed to the interface.
@Suite("effect runtime", .serialized)
struct EffectRunnerTests {
    /// Six mirrors that read the request and never answer (each holds a connection open until it is
    /// closed), and one that answers at once.
    static let farmConfig = FarmConfig(mirrors: (0..<6).map {
        FarmMirrorSpec(id: "h\($0)", name: "Hang \($0)", location: "de", delayMs: 0, fault: .hang)
    } + [FarmMirrorSpec(id: "ok", name: "OK", location: "de", delayMs: 1)])

    /// Long enough that a hanging probe never times out during a test: any result from a hanging
    /// mirror would have to come from the cancel.
    static let settings = ProbeSettings(path: "probe.bin", samples: 3, timeoutMs: 30_000, concurrency: 7)

    /// Runs `body` with a started farm, a runner whose messages go to `messages`, and shuts all
    /// of them down (awaited) however the body ends.
    static func withRunner(_ body: (Farm, EffectRunner, MessageLog) async throws -> Void) async throws {
        let farm = try await Farm.start(farmConfig)
        let web = try WebClient(configuration: .init(userAgent: "mirrorscope-test"))
        let client = ClientInfo(version: "0.0.0", platform: "Linux", platformVersion: "test", architecture: "x86_64", hostname: "test")
        let messages = MessageLog()
        let runner = EffectRunner(prober: Prober(configuration: ProberConfiguration(clientInfo: client)), web: web,
                                  logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), post: messages.record)
        var failure: (any Error)?
        do { try await body(farm, runner, messages) } catch { failure = error }
        await runner.shutdown()
        await web.shutdown()
        try await farm.shutdown()
        if let failure { throw failure }
    }

    static func mirrors(of farm: Farm) -> [Mirror] {
        farm.mirrors.enumerated().map { Mirror(id: $1.spec.id, url: $1.url, name: $1.spec.name, pageOrder: $0) }
    }

    /// Starts round 1 and waits until every hanging mirror holds a connection and the healthy
    /// one has reported: the round is in flight and has nothing more to say by itself.
    static func startHangingRound(_ farm: Farm, _ runner: EffectRunner, _ messages: MessageLog, _ interface: RecordingInterface) async throws {
        runner.perform(.startRound(round: 1, mirrors: mirrors(of: farm), settings: settings), interface: interface)
        try await waitUntil("the hanging mirrors to hold their connections and the healthy one to finish",
                            observed: { "open \(farm.openConnections()), messages \(messages.all)" }) {
            farm.openConnections() == 6 && messages.all.contains { if case .probe(round: 1, .finished(let r), _) = $0 { r.mirrorID == "ok" } else { false } }
        }
    }

    @Test func cancellingARoundStopsItsResultsAndClosesItsConnections() async throws {
        try await Self.withRunner { farm, runner, messages in
            let interface = RecordingInterface()
            try await Self.startHangingRound(farm, runner, messages, interface)
            let before = messages.all.count

            runner.perform(.cancelRound(round: 1), interface: interface)

            // The round ends promptly (its end is reported even when cancelled, and `update`
            // ignores it for an old round); no mirror's result comes after the cancel.
            try await waitUntil("the cancelled round to end", timeout: .seconds(5), observed: { "\(messages.all.dropFirst(before))" }) {
                messages.all.contains { if case .roundFinished(round: 1, _) = $0 { true } else { false } }
            }
            try await waitUntil("the farm to see every connection closed", timeout: .seconds(5),
                                observed: { "open \(farm.openConnections())" }) {
                farm.openConnections() == 0
            }
            await runner.shutdown()  // nothing of the round is left running to post late
            let after = Array(messages.all.dropFirst(before))
            #expect(after.count == 1 && { if case .roundFinished(round: 1, _) = after[0] { true } else { false } }(), "\(after)")
            #expect(interface.bells == 0 && interface.endings.isEmpty)
        }
    }

    /// Quitting mid-round, as `update` asks for it: the round is cancelled through the runner and
    /// the interface is told to end, once, without a choice.
    @Test func quittingMidRoundCancelsTheRoundAndEndsTheInterface() async throws {
        try await Self.withRunner { farm, runner, messages in
            let interface = RecordingInterface()
            var state = AppState(page: Page(source: farm.pageURL, mirrors: Self.mirrors(of: farm), probe: Self.settings))
            let start = update(&state, .start)
            #expect(start == [.startRound(round: 1, mirrors: Self.mirrors(of: farm), settings: Self.settings)])
            for effect in start { runner.perform(effect, interface: interface) }
            try await waitUntil("the hanging mirrors to hold their connections", observed: { "open \(farm.openConnections())" }) {
                farm.openConnections() == 6
            }

            let quit = update(&state, .key(.char("q")))
            #expect(quit == [.cancelRound(round: 1), .quit(chosenURL: nil)])
            for effect in quit { runner.perform(effect, interface: interface) }
            #expect(interface.endings == [nil], "the interface ends at once, without a choice")

            try await waitUntil("the farm to see every connection closed", timeout: .seconds(5),
                                observed: { "open \(farm.openConnections())" }) {
                farm.openConnections() == 0
            }
            await runner.shutdown()
            let hanging = messages.all.filter { if case .probe(round: 1, .finished(let r), _) = $0 { r.mirrorID != "ok" } else { false } }
            #expect(hanging.isEmpty, "a hanging mirror reported after the quit: \(hanging)")
        }
    }

    @Test func theBellAndTheEndGoToTheInterface() async throws {
        try await Self.withRunner { _, runner, messages in
            let interface = RecordingInterface()
            runner.perform(.bell, interface: interface)
            #expect(interface.bells == 1)
            runner.perform(.quit(chosenURL: "http://127.0.0.1:8001/pub/"), interface: interface)
            #expect(interface.endings == ["http://127.0.0.1:8001/pub/"])
            #expect(messages.all.isEmpty, "neither is a message for the core")
        }
    }
}

/// The runtime's clock for the core: stamped probe messages, wakes, and saved lists.
@Suite("effect runtime: time and files", .serialized)
struct EffectRunnerTimeTests {
    static func withRunner(_ body: (Farm, EffectRunner, MessageLog) async throws -> Void) async throws {
        try await EffectRunnerTests.withRunner(body)
    }

    @Test func probeMessagesAreStampedInOrderAndAWakeIsAnsweredOnTime() async throws {
        try await Self.withRunner { farm, runner, messages in
            let interface = RecordingInterface()
            try await EffectRunnerTests.startHangingRound(farm, runner, messages, interface)
            var stamps = messages.all.compactMap { msg -> Double? in if case .probe(round: 1, _, let at) = msg { at } else { nil } }
            #expect(stamps == stamps.sorted(), "posted in the order of their times")
            #expect(stamps.count >= 8 && stamps.allSatisfy { $0 >= 0 })
            // "ok" (1 ms, 3 samples) connected three times; each hanging mirror once.
            try await waitUntil("a connection for every sample begun", timeout: .seconds(5), observed: { "\(messages.all)" }) {
                messages.all.filter { if case .probe(round: 1, .connected, _) = $0 { true } else { false } }.count == 3 + 6
            }

            stamps = messages.all.compactMap { msg -> Double? in if case .probe(round: 1, _, let at) = msg { at } else { nil } }
            let last = stamps.last ?? 0
            let due = last + 150
            runner.perform(.wake(round: 1, atMs: due), interface: interface)
            let clock = try await waitFor("the wake", timeout: .seconds(5)) {
                messages.all.lazy.compactMap { msg -> Double? in if case .clock(round: 1, let at) = msg { at } else { nil } }.first
            }
            #expect(clock >= due, "not before it was due: \(clock) < \(due)")
            #expect(clock < due + 1000, "and not long after: \(clock)")

            // A replaced wake does not fire; a cancelled round's wake neither.
            runner.perform(.wake(round: 1, atMs: clock + 60_000), interface: interface)
            runner.perform(.wake(round: 1, atMs: clock + 100), interface: interface)
            runner.perform(.cancelRound(round: 1), interface: interface)
            try await waitUntil("the round to end", timeout: .seconds(5)) {
                messages.all.contains { if case .roundFinished(round: 1, _) = $0 { true } else { false } }
            }
            await runner.shutdown()
            let clocks = messages.all.filter { if case .clock = $0 { true } else { false } }
            #expect(clocks.count == 1, "\(clocks)")
        }
    }

    @Test func aSavedListIsWrittenAndToldBack() async throws {
        try await Self.withRunner { _, runner, messages in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-runtime-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let list = SavedList(entries: [SavedList.Entry(mirror: Mirror(id: "a", url: "http://a.example/"), ms: 5, samples: 3)],
                                 source: "test", rankedBy: "test")
            let request = SaveRequest(id: 9, path: folder + "/mirrors.txt", format: .plain, list: list)
            runner.perform(.saveList(request), interface: RecordingInterface())
            let result = try await waitFor("the save", timeout: .seconds(5)) {
                messages.all.lazy.compactMap { msg -> SaveResult? in if case .saved(let r) = msg { r } else { nil } }.first
            }
            #expect(result == SaveResult(requestID: 9, path: folder + "/mirrors.txt", count: 1))
            #expect(try String(contentsOfFile: folder + "/mirrors.txt", encoding: .utf8).hasSuffix("\nhttp://a.example/\n"))
        }
    }
}

/// Messages the runner posted, from any thread, in order.
final class MessageLog: Sendable {
    private let messages = Mutex<[Msg]>([])
    var all: [Msg] { messages.withLock { $0 } }
    func record(_ msg: Msg) { messages.withLock { $0.append(msg) } }
}

/// The interface's side, recorded: the runner calls it on the caller's thread, before `perform`
/// returns, so the test reads it right after.
final class RecordingInterface: InterfaceActions {
    private(set) var bells = 0
    private(set) var endings: [String?] = []
    func ringBell() { bells += 1 }
    func endSession(chosenURL: String?) { endings.append(chosenURL) }
}
