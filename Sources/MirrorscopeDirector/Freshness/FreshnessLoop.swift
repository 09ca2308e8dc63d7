/// Reads every watched virtual server's freshness objects each `freshness_interval` and hands
/// the verdicts to the controller, which publishes a table where stale mirrors take no new sessions.
struct FreshnessLoop {
    let controller: DirectorController
    let runner: FreshnessRoundRunner
    /// How often the loop looks for work: a reload that adds or changes a watch is seen this soon.
    static let tick: Duration = .seconds(1)

    func run() async {
        var due: [String: (settings: FreshnessWatchSettings, at: ContinuousClock.Instant)] = [:]
        while !Task.isCancelled {
            let now = ContinuousClock.now
            for target in await controller.freshnessTargets() {
                if let known = due[target.virtual], known.settings == target.settings, known.at > now { continue }
                due[target.virtual] = (target.settings, now + target.settings.interval)
                let verdicts = await runner.verdicts(settings: target.settings, reals: target.reals)
                if Task.isCancelled { return }
                await controller.recordFreshness(virtual: target.virtual, settings: target.settings, verdicts: verdicts)
            }
            try? await Task.sleep(for: Self.tick)
        }
    }
}
