import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

/// The probe script's `probe.throughput` and `probe.freshness` (docs/probe-script.md): read,
/// checked, clamped, and warned about; unknown keys still ignored.
@Suite("probe script: throughput and freshness keys")
struct MeasurementKeysTests {
    func parse(_ probe: String) throws -> ProbeScriptParser.Result {
        let json = #"{"version": 1, "mirrors": [{"url": "https://de.example.org/pub/"}], "probe": "# + probe + "}"
        return try ProbeScriptParser.parse(Data(json.utf8), baseURL: nil)
    }

    @Test func theDocumentedExampleIsReadAsWritten() throws {
        let r = try parse("""
            {"path": "probe.bin", "samples": 3,
             "throughput": {"path": "big.bin", "top": 5, "max_bytes": 4194304, "max_ms": 3000},
             "freshness": {"path": "lastsync", "format": "unix-time", "reference": 1764590000}}
            """)
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.probe.throughput.path == "big.bin")
        #expect(r.probe.throughput.top == 5)
        #expect(r.probe.throughput.maxBytes == 4_194_304)
        #expect(r.probe.throughput.maxMs == 3000)
        #expect(r.probe.throughput.concurrency == 2, "not a script key: the default, 2 at once")
        #expect(r.probe.throughput.origin == "the probe script")
        #expect(r.probe.freshness == FreshnessSettings(path: "lastsync", format: .unixTime, reference: .time(1_764_590_000),
                                                       origin: "the probe script"))
    }

    @Test func aReferenceMayBeTheOriginsURLOrAbsent() throws {
        let url = try parse(#"{"freshness": {"path": "dists/stable/Release", "format": "release-date", "reference": "https://ftp-master.example.org/debian/dists/stable/Release"}}"#)
        #expect(url.probe.freshness?.reference == .url("https://ftp-master.example.org/debian/dists/stable/Release"))
        let absent = try parse(#"{"freshness": {"path": "lastsync", "format": "unix-time"}}"#)
        #expect(absent.probe.freshness?.reference == .newest)
        #expect(absent.warnings.isEmpty)
    }

    @Test func withoutTheKeysThereAreNoPhases() throws {
        let r = try parse(#"{"path": "probe.bin"}"#)
        #expect(r.probe.freshness == nil)
        #expect(r.probe.throughput == ThroughputSettings())
        #expect(r.probe.throughput.skipReason([Mirror(id: "a", url: "https://a.example/")])?.contains("no sample object") == true)
    }

    @Test func unknownKeysInsideAreIgnored() throws {
        let r = try parse(#"{"throughput": {"path": "big.bin", "parallel": 9}, "freshness": {"path": "lastsync", "format": "unix-time", "tz": "UTC"}}"#)
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.probe.throughput.path == "big.bin")
        #expect(r.probe.freshness?.path == "lastsync")
    }

    @Test func rangesAreClampedWithWarnings() throws {
        let r = try parse(#"{"throughput": {"path": "big.bin", "top": 99, "max_bytes": 10, "max_ms": 900000}}"#)
        #expect(r.probe.throughput.top == 50)
        #expect(r.probe.throughput.maxBytes == 64 * 1024)
        #expect(r.probe.throughput.maxMs == 60_000)
        #expect(r.warnings.contains("probe throughput.top 99 is outside 0...50; using 50"))
        #expect(r.warnings.contains { $0.hasPrefix("probe throughput.max_bytes 10 is outside") })
        #expect(r.warnings.contains { $0.hasPrefix("probe throughput.max_ms 900000 is outside") })
        #expect(try parse(#"{"throughput": {"path": "big.bin", "top": 0}}"#).probe.throughput.skipReason([]) == "turned off (--top 0)")
    }

    @Test func pathsThatLeaveTheMirrorAreRefused() throws {
        let r = try parse(#"{"throughput": {"path": "../../etc/passwd"}, "freshness": {"path": "http://evil.example/lastsync", "format": "unix-time"}}"#)
        #expect(r.probe.throughput.path == nil)
        #expect(r.probe.freshness == nil)
        #expect(r.warnings.contains { $0.contains("throughput.path") && $0.contains("leaves the mirror") })
        #expect(r.warnings.contains { $0.contains("freshness.path") && $0.contains("leaves the mirror") })
    }

    @Test func badValuesAreWarnedAboutAndLeftOut() throws {
        let r = try parse("""
            {"throughput": "big.bin",
             "freshness": {"path": "lastsync", "format": "unix-time", "reference": true}}
            """)
        #expect(r.warnings.contains("probe throughput must be an object; ignored"))
        #expect(r.warnings.contains { $0.contains("freshness.reference must be a unix time or a URL") })
        #expect(r.probe.freshness?.reference == .newest)

        let numbers = try parse(#"{"throughput": {"path": "big.bin", "max_bytes": "4 MiB"}, "freshness": {"path": "lastsync", "format": "unix-time", "reference": 1764590000000}}"#)
        #expect(numbers.warnings.contains("probe throughput.max_bytes must be a whole number; using the default"))
        #expect(numbers.probe.throughput.maxBytes == ThroughputSettings.defaultMaxBytes)
        #expect(numbers.warnings.contains { $0.contains("1764590000000 is not a plausible unix time") }, "milliseconds are no unix time")

        let format = try parse(#"{"freshness": {"path": "lastsync", "format": "iso-8601"}}"#)
        #expect(format.probe.freshness == nil)
        #expect(format.warnings.contains { $0.contains("\"iso-8601\" is not one of unix-time, last-modified, release-date") })

        let url = try parse(#"{"freshness": {"path": "lastsync", "format": "unix-time", "reference": "ftp://origin.example/lastsync"}}"#)
        #expect(url.probe.freshness?.reference == .newest)
        #expect(url.warnings.contains { $0.contains("is not an http(s) URL") })
    }

    @Test func aMissingFormatIsTheOneThePathsNameSuggests() throws {
        #expect(try parse(#"{"freshness": {"path": "lastsync"}}"#).probe.freshness?.format == .unixTime)
        #expect(try parse(#"{"freshness": {"path": "dists/bookworm/Release"}}"#).probe.freshness?.format == .releaseDate)
        #expect(try parse(#"{"freshness": {"path": "repodata/repomd.xml"}}"#).probe.freshness?.format == .lastModified)
    }

    /// What the farm and the director's mirror page write is what the client reads.
    @Test func theModelWritesTheKeysItReads() throws {
        let script = ProbeScript(mirrors: [.init(url: "https://a.example/")],
                                 probe: .init(path: "probe.bin",
                                              throughput: .init(path: "big.bin", top: 3, maxBytes: 1 << 20, maxMs: 2000),
                                              freshness: .init(path: "lastsync", format: "unix-time", reference: .url("https://origin.example/lastsync"))))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(script), as: UTF8.self)
        #expect(json.contains(#""throughput":{"max_bytes":1048576,"max_ms":2000,"path":"big.bin","top":3}"#), "\(json)")
        #expect(json.contains(#""freshness":{"format":"unix-time","path":"lastsync","reference":"https:\/\/origin.example\/lastsync"}"#), "\(json)")
        let back = try ProbeScriptParser.parse(Data(json.utf8), baseURL: nil)
        #expect(back.probe.throughput.top == 3)
        #expect(back.probe.freshness?.reference == .url("https://origin.example/lastsync"))
    }
}
