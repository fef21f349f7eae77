import Foundation
import Testing
@testable import FuqCore

/// A folder fuq cannot write to: a read-only bind mount when the tests run as root (root
/// ignores permission bits), else a folder with mode 0555.
final class ReadOnlyFolder {
    let source: URL
    let path: String
    private let mounted: Bool

    /// - Parameter setUp: fills the folder before it becomes read-only.
    init(_ setUp: (URL) throws -> Void = { _ in }) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-ro-\(UUID().uuidString.prefix(8))")
        source = base.appendingPathComponent("src")
        let target = base.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try setUp(source)
        if getuid() == 0 {
            let bind = Process()
            bind.executableURL = URL(fileURLWithPath: "/bin/sh")
            bind.arguments = ["-c", "mount --bind \"$1\" \"$2\" && mount -o remount,ro,bind \"$2\"", "sh", source.path, target.path]
            try bind.run()
            bind.waitUntilExit()
            mounted = bind.terminationStatus == 0
            path = mounted ? target.path : source.path
        } else {
            mounted = false
            path = source.path
        }
        if !mounted { chmod(path, 0o555) }
    }

    deinit {
        if mounted {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [path]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        chmod(source.path, 0o755)
        try? FileManager.default.removeItem(at: source.deletingLastPathComponent())
    }

    /// False when neither way made it read-only (root without mount rights).
    var isReadOnly: Bool { access(path, W_OK) != 0 }
}

@Suite("A folder fuq cannot write to: said plainly, naming the folder", .serialized)
struct ReadOnlyFolderTests {
    @Test("fuq init: the folder is not writable, which one, and what to do")
    func configFolder() throws {
        let folder = try ReadOnlyFolder()
        try #require(folder.isReadOnly)
        let file = folder.path + "/config.yaml"
        let error = #expect(throws: ConfigWriteError.self) { try ConfigFileWriter.write("sender:\n  name: Alex\n", to: file, replacing: false) }
        let text = error?.errorDescription ?? ""
        #expect(text.contains("the folder \(folder.path) is not writable") && text.contains("--config"), "\(text)")
        let nested = #expect(throws: ConfigWriteError.self) { try ConfigFileWriter.write("x: 1\n", to: folder.path + "/fuq/config.yaml", replacing: false) }
        #expect(nested?.errorDescription?.contains("the folder \(folder.path) is not writable") == true, "\(nested?.errorDescription ?? "")")
    }

    @Test("check --learn: the personal dictionary's folder is not writable, said so (not NSCocoaErrorDomain 513)")
    func learn() throws {
        let folder = try ReadOnlyFolder { try "# words\nKubernetes\n".write(to: $0.appendingPathComponent("words"), atomically: true, encoding: .utf8) }
        try #require(folder.isReadOnly)
        let error = #expect(throws: NoteProofing.LearnError.self) { try NoteProofing.learn("Okafor", path: folder.path + "/words") }
        let text = error?.errorDescription ?? ""
        #expect(text.contains("its folder \(folder.path) is not writable") && !text.contains("NSCocoaErrorDomain"), "\(text)")
        #expect(try NoteProofing.learn("Kubernetes", path: folder.path + "/words") == false, "a word already there needs no write")
    }

    @Test("a queue in a read-only folder: a command that writes says the folder, not 'attempt to write a readonly database'; a read says why it cannot, and what to do")
    func queue() throws {
        let folder = try ReadOnlyFolder { source in
            let plan = try samplePlan()
            let store = try QueueStore(path: source.appendingPathComponent("queue.sqlite").path)
            try store.enqueue(plan.interview, messages: plan.messages)
        }
        try #require(folder.isReadOnly)
        let path = folder.path + "/queue.sqlite"
        // Closed cleanly, the queue has no -shm file, and SQLite cannot make one there.
        let readError = #expect(throws: QueueError.self) { try QueueStore(path: path, readOnly: true) }
        let readText = readError?.errorDescription ?? ""
        #expect(readText.contains("its folder \(folder.path) is read-only") && readText.contains("copy the queue"), "\(readText)")
        let error = #expect(throws: QueueError.self) { try QueueStore(path: path) }
        let text = error?.errorDescription ?? ""
        #expect(text.contains("read-only file system") || text.contains("folder \(folder.path) is not writable"), "\(text)")
        #expect(!text.contains("attempt to write"), "\(text)")
    }
}
