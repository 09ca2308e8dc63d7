#if canImport(Glibc)
import Glibc
#endif

/// Window size changes (SIGWINCH) must reach the terminal thread, so that its `poll` is interrupted
/// and `get_wch` reports KEY_RESIZE at once. The program blocks the signal before any other thread
/// exists (threads inherit the mask) and only the terminal thread unblocks it.
public enum SignalMask {
    public static func blockWindowChangeInNewThreads() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGWINCH)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func unblockWindowChange() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
