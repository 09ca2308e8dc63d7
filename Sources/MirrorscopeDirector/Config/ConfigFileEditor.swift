#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TOMLKit

/// Writes admin changes back into the config file so they survive a restart.
///
/// The edit is made in the text, on the `[[real]]` table concerned, so the operator's comments
/// and layout stay: a new server is appended after the last `[[real]]` table, a deleted one's table
/// is removed, a patched key's line is replaced (or added). The result is parsed again and must
/// give exactly the intended configuration; when it does not (servers declared in an unusual
/// form), the whole document is re-serialised by TOMLKit instead, which loses comments. The new
/// text replaces the file atomically (a temporary file in the same directory, then `rename`), with
/// the original's permissions: a crash leaves the old file or the new one, never half of one.
enum ConfigFileEditor {
    /// `file` is where the text lives (relative paths in it are resolved from there, as they were
    /// for `expected`).
    static func edited(_ text: String, change: AdminChange, expected: DirectorConfig, file: String? = nil) throws -> String {
        if let edited = textEdit(text, change: change), (try? ConfigParser.parse(edited, file: file)) == expected {
            return edited
        }
        let reserialised = try reserialise(text, reals: expected.reals)
        guard (try? ConfigParser.parse(reserialised, file: file)) == expected else {
            throw AdminError(status: 500, "the config file could not be rewritten to match the change")
        }
        return reserialised
    }

    // MARK: editing the text

    private static func textEdit(_ text: String, change: AdminChange) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blocks = realBlocks(lines)
        switch change {
        case .add(let real):
            var block = ["[[real]]"] + keyLines(for: real)
            let insertAt: Int
            if let last = blocks.last {
                insertAt = contentEnd(lines, last)
                block.insert("", at: 0)
            } else {
                insertAt = lines.count - (lines.last == "" ? 1 : 0)
                if insertAt > 0 && !lines[insertAt - 1].trimmingCharacters(in: .whitespaces).isEmpty { block.insert("", at: 0) }
            }
            lines.insert(contentsOf: block, at: insertAt)
        case .patch(let id, let patch):
            guard let block = blocks.first(where: { blockID(lines, $0) == id }) else { return nil }
            // A nil value removes the key: "" clears a location or name, as it does in the running director.
            var changes: [(String, String?)] = []
            if let weight = patch.weight { changes.append(("weight", "\(weight)")) }
            if let drain = patch.drain { changes.append(("drain", "\(drain)")) }
            if let backup = patch.backup { changes.append(("backup", quoted(backup.description))) }
            if let location = patch.location { changes.append(("location", location.isEmpty ? nil : quoted(location))) }
            if let name = patch.name { changes.append(("name", name.isEmpty ? nil : quoted(name))) }
            var end = contentEnd(lines, block)
            for (key, value) in changes {
                let existing = (block.lowerBound + 1..<end).first(where: { lineKey(lines[$0]) == key })
                switch (existing, value) {
                case (let line?, let value?):
                    lines[line] = "\(key) = \(value)"
                case (let line?, nil):
                    lines.remove(at: line)
                    end -= 1
                case (nil, let value?):
                    lines.insert("\(key) = \(value)", at: end)
                    end += 1
                case (nil, nil):
                    break
                }
            }
        case .delete(let id):
            guard let block = blocks.first(where: { blockID(lines, $0) == id }) else { return nil }
            var lower = block.lowerBound
            // Take the blank line that separated it from what came before.
            if lower > 0 && lines[lower - 1].trimmingCharacters(in: .whitespaces).isEmpty { lower -= 1 }
            lines.removeSubrange(lower..<contentEnd(lines, block))
        }
        return lines.joined(separator: "\n")
    }

    /// Line ranges of the `[[real]]` tables: from the header to the next table header.
    private static func realBlocks(_ lines: [String]) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start: Int?
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("[") else { continue }
            if let s = start { blocks.append(s..<i) }
            start = trimmed.replacingOccurrences(of: " ", with: "").hasPrefix("[[real]]") ? i : nil
        }
        if let s = start { blocks.append(s..<lines.count) }
        return blocks
    }

    /// The end of a block's own lines: trailing blank and comment lines belong to what follows.
    private static func contentEnd(_ lines: [String], _ block: Range<Int>) -> Int {
        var end = block.upperBound
        while end > block.lowerBound + 1 {
            let trimmed = lines[end - 1].trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || trimmed.hasPrefix("#") else { break }
            end -= 1
        }
        return end
    }

    private static func blockID(_ lines: [String], _ block: Range<Int>) -> String? {
        for i in block.dropFirst() where lineKey(lines[i]) == "id" {
            guard let equals = lines[i].firstIndex(of: "=") else { continue }
            let value = lines[i][lines[i].index(after: equals)...].trimmingCharacters(in: .whitespaces)
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    private static func lineKey(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { return nil }
        return trimmed[..<equals].trimmingCharacters(in: .whitespaces)
    }

    private static func keyLines(for real: RealServerConfig) -> [String] {
        var lines = ["id = \(quoted(real.id))", "url = \(quoted(real.url))"]
        if let httpsURL = real.httpsURL { lines.append("https_url = \(quoted(httpsURL))") }
        lines.append("weight = \(real.weight)")
        if real.backup != .primary { lines.append("backup = \(quoted(real.backup.description))") }
        if let location = real.location { lines.append("location = \(quoted(location))") }
        if let name = real.name { lines.append("name = \(quoted(name))") }
        if real.drain { lines.append("drain = true") }
        return lines
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    // MARK: re-serialising

    private static func reserialise(_ text: String, reals: [RealServerConfig]) throws -> String {
        let table = try TOMLTable(string: text)
        let array = TOMLArray()
        for real in reals {
            let entry = TOMLTable()
            entry["id"] = real.id
            entry["url"] = real.url
            if let httpsURL = real.httpsURL { entry["https_url"] = httpsURL }
            entry["weight"] = real.weight
            if real.backup != .primary { entry["backup"] = real.backup.description }
            if let location = real.location { entry["location"] = location }
            if let name = real.name { entry["name"] = name }
            if real.drain { entry["drain"] = true }
            array.append(entry)
        }
        table["real"] = array
        return "# Rewritten by mirrorscope serve (admin API); comments were not kept.\n" + table.convert(to: .toml)
    }

    // MARK: writing

    static func writeAtomically(_ text: String, to path: String) throws {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { link in
            link.hasPrefix("/") ? link : (path as NSString).deletingLastPathComponent + "/" + link
        } ?? path
        var info = stat()
        let mode = stat(target, &info) == 0 ? info.st_mode & 0o7777 : 0o600
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((target as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AdminError(status: 500, "cannot write next to the config file: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += n
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temporary, target) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw AdminError(status: 500, "cannot write the config file: \(String(cString: strerror(failure)))")
        }
    }
}
