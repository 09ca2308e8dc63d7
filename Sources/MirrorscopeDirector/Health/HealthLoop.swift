import NIOCore

/// Checks every real server each `interval`, all at once, and hands the results to the controller.
struct HealthLoop {
    let controller: DirectorController
    let probe: HealthProbe

    func run() async {
        while !Task.isCancelled {
            let (settings, targets) = await controller.healthTargets()
            if settings.enabled {
                let timeout = TimeAmount(settings.timeout)
                let results = await withTaskGroup(of: (id: String, url: String, healthy: Bool).self) { group in
                    for target in targets {
                        group.addTask { (target.id, target.url, await probe.check(url: target.url, path: settings.path, timeout: timeout)) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                if Task.isCancelled { return }
                await controller.recordHealth(results)
            }
            try? await Task.sleep(for: settings.interval)
        }
    }
}
