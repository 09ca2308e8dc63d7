import Dispatch
import Foundation
import MirrorscopeTerminal
import Synchronization

// Window size changes (SIGWINCH) must reach the terminal thread alone, so that its poll wakes and
// ncurses reports KEY_RESIZE at once. Block the signal here, before any other thread exists
// (threads inherit the mask; the terminal thread unblocks it), and keep the main thread out of
// top-level `await`: that would park it in libdispatch's sigsuspend with every signal open, and
// the kernel would deliver SIGWINCH to it instead.
SignalMask.blockWindowChangeInNewThreads()
let exitStatus = Mutex<Int32>(0)
let finished = DispatchSemaphore(value: 0)
Task.detached {
    let status = await CommandLineRunner.run(Array(CommandLine.arguments.dropFirst()))
    exitStatus.withLock { $0 = status }
    finished.signal()
}
finished.wait()
exit(exitStatus.withLock { $0 })
