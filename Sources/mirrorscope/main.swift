import Foundation
import MirrorscopeTerminal

// Before any other thread exists: window-size signals must reach only the terminal thread
// (threads inherit this mask; the terminal thread unblocks it).
SignalMask.blockWindowChangeInNewThreads()
let status = await CommandLineRunner.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
