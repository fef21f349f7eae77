import Foundation

/// Text a person hands fuq — an interview file or standard input, a template, an edited note,
/// the config — read in chunks and never beyond `limit`, so `yes | fuq enqueue -` ends with an
/// error at once instead of filling memory. Anything but a regular file (a folder, a named
/// pipe, a device such as /dev/null, a link that loops) is named for what it is.
public enum InputFile {
    /// 1 MiB: an interview file or a note is a few KiB; nothing real comes near.
    public static let limit = 1 << 20

    /// Why a file could not be read.
    public enum Problem: Error, Equatable {
        case missing
        case folder
        /// A symbolic link that points (through others) back to itself.
        case symlinkLoop
        case permission
        /// Not a regular file: "a named pipe (FIFO)", "a device (/dev/null is one)", "a socket".
        case notAFile(kind: String)
        /// More than the limit.
        case tooLarge(limit: Int)
        case notUTF8
        case failed(String)

        /// What is wrong, in words for after "cannot read FILE: ".
        public var reason: String {
            switch self {
            case .missing: return "no such file"
            case .folder: return "it is a folder, not a file"
            case .symlinkLoop: return "it is a symbolic link that loops back on itself (`ls -l` shows where it points)"
            case .permission: return "permission denied (`ls -l` shows who may read it)"
            case .notAFile(let kind): return "it is \(kind), not a file; save the text in a file, or pipe it to standard input with -"
            case .tooLarge(let limit): return "it is larger than \(InputFile.describe(limit)), which no real note or interview file reaches; fuq stopped reading there. Check that it is the right file"
            case .notUTF8: return "it is not UTF-8 text (save it as UTF-8)"
            case .failed(let text): return text
            }
        }
    }

    /// "1 MiB", "512 KiB".
    public static func describe(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

    /// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
    public static func text(atPath path: String, limit: Int = limit) throws(Problem) -> String {
        guard let text = String(validating: try data(atPath: path, limit: limit), as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    /// The bytes of the regular file at `path`, at most `limit`. Opened without blocking, so a
    /// named pipe nobody writes to is reported, not waited on.
    public static func data(atPath path: String, limit: Int = limit) throws(Problem) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw .missing
            case ELOOP: throw .symlinkLoop
            case EACCES, EPERM: throw .permission
            case ENXIO: throw .notAFile(kind: "a socket")
            default: throw .failed(String(cString: strerror(errno)))
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .failed(String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .folder
        case S_IFIFO: throw .notAFile(kind: "a named pipe (FIFO)")
        case S_IFCHR, S_IFBLK: throw .notAFile(kind: "a device\(path == "/dev/null" ? " (the empty device /dev/null)" : "")")
        case S_IFSOCK: throw .notAFile(kind: "a socket")
        default: throw .notAFile(kind: "not a regular file")
        }
        if Int(info.st_size) > limit { throw .tooLarge(limit: limit) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return try read(fd: fd, limit: limit)
    }

    /// What is left on `fd` (standard input: 0), read in 64 KiB chunks, at most `limit` bytes:
    /// one byte more and it stops with `.tooLarge`, having held no more than that.
    public static func read(fd: Int32, limit: Int = limit) throws(Problem) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    var wait = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&wait, 1, -1)
                    continue
                }
                if errno == EISDIR { throw .folder }
                throw .failed(String(cString: strerror(errno)))
            }
            if n == 0 { return data }
            if data.count + n > limit { throw .tooLarge(limit: limit) }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Input fuq will not read: more than `InputFile.limit`.
public enum InputError: LocalizedError, Equatable {
    /// `what` ("the interview file i.yaml", "standard input") is larger than `limit` bytes.
    case tooLarge(what: String, limit: Int)

    public var errorDescription: String? {
        switch self {
        case .tooLarge(let what, let limit):
            return "\(what) is larger than \(InputFile.describe(limit)), which no real note or interview file reaches; "
                + "fuq stopped reading there and changed nothing. Check that it is the right file (or the right command piped into fuq)."
        }
    }
}
