import Foundation
import Testing

/// Messages a person can act on: what is wrong, where, and what to do next.
@Suite("Messages that say what to do")
struct MessageTests {
    @Test("a mistyped command: did you mean, exit 64, no usage dump", arguments: [
        (["statsu"], "fuq: unknown command 'statsu'. Did you mean 'status'?"),
        (["shwo", "ab12"], "Did you mean 'show'?"),
        (["sendnow", "ab12"], "Did you mean 'send-now'?"),
        (["xyzzy"], "fuq: unknown command 'xyzzy'."),
        (["acme.yaml"], "fuq enqueue acme.yaml"),
        (["help", "nosuch"], "there is no command 'nosuch' to show help for"),
        (["help", "statsu"], "Did you mean 'fuq help status'?"),
    ])
    func unknownCommand(_ args: [String], _ message: String) throws {
        let s = try FuqSandbox()
        let result = try s.run(args)
        #expect(result.status == 64, "\(args): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("`fuq --help` lists the commands") || args == ["acme.yaml"])
        #expect(!result.stderr.contains("USAGE") && !result.stderr.contains("Usage:") && result.stdout.isEmpty)
        if args == ["xyzzy"] { #expect(!result.stderr.contains("Did you mean")) }
    }

    @Test("help, --help, --version and completion scripts still work")
    func helpStillWorks() throws {
        let s = try FuqSandbox()
        for args in [["--help"], ["help"], ["help", "status"], ["status", "--help"], ["--version"], ["--generate-completion-script", "bash"]] {
            let result = try s.run(args)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(args)")
        }
        #expect(try s.run(["help", "status"]).stdout.contains("--interview"))
        #expect(try s.run(["--help"]).stdout.contains("send-now"))
    }
}
