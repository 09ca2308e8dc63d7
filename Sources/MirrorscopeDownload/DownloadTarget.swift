import MirrorscopeNetwork
import Foundation
import MirrorscopeCore

/// Where a saved file goes. The name comes from the network, so it must not leave the download
/// folder: no separators, no "..", no hidden names, no control characters; never overwrite.
/// Used by the terminal's `w` (MirrorscopeFetch) and by `mirrorscope get`.
public struct DownloadTarget: Sendable {
    public struct Refusal: Error, Sendable { public var message: String }

    public let path: String

    /// The plain file name a path ends in, or a refusal when it is not one.
    public static func safeName(_ path: String) throws(Refusal) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let name = last.removingPercentEncoding ?? last
        guard !name.isEmpty, name != ".", name != "..", !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"),
              !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), name.utf8.count <= 255 else {
            throw Refusal(message: "refusing to save \"\(TerminalText.sanitize(last, maxCharacters: 60))\": not a plain file name")
        }
        return name
    }

    public static func choose(path: String, folder: String) throws(Refusal) -> DownloadTarget {
        let name = try safeName(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Refusal(message: "download folder \(folder) does not exist")
        }
        let base = (folder as NSString).appendingPathComponent(name)
        var candidate = base
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = base + ".\(n)"
            n += 1
        }
        return DownloadTarget(path: candidate)
    }

    /// Streams the body to a temporary name beside the target, then renames it: an interrupted
    /// download never leaves a file that looks complete.
    public func write(_ body: HTTPAnswerBody) async throws -> Int {
        let partial = path + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw Refusal(message: "cannot write \(partial)")
        }
        var total = 0
        do {
            for try await chunk in body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                total += chunk.readableBytes
            }
            try handle.close()
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return total
    }
}
