import Foundation

/// A small thread-safe memo table for values that are expensive to build and never change
/// once built (date formatters, compiled templates). Entries are never evicted: the keys
/// come from a handful of formats, zones and templates.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[key] { return value }
        let value = try make()
        values[key] = value
        return value
    }

    /// The value for `key` if it was made.
    func peek(_ key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }
}
