import Foundation
import FuqCore

/// A real IMAP server for one test: Dovecot 2.3 (`dovecot -F -c FILE`) with a config written
/// into a temp folder — its runtime and state folders, a passwd-file user, a maildir, and
/// listeners on free loopback ports for imap (STARTTLS) and imaps with a certificate from a
/// `TestCA`. No system setup; as root the mail is owned by Debian's `dovecot` user and the
/// login processes run as `dovenull` (both made by the package), else everything runs as the
/// current user.
final class Dovecot {
    static let user = "alex"
    let password: String
    let root: URL
    /// imap:// with STARTTLS (or without TLS at all, for `.withoutTLS`).
    let imapPort: Int
    /// imaps:// (0 for `.withoutTLS`).
    private(set) var imapsPort = 0
    private let process: Process
    private let mailOwner: (uid: uid_t, gid: gid_t)
    private var counter = 0

    enum Mode {
        /// STARTTLS on the imap port, TLS from the first byte on the imaps port.
        case tls(TestCA)
        /// No TLS anywhere (plaintext login allowed): a server fuq must refuse.
        case withoutTLS
    }

    var home: URL { root.appendingPathComponent("mail/\(Self.user)") }
    var maildir: URL { home.appendingPathComponent("Maildir") }
    var log: String { (try? String(contentsOf: root.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? "" }

    /// - Parameter folders: extra folders (name → special-use attribute or nil), created at login.
    init(_ mode: Mode, password: String = "pw-Tr0ub4dor&3-never-logged",
         folders: [(name: String, specialUse: String?)] = [("Sent", "\\Sent")]) throws {
        self.password = password
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dovecot-\(UUID().uuidString.prefix(8))")
        self.root = root
        for dir in ["run", "state", "mail"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        let asRoot = getuid() == 0
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let myGroup = String(cString: getgrgid(getgid())!.pointee.gr_name)
        if asRoot {
            guard let dovecot = getpwnam("dovecot"), getpwnam("dovenull") != nil else {
                throw SMTPSink.ServerStartError(problem: "the users dovecot and dovenull are missing; install dovecot-imapd (scripts/install-deps)")
            }
            mailOwner = (dovecot.pointee.pw_uid, dovecot.pointee.pw_gid)
        } else {
            mailOwner = (getuid(), getgid())
        }
        let home = root.appendingPathComponent("mail/\(Self.user)")
        for dir in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(at: home.appendingPathComponent("Maildir/\(dir)"), withIntermediateDirectories: true)
        }
        try "\(Self.user):{PLAIN}\(password):\(mailOwner.uid):\(mailOwner.gid)::\(home.path)::\n"
            .write(to: root.appendingPathComponent("users"), atomically: true, encoding: .utf8)
        Self.chownTree(root.appendingPathComponent("mail"), to: mailOwner)

        let mailboxes = folders.map { folder in
            "  mailbox \"\(folder.name)\" {\n    auto = create\n"
                + (folder.specialUse.map { "    special_use = \($0)\n" } ?? "") + "  }"
        }.joined(separator: "\n")
        let configFile = root.appendingPathComponent("dovecot.conf")
        var imapsPort = 0
        (process, imapPort) = try SMTPSink.start { port in
            imapsPort = (try? SMTPSink.freePort()) ?? port + 1
            var tlsSettings: String
            switch mode {
            case .tls(let ca):
                tlsSettings = """
                    ssl = yes
                    ssl_cert = <\(ca.certFile)
                    ssl_key = <\(ca.keyFile)
                    disable_plaintext_auth = yes
                    """
            case .withoutTLS:
                tlsSettings = "ssl = no\ndisable_plaintext_auth = no"
            }
            let imaps: String
            if case .tls = mode {
                imaps = "  inet_listener imaps {\n    address = 127.0.0.1\n    port = \(imapsPort)\n    ssl = yes\n  }"
            } else {
                imaps = "  inet_listener imaps {\n    port = 0\n  }"
            }
            let config = """
                protocols = imap
                listen = 127.0.0.1
                base_dir = \(root.path)/run
                state_dir = \(root.path)/state
                instance_name = fuq-test-\(root.lastPathComponent)
                log_path = \(root.path)/dovecot.log
                \(tlsSettings)
                auth_mechanisms = plain login
                default_internal_user = \(asRoot ? "dovecot" : me)
                default_login_user = \(asRoot ? "dovenull" : me)
                \(asRoot ? "" : "default_internal_group = \(myGroup)\nservice anvil {\n  chroot =\n}")
                first_valid_uid = 1
                mail_location = maildir:~/Maildir
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN \(root.path)/users
                }
                userdb {
                  driver = passwd-file
                  args = \(root.path)/users
                }
                service imap-login {
                \(asRoot ? "" : "  chroot =\n")  inet_listener imap {
                    address = 127.0.0.1
                    port = \(port)
                  }
                \(imaps)
                }
                namespace inbox {
                  inbox = yes
                  separator = /
                \(mailboxes)
                }

                """
            try? config.write(to: configFile, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
            process.arguments = ["-F", "-c", configFile.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        if case .tls = mode {
            self.imapsPort = imapsPort
            guard waitFor(timeout: 15, { SMTPSink.listening(imapsPort) }) else {
                kill(process.processIdentifier, SIGKILL)
                throw SMTPSink.ServerStartError(problem: "dovecot did not listen on the imaps port \(imapsPort)")
            }
        }
    }

    deinit {
        // The test runner starts children with SIGTERM blocked (see SMTPSink), and a clean stop
        // takes Dovecot a second or more. SIGKILL ends the master; its children exit as soon as
        // its pipe closes. Wait until the ports are closed, so nothing outlives the test.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let ports = [imapPort, imapsPort].filter { $0 != 0 }
        _ = waitFor(timeout: 5) { !ports.contains(where: SMTPSink.listening) }
        try? FileManager.default.removeItem(at: root)
    }

    func url(_ scheme: String = "imap", folder: String = "INBOX") -> String {
        "\(scheme)://127.0.0.1:\(scheme == "imaps" ? imapsPort : imapPort)/\(folder)"
    }

    /// The maildir folder of `folder` (Maildir++: ".Sent", ".[Gmail].All Mail"; a non-ASCII
    /// name in modified UTF-7, as Dovecot keeps it: ".&AMQ-rger.&ANw-nter").
    func directory(of folder: String) -> URL {
        folder == "INBOX" ? maildir : maildir.appendingPathComponent("." + ModifiedUTF7.encode(folder).replacingOccurrences(of: "/", with: "."))
    }

    /// Puts a message into `folder` as the user's mail client would have (unread unless `flags`
    /// say otherwise), received at `received`. Returns its file's base name.
    @discardableResult
    func deliver(_ message: String, to folder: String = "INBOX", flags: String = "", received: Date = Date()) throws -> String {
        counter += 1
        let dir = directory(of: folder)
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        if folder != "INBOX" { _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("maildirfolder").path, contents: Data()) }
        let base = "\(Int(received.timeIntervalSince1970)).M\(counter)P\(getpid()).fuqtest"
        let file = dir.appendingPathComponent("cur/\(base):2,\(flags)")
        let crlf = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        try Data(crlf.utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: received], ofItemAtPath: file.path)
        Self.chownTree(maildir, to: mailOwner)
        return base
    }

    /// The maildir flags (`S` seen, `R` replied, …) of the message delivered as `base`, read
    /// from its file name; nil when the file is gone.
    func flags(of base: String, in folder: String = "INBOX") -> String? {
        for sub in ["cur", "new"] {
            let dir = directory(of: folder).appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            if let name = names.first(where: { $0.hasPrefix(base) }) {
                return name.range(of: ":2,").map { String(name[$0.upperBound...]) } ?? ""
            }
        }
        return nil
    }

    /// Empties INBOX, as if the user had deleted everything in it (Dovecot notices at the next
    /// session: maildir is rescanned).
    func clear() {
        for sub in ["cur", "new"] {
            let dir = maildir.appendingPathComponent(sub)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
            }
        }
    }

    /// The messages in a folder's maildir, as text.
    func messages(in folder: String) -> [String] {
        ["cur", "new"].flatMap { sub -> [String] in
            let dir = directory(of: folder).appendingPathComponent(sub)
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().compactMap {
                try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)
            }
        }
    }

    private static func chownTree(_ url: URL, to owner: (uid: uid_t, gid: gid_t)) {
        guard getuid() == 0 else { return }
        chown(url.path, owner.uid, owner.gid)
        let items = FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String] ?? []
        for item in items { chown(url.appendingPathComponent(item).path, owner.uid, owner.gid) }
    }
}
