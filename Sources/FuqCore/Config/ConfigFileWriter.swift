import Foundation

/// Writes a config file in one step: a temporary file in the same folder (mode 0600, synced),
/// then renamed over the old one (`replacing`) or hard-linked to the name, which fails if a
/// file appeared there meanwhile. Signals are held while it runs, so Ctrl-C cannot leave a
/// temporary file behind. A path that is a symbolic link (dotfiles) is written through.
public enum ConfigFileWriter {
    public static func write(_ text: String, to path: String, replacing: Bool) throws {
        var target = path
        if replacing, let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            target = resolved.hasPrefix("/") ? resolved : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(resolved)
        }
        let folder = (target as NSString).deletingLastPathComponent
        try makeFolder(folder)

        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        var template = Array((folder + "/.config.yaml.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM {
                throw ConfigWriteError.folderNotWritable(folder: folder, file: target, reason: reason(code))
            }
            throw ConfigWriteError.cannotWrite(path: folder, reason: reason(code))
        }
        let temporary = String(cString: template)
        var placed = false
        defer { if !placed { unlink(temporary) } }

        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let code = errno
                close(fd)
                throw ConfigWriteError.cannotWrite(path: temporary, reason: reason(code))
            }
            offset += n
        }
        guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw ConfigWriteError.cannotWrite(path: temporary, reason: reason(code))
        }
        close(fd)

        if replacing {
            guard rename(temporary, target) == 0 else { throw ConfigWriteError.cannotWrite(path: target, reason: reason(errno)) }
        } else if link(temporary, target) != 0 {
            let code = errno
            if code == EEXIST { throw ConfigWriteError.exists(path: target) }
            // A file system without hard links: check, then rename (a tiny window remains).
            guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP, !FileManager.default.fileExists(atPath: target),
                  rename(temporary, target) == 0
            else { throw ConfigWriteError.cannotWrite(path: target, reason: reason(code)) }
        } else {
            unlink(temporary)
        }
        placed = true
        let dir = open(folder, O_RDONLY | O_DIRECTORY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// `mkdir -p` with mode 0700 for each folder it creates (the config may name private paths).
    static func makeFolder(_ folder: String) throws {
        var info = stat()
        if stat(folder, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            throw ConfigWriteError.cannotWrite(path: folder, reason: "a file of that name is in the way of the folder")
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != folder { try makeFolder(parent) }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM {
                throw ConfigWriteError.folderNotWritable(folder: parent.isEmpty ? "." : parent, file: folder, reason: reason(code))
            }
            throw ConfigWriteError.cannotWrite(path: folder, reason: reason(code))
        }
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Why a config file was not written. Nothing is left behind in either case.
public enum ConfigWriteError: LocalizedError, Equatable {
    /// The file is there already (or appeared while the answers were being typed).
    case exists(path: String)
    /// A folder cannot be made, or the file cannot be created or written there.
    case cannotWrite(path: String, reason: String)
    /// `folder` is not writable (permission, read-only file system), so `file` cannot be made in it.
    case folderNotWritable(folder: String, file: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .exists(let path):
            return "\(path) already exists; nothing was changed. Edit it, or run `fuq init --force` to replace it"
        case .cannotWrite(let path, let reason):
            return "cannot create \(path): \(reason) (nothing was written)"
        case .folderNotWritable(let folder, let file, let reason):
            return "cannot write \(file): the folder \(folder) is not writable (\(reason)); nothing was written. "
                + "Make it writable (`chmod u+w \(folder)`), or write the config elsewhere with --config PATH and set FUQ_CONFIG=PATH"
        }
    }
}
