#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Foundation

/// Remembers which warnings were printed, so one that every step would trigger (credentials over
/// plain http to the same host) is printed once. Events may arrive from several tasks.
final class WarningsOnce: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var seen: Set<String> = []

    /// Whether `warning` is new (and records it).
    func isFirst(_ warning: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return seen.insert(warning).inserted
    }
}
#endif
