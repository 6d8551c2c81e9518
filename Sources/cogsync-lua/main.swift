import Foundation

exit(Interpreter.main(CommandLine.arguments))
