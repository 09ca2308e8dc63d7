/// What the store holds at one moment: its real servers in order, and the version that every
/// change made through a director raises by one. A state read before a change the director
/// already runs has a lower version and is not applied over it.
struct StoreState: Sendable, Hashable {
    var version: Int64
    var reals: [RealServerConfig]
}
