import Logging

/// Health states: what the checks and failed proxy exchanges tell the controller.
extension DirectorController {
    func healthTargets() -> (settings: HealthSettings, targets: [(id: String, url: String)]) {
        (config.health, config.reals.map { ($0.id, $0.url) })
    }

    func recordHealth(_ results: [(id: String, url: String, healthy: Bool)]) async {
        let settings = config.health
        var changed = false
        for result in results where config.real(result.id)?.url == result.url {
            healthURLs[result.id] = result.url
            var counter = health[result.id] ?? HealthCounter()
            if counter.record(success: result.healthy, rise: settings.rise, fall: settings.fall) {
                changed = true
                logger.warning("real server \(counter.up ? "up" : "down")", metadata: ["real": "\(result.id)", "url": "\(result.url)"])
            }
            health[result.id] = counter
        }
        if changed { await publish() }
    }

    /// A proxied exchange failed on this server: it goes down at once (only with health checks on,
    /// since they alone can bring it back).
    func reportProxyFailure(id: String) async {
        guard config.health.enabled, config.real(id) != nil else { return }
        var counter = health[id] ?? HealthCounter()
        if counter.markDown() {
            health[id] = counter
            logger.warning("real server down (proxy failure)", metadata: ["real": "\(id)"])
            await publish()
        } else {
            health[id] = counter
        }
    }
}
