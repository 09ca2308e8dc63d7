import NIOCore
import NIOPosix

extension Farm {
    /// Runs `body` with a started farm and shuts the farm down however `body` ends, waiting for
    /// the shutdown: the farm's ports are closed when this returns, so the next test never meets
    /// them (a shutdown left to a detached task may still be running then).
    public static func with<T>(_ config: FarmConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               _ body: (Farm) async throws -> T) async throws -> T {
        let farm = try await start(config, group: group)
        let result: T
        do {
            result = try await body(farm)
        } catch {
            try? await farm.shutdown()
            throw error
        }
        try await farm.shutdown()
        return result
    }
}
