import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import NIOConcurrencyHelpers
import Testing

/// A farm mirror without jitter or fault unless given.
func spec(_ id: String, delay: Double = 0, fault: FarmFault? = nil, tls: Bool = false) -> FarmMirrorSpec {
    FarmMirrorSpec(id: id, name: id.capitalized, location: "de", delayMs: delay, jitterMs: 0, fault: fault, tls: tls)
}

extension Farm {
    /// The farm's mirrors as a page would describe them.
    var pageMirrors: [Mirror] {
        mirrors.enumerated().map { n, running in
            Mirror(id: running.spec.id, url: running.url, name: running.spec.name, location: running.spec.location,
                   pageOrder: n)
        }
    }

    func pageMirror(_ id: String) -> Mirror {
        pageMirrors.first { $0.id == id }!
    }
}

let testClient = ClientInfo(version: "1.2.3", platform: "Linux", platformVersion: "6.1.0-test",
                            architecture: "x86_64", hostname: "probe-host")

func makeProber(policy: ClientInfo.Policy = .full, trusting farm: Farm? = nil) -> Prober {
    var client = testClient
    client.policy = policy
    return Prober(configuration: ProberConfiguration(clientInfo: client,
                                                     additionalTrustRootsPEM: farm.map { [$0.caCertificatePEM] } ?? []))
}

func settings(samples: Int = 1, timeoutMs: Int = 2000, concurrency: Int = 8, method: String = "GET",
              clientInfo: Set<ClientInfoField> = ClientInfoField.basic) -> ProbeSettings {
    ProbeSettings(path: "probe.bin", method: method, samples: samples, timeoutMs: timeoutMs,
                  concurrency: concurrency, clientInfo: clientInfo)
}

/// Collects a round's events as they arrive, from any thread.
final class EventLog: Sendable {
    private let box = NIOLockedValueBox<[ProbeEvent]>([])

    var events: [ProbeEvent] { box.withLockedValue { $0 } }

    func record(_ event: ProbeEvent) {
        box.withLockedValue { $0.append(event) }
    }

    func events(of mirrorID: String) -> [ProbeEvent] {
        events.filter { event in
            switch event {
            case .started(let id), .connecting(let id), .connected(let id, _): id == mirrorID
            case .sample(let id, _): id == mirrorID
            case .finished(let report): report.mirrorID == mirrorID
            default: false  // the phases after the latency round (ThroughputTests, FreshnessTests)
            }
        }
    }
}

/// Every suite of this target runs inside this one, one test at a time: timing tests measure
/// milliseconds, and must not share the event loops with a TLS handshake of another test.
@Suite(.serialized) enum ProberAndFarmTests {}
