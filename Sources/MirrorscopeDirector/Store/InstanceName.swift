#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// This director's name among several: the `instance` label of its metrics and the store's
/// `updated_by`. The `instance` key when set; otherwise the host name and the primary listener's
/// port, known for certain only once it is bound (a config may ask for port 0).
final class InstanceName: Sendable {
    private let box: NIOLockedValueBox<String>

    init(configured: String?, port: Int) {
        box = NIOLockedValueBox(configured ?? Self.defaultName(port: port))
    }

    var value: String { box.withLockedValue { $0 } }

    /// Names the instance after the port it actually bound, unless the configuration named it.
    func bound(port: Int, configured: String?) {
        guard configured == nil else { return }
        box.withLockedValue { $0 = Self.defaultName(port: port) }
    }

    static func defaultName(port: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "localhost"
        return "\(host.isEmpty ? "localhost" : host):\(port)"
    }
}
