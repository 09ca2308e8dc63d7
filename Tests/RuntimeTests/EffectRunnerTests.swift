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
            farm.openConnections() == 6 && messages.all.contains { if case .probe(round: 1, .finished(let r)) = $0 { r.mirrorID == "ok" } else { false } }
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
                messages.all.contains(.roundFinished(round: 1))
            }
            try await waitUntil("the farm to see every connection closed", timeout: .seconds(5),
                                observed: { "open \(farm.openConnections())" }) {
                farm.openConnections() == 0
            }
            await runner.shutdown()  // nothing of the round is left running to post late
            #expect(Array(messages.all.dropFirst(before)) == [.roundFinished(round: 1)])
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
            let hanging = messages.all.filter { if case .probe(round: 1, .finished(let r)) = $0 { r.mirrorID != "ok" } else { false } }
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
