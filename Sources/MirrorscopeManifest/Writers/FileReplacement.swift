#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file so that a reader (pacman, apt) only ever sees the old file or the whole new
/// one, and a failure at any step leaves the old one as it was:
///
/// 1. the new text goes to a temporary file in the target's own folder (a rename is atomic only
///    within one file system), with the old file's mode and owner (0644 less the umask for a new
///    file), and is fsynced;
/// 2. the old file is kept as `FILE.bak` (a hard link: the same bytes, mode and owner; a copy
///    where the file system has no hard links), replacing an earlier `.bak` file;
/// 3. the temporary file is renamed over the target, and the folder is fsynced so the rename
///    survives a crash.
///
/// A target that is a symbolic link is followed: the file it names is replaced, the link stays.
public enum FileReplacement {
    public struct Outcome: Sendable, Equatable {
        /// The file written (the link's target when `path` was a symbolic link).
        public var path: String
        /// Where the previous file was kept; nil when there was none.
        public var backup: String?
    }

    public static func replace(_ path: String, with text: String) throws(ListFileError) -> Outcome {
        guard !path.isEmpty else { throw ListFileError("no file name given") }
        let target = resolved(path)
        var old = stat()
        let exists = stat(target, &old) == 0
        if exists, (old.st_mode & S_IFMT) == S_IFDIR { throw ListFileError("\(path) is a folder, not a file") }
        if exists, (old.st_mode & S_IFMT) != S_IFREG { throw ListFileError("\(path) is not a regular file; not replacing it") }
        let folder = Self.folder(of: target)
        var folderStat = stat()
        guard stat(folder, &folderStat) == 0, (folderStat.st_mode & S_IFMT) == S_IFDIR else {
            throw ListFileError("cannot write \(path): no such folder \(folder)")
        }
        let backup = target + ".bak"
        var backupStat = stat()
        if exists, lstat(backup, &backupStat) == 0, (backupStat.st_mode & S_IFMT) == S_IFDIR {
            throw ListFileError("cannot keep the previous file: \(backup) is a folder; \(path) left as it was")
        }

        // 1. The temporary file, complete and on disk.
        var template = Array((folder + "/." + name(of: target) + ".mirrorscope-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ListFileError("cannot write \(path): \(reason(errno)) (in \(folder))") }
        let temporary = String(cString: template)
        var done = false
        defer {
            if !done { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try fill(fd, text: text, mode: exists ? old.st_mode & 0o7777 : 0o666 & ~currentUmask(),
                     owner: exists ? (old.st_uid, old.st_gid) : nil, path: path)
        }

        // 2. The previous file, kept.
        if exists {
            if lstat(backup, &backupStat) == 0, unlink(backup) != 0 {
                throw ListFileError("cannot replace the old \(backup): \(reason(errno)); \(path) left as it was")
            }
            if link(target, backup) != 0 {
                try copyFile(target, to: backup, mode: old.st_mode & 0o7777, path: path)
            }
        }

        // 3. The switch, made durable.
        guard rename(temporary, target) == 0 else {
            throw ListFileError("cannot replace \(path): \(reason(errno)); left as it was")
        }
        done = true
        let dir = open(folder, O_RDONLY | O_DIRECTORY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
        return Outcome(path: target, backup: exists ? backup : nil)
    }

    /// The temporary file's bytes, mode and owner, on disk.
    static func fill(_ fd: Int32, text: String, mode: mode_t, owner: (uid_t, gid_t)?, path: String) throws(ListFileError) {
        try writeAll(fd, Array(text.utf8), path: path)
        guard fchmod(fd, mode) == 0 else { throw ListFileError("cannot set the mode of \(path): \(reason(errno))") }
        if let (uid, gid) = owner, uid != geteuid() || gid != getegid() {
            guard fchown(fd, uid, gid) == 0 else {
                throw ListFileError("cannot keep the owner of \(path) (\(uid):\(gid)): \(reason(errno)); left as it was")
            }
        }
        guard fsync(fd) == 0 else { throw ListFileError("cannot write \(path): \(reason(errno))") }
    }

    /// The path with a final symbolic link followed (relative links against its folder).
    static func resolved(_ path: String) -> String {
        var current = path
        for _ in 0..<16 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : folder(of: current) + "/" + link
        }
        return current
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(ListFileError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw ListFileError("cannot write \(path): \(reason(errno))") }
            offset += n
        }
    }

    /// The backup where no hard link can be made: a copy, fsynced.
    static func copyFile(_ source: String, to destination: String, mode: mode_t, path: String) throws(ListFileError) {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw ListFileError("cannot keep the previous file: \(reason(errno)); \(path) left as it was") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard output >= 0 else { throw ListFileError("cannot keep the previous file as \(destination): \(reason(errno)); \(path) left as it was") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = read(input, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ListFileError("cannot keep the previous file: \(reason(errno)); \(path) left as it was") }
            if n == 0 { break }
            try writeAll(output, Array(buffer[0..<n]), path: destination)
        }
        _ = fsync(output)
    }

    /// The process's umask, read rather than set (setting it, even back, races with other
    /// threads creating files); 022 where /proc does not say.
    static func currentUmask() -> mode_t {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0o022 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return 0o022 }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
              let mask = mode_t(line.dropFirst(6).trimmed(), radix: 8) else { return 0o022 }
        return mask
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "read-only file system"
        case ENOSPC: return "no space left on the device"
        case EISDIR: return "it is a folder"
        default: return String(cString: strerror(code))
        }
    }
}
