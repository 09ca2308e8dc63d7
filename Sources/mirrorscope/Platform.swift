#if canImport(Glibc)
import Glibc
#endif
import MirrorscopeCore

/// Reads who we are from the system once (uname, host name) for the client information.
enum Platform {
    static func clientInfo(policy: ClientInfo.Policy) -> ClientInfo {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostname = String(decoding: host.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return ClientInfo(version: mirrorscopeVersion, platform: field(name.sysname), platformVersion: field(name.release),
                          architecture: field(name.machine), hostname: hostname, policy: policy)
    }
}
