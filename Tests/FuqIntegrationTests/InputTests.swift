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
        // Files, not pipes: a child fuq left behind (an editor, before the fix) must not keep
        // the test waiting for the end of its output.
        let name = UUID().uuidString.prefix(8)
        let outURL = s.root.appendingPathComponent("sh-\(name).out"), errURL = s.root.appendingPathComponent("sh-\(name).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                     stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
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

    // MARK: - fuq edit without a terminal, and stopped while the editor is open

    /// A sandbox with one queued note, its temporary files in the sandbox's own folder.
    static func queued() throws -> (FuqSandbox, String, URL) {
        let s = try FuqSandbox()
        try s.writeConfig()
        let tmp = s.root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        s.environment["TMPDIR"] = tmp.path
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())]).status == 0)
        // Dana Rivera's note (the texts below greet her): the panel's order by due time varies.
        let dana = try s.queued().first { ($0["to"] as? String)?.hasPrefix("dana") == true }
        return (s, try #require(dana?["id"] as? String), tmp)
    }

    @Test("fuq edit with no terminal and no VISUAL/EDITOR refuses at once (exit 64), saying how to pass the text; --file FILE and --file - store it")
    func editWithoutTerminal() throws {
        let (s, id, tmp) = try Self.queued()
        let r = try Self.shell(s, "fuq edit \(id) < /dev/null")
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("there is no terminal") && r.stderr.contains("--file FILE") && r.stderr.contains("--file -"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "no draft left behind")

        let shown = try s.run(["show", id]).stdout
        let subject = try #require(shown.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("Subject: ") })
        let text = "\(subject)\n\nDear Ms. Rivera,\n\nThank you for the conversation about moving the build farm to Kubernetes at Acme Robotics {{interview.when}}.\n\nBest regards,\nAlex Kim\n+1 555 0100\n"
        let fromFile = try s.run(["edit", id, "--file", try s.file("new.txt", text)])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout.contains("Stored \(id)"), "\(fromFile.stdout)")
        #expect(try s.run(["show", id]).stdout.contains("Thank you for the conversation about moving the build farm"))

        let piped = try s.run(["edit", id, "--file", "-"], stdin: text.replacingOccurrences(of: "Best regards", with: "Kind regards"))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try s.run(["show", id]).stdout.contains("Kind regards"))
        #expect(try s.run(["edit", id, "--file", "-", "--to", "x@acme.example"]).status == 64)
    }

    @Test("fuq edit stopped while the editor is open (SIGTERM, SIGHUP; Ctrl-C to the whole group): the editor ends, the draft folder is removed, nothing changes",
          arguments: [SIGTERM, SIGHUP, SIGINT])
    func editStopped(sig: Int32) throws {
        let (s, id, tmp) = try Self.queued()
        let before = try s.run(["show", id]).stdout
        let pidFile = s.root.appendingPathComponent("editor.pid").path
        let editor = try s.file("editor.sh", "#!/bin/sh\necho $$ > \(pidFile)\nexec sleep 120\n")
        chmod(editor, 0o755)
        let process = Process()
        // Foundation starts fuq in a process group of its own: Ctrl-C can be sent to it and its editor alone.
        process.executableURL = FuqSandbox.binary
        process.arguments = ["edit", id]
        process.environment = s.environment.merging(["EDITOR": editor]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The file appears before the editor's shell has written its pid into it: wait for the pid.
        #expect(waitFor(timeout: 10) { pid_t(((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) != nil })
        let drafts = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        #expect(drafts.count == 1 && drafts.first?.hasPrefix("fuq-edit-\(id)-") == true, "\(drafts)")
        let editorPID = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))

        if sig == SIGINT {
            kill(-process.processIdentifier, SIGINT)  // the terminal's Ctrl-C: the whole group
        } else {
            kill(process.processIdentifier, sig)  // fuq alone
        }
        #expect(waitFor(timeout: 10) { !process.isRunning }, "fuq did not stop")
        #expect(process.terminationStatus == 128 + sig)
        #expect(kill(editorPID, 0) != 0, "the editor is not left behind")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "the draft folder is removed")
        #expect(try s.run(["show", id]).stdout == before)
        if editorPID > 0 { kill(editorPID, SIGKILL) }
    }
}
