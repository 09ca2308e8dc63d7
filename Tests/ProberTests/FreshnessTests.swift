import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import Testing

extension ProberAndFarmTests {
    /// The freshness phase against the farm's sync times: each format reads the exact time the
    /// farm scripted, the reference URL is fetched once, and what cannot be read says why.
    @Suite struct FreshnessTests {
        static let reference: Int64 = 1_764_590_000

        static func freshness(_ path: String, _ format: FreshnessFormat, reference: FreshnessReference = .newest) -> ProbeSettings {
            var s = settings()
            s.freshness = FreshnessSettings(path: path, format: format, reference: reference)
            return s
        }

        static let config = FarmConfig(mirrors: [
            FarmMirrorSpec(id: "current", name: "Current", location: "de", delayMs: 5),
            FarmMirrorSpec(id: "hours", name: "Hours", location: "fr", delayMs: 5, tls: true, behindSeconds: 3 * 3600),
            FarmMirrorSpec(id: "days", name: "Days", location: "nl", delayMs: 5, behindSeconds: 2 * 86_400),
        ], syncReference: reference)

        static let scripted: [String: Int64] = ["current": reference, "hours": reference - 3 * 3600, "days": reference - 2 * 86_400]

        @Test(arguments: [("lastsync", FreshnessFormat.unixTime), ("dists/stable/Release", .releaseDate),
                          ("repodata/repomd.xml", .lastModified)])
        func eachFormatReadsTheScriptedTime(path: String, format: FreshnessFormat) async throws {
            try await Farm.with(Self.config) { farm in
                let log = EventLog()
                let read = await makeProber(trusting: farm).freshnessRound(mirrors: farm.pageMirrors,
                                                                           settings: Self.freshness(path, format), onEvent: log.record)
                for (id, time) in Self.scripted {
                    let result = try #require(read.results[id])
                    #expect(result.failure == nil, "\(id) \(path): \(result.failure?.reason ?? "")")
                    #expect(result.syncedAt == time, "\(id) \(path)")
                    #expect(result.url == farm.url(ofMirror: id)! + path)
                    #expect(log.events.contains(.freshness(mirrorID: id, result)))
                }
                #expect(read.reference == nil, "no reference URL, nothing fetched")
                let judge = FreshnessJudge(configured: .newest, fetchedReference: nil, syncTimes: read.results.values.compactMap(\.syncedAt),
                                           maxBehindSeconds: 6 * 3600)
                #expect(judge.reference == Self.reference, "the newest mirror is the reference")
                let days = judge.verdict(farm.pageMirror("days"), measured: read.results["days"])
                #expect(days.behindSeconds == Int64(2 * 86_400) && days.stale)
                #expect(judge.verdict(farm.pageMirror("hours"), measured: read.results["hours"]).stale == false)
            }
        }

        @Test func theReferenceURLIsFetchedOnce() async throws {
            try await Farm.with(Self.config) { farm in
                let log = EventLog()
                let origin = farm.originURL + "lastsync"
                let read = await makeProber().freshnessRound(mirrors: [farm.pageMirror("days")],
                                                             settings: Self.freshness("lastsync", .unixTime, reference: .url(origin)),
                                                             onEvent: log.record)
                #expect(read.reference == FreshnessResult(syncedAt: farm.syncReference, url: origin))
                #expect(log.events.filter { if case .freshnessReference = $0 { true } else { false } }.count == 1)
                let judge = FreshnessJudge(configured: .url(origin), fetchedReference: read.reference?.syncedAt,
                                           syncTimes: read.results.values.compactMap(\.syncedAt), maxBehindSeconds: nil)
                #expect(judge.referenceSource == .origin)
                #expect(judge.verdict(farm.pageMirror("days"), measured: read.results["days"]).behindSeconds == Int64(2 * 86_400),
                        "measured against the origin, not against itself (the only mirror)")
            }
        }

        @Test func whatCannotBeReadSaysWhy() async throws {
            let config = FarmConfig(mirrors: [spec("ok", delay: 5), spec("busy", delay: 5, fault: .status(503)),
                                              spec("dead", fault: .refuse)], syncReference: Self.reference)
            try await Farm.with(config) { farm in
                let prober = makeProber()
                let missing = await prober.freshnessRound(mirrors: farm.pageMirrors, settings: Self.freshness("no-such-file", .unixTime),
                                                          onEvent: { _ in })
                #expect(missing.results["ok"]?.failure?.reason == "HTTP 404")
                #expect(missing.results["busy"]?.failure?.reason == "HTTP 503")
                #expect(missing.results["dead"]?.failure?.kind == .refused)
                let notATime = await prober.freshnessRound(mirrors: [farm.pageMirror("ok")],
                                                           settings: Self.freshness("files/README.txt", .unixTime), onEvent: { _ in })
                #expect(notATime.results["ok"]?.failure?.reason.contains("is not a unix time") == true,
                        "\(notATime.results["ok"]?.failure?.reason ?? "")")
                let noDate = await prober.freshnessRound(mirrors: [farm.pageMirror("ok")],
                                                         settings: Self.freshness("lastsync", .releaseDate), onEvent: { _ in })
                #expect(noDate.results["ok"]?.failure?.reason == "no Date: field")
                #expect(noDate.results.values.allSatisfy { $0.syncedAt == nil })
            }
        }
    }
}
