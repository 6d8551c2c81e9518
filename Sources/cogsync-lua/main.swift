#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

exit(Interpreter.main(CommandLine.arguments))
