import Foundation

/// What standard output is: how wide, and whether it may be coloured.
struct Terminal {
    /// Columns to fit the output in.
    var width: Int
    /// Colour the states (only at a terminal that wants it).
    var color: Bool

    /// The width when nothing says otherwise (and always when output is piped, so scripts
    /// and files get a stable format).
    static let defaultWidth = 100

    /// Standard output as this process has it.
    static var standardOutput: Terminal {
        let env = ProcessInfo.processInfo.environment
        let tty = isatty(STDOUT_FILENO) == 1
        return Terminal(width: width(environment: env, tty: tty, ioctlColumns: tty ? ioctlColumns() : nil),
                        color: color(environment: env, tty: tty))
    }

    /// `COLUMNS` when it is a positive integer; else the terminal's own width when output is
    /// a terminal; else `defaultWidth`.
    static func width(environment env: [String: String], tty: Bool, ioctlColumns: Int?) -> Int {
        if let text = env["COLUMNS"]?.trimmingCharacters(in: .whitespaces), let columns = Int(text), columns > 0 {
            return min(columns, 1000)
        }
        if tty, let columns = ioctlColumns, columns > 0 { return columns }
        return defaultWidth
    }

    /// Colour only at a terminal, never with `NO_COLOR` set to anything (no-color.org) or
    /// `TERM=dumb`.
    static func color(environment env: [String: String], tty: Bool) -> Bool {
        guard tty else { return false }
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return true
    }

    private static func ioctlColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
        return Int(size.ws_col)
    }

    enum Color: String {
        case green = "32"
        case red = "31"
        case yellow = "33"
    }

    /// `text` in `color` when colouring is on (the escape codes take no columns).
    func paint(_ text: String, _ color: Color?) -> String {
        guard self.color, let color else { return text }
        return "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m"
    }
}
