import Foundation

/// Text snapshots stored beside the test file in `__Snapshots__/NAME.txt`.
/// `RECORD_SNAPSHOTS=1 swift test` writes them; otherwise a missing or different snapshot is a
/// failure whose message shows the first differing lines.
public enum SnapshotFile {
    public static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// nil when `actual` matches the stored snapshot (or was just recorded); else what differs.
    public static func verify(_ actual: String, named name: String, testFile: String = #filePath) -> String? {
        let folder = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        let file = folder.appendingPathComponent(name + ".txt")
        if recording {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do { try actual.write(to: file, atomically: true, encoding: .utf8) } catch { return "cannot record \(file.path): \(error)" }
            return nil
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            return "no snapshot \(file.path); record it with RECORD_SNAPSHOTS=1 and review it. Actual:\n\(actual)"
        }
        if expected == actual { return nil }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var report = ["snapshot \(name) differs (re-record with RECORD_SNAPSHOTS=1 if the change is intended):"]
        for i in 0..<max(a.count, b.count) where report.count < 24 {
            let x = i < a.count ? String(a[i]) : "<none>"
            let y = i < b.count ? String(b[i]) : "<none>"
            if x != y { report.append("line \(i + 1)\n  expected: \(x)\n  actual:   \(y)") }
        }
        return report.joined(separator: "\n")
    }
}
