/// What only the user interface can do for an effect: ring the bell, end its loop.
///
/// The effect runtime receives every `Effect` (one `switch`, in `EffectRunner.perform`) and calls
/// these for the two effects that belong to the interface. The interface calls `perform` on its
/// own thread and these calls come back on that thread before `perform` returns, so an ncurses
/// backend may touch the terminal in them (GUIDE §2: one thread owns every curses call).
public protocol InterfaceActions: AnyObject {
    func ringBell()
    /// The session ends: the interface stops its loop; `chosenURL` is what the program prints
    /// (nil: the user quit without choosing).
    func endSession(chosenURL: String?)
}
