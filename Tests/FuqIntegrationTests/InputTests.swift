import Foundation
import Testing

/// What fuq reads from a person — standard input, the interview file, templates, an edited
/// note — is read up to 1 MiB and no further, and a file that is not a file says what it is.
@Suite("Input: bounded, and named for what it is")
struct InputTests {
    /// Runs `script` under /bin/sh in the sandbox, where `fuq` is the binary killed after 30 s
    /// (exit 137), so a fuq that reads forever fails the test instead of hanging it.
    static func shell(_ s: FuqSandbox, _ script: String) throws -> FuqSandbox.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "fuq() { timeout -s KILL 30 \"$FUQ\" \"$@\"; }\n" + script]
        process.environment = s.environment.merging(["FUQ": FuqSandbox.binary.path]) { $1 }
        process.currentDirectoryURL = s.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test("`yes | fuq enqueue -` (and check -) stops at 1 MiB with exit 65, memory bounded, nothing queued", arguments: ["enqueue", "check"])
    func endlessStandardInput(command: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        // 400 MB of address space is more than fuq needs, and far less than what reading
        // everything would take (3 GB in 6 s).
        let r = try Self.shell(s, "ulimit -v 400000; yes | fuq \(command) -")
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("standard input (the interview file) is larger than 1 MiB"), "\(r.stderr)")
        #expect(try s.queued().isEmpty)
    }

    @Test("an interview file, a template and an edited note over 1 MiB are refused, naming the file and the limit")
    func largeFiles() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let big = FuqSandbox.interview() + "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let file = try s.file("big.yaml", big)
        let r = try s.run(["enqueue", file])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("the interview file \(file) is larger than 1 MiB"), "\(r.stderr)")

        let templates = s.root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try (String(repeating: "Dear {{interviewer.greeting}},\n", count: 40_000)).write(to: templates.appendingPathComponent("thank-you.mustache"), atomically: true, encoding: .utf8)
        try s.writeConfig(FuqSandbox.standardConfig + "\ntemplates:\n  dir: \(templates.path)\n")
        let t = try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())])
        #expect(t.status == 65, "\(t.stderr)")
        #expect(t.stderr.contains("the template \(templates.path)/thank-you.mustache is larger than 1 MiB"), "\(t.stderr)")
        #expect(try s.queued().isEmpty)

        try s.writeConfig()
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        // An "editor" that appends 2 MiB to the note.
        let editor = try s.file("editor.sh", "#!/bin/sh\nyes x | head -c 2097152 >> \"$1\"\n")
        chmod(editor, 0o755)
        s.environment["EDITOR"] = editor
        let e = try Self.shell(s, "fuq edit \(id)")
        #expect(e.status == 65, "\(e.stderr)")
        #expect(e.stderr.contains("the edited note") && e.stderr.contains("is larger than 1 MiB"), "\(e.stderr)")
    }

    @Test("/dev/null, a named pipe, a symbolic link loop as the interview file: each named for what it is, exit 66")
    func notFiles() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let fifo = s.root.appendingPathComponent("pipe.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let loop = s.root.appendingPathComponent("loop.yaml").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        for (file, says) in [("/dev/null", "it is a device (the empty device /dev/null), not a file"), (fifo, "it is a named pipe (FIFO), not a file"),
                             (loop, "it is a symbolic link that loops back on itself")] {
            let r = try Self.shell(s, "fuq enqueue \(file)")
            #expect(r.status == 66, "\(file): \(r.stderr)")
            #expect(r.stderr.contains("cannot read the interview file \(file): \(says)"), "\(r.stderr)")
            #expect(!r.stderr.contains("UTF-8") && !r.stderr.contains("no such file"), "\(r.stderr)")
        }
    }
}
