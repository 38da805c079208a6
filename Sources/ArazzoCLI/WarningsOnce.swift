#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Synchronization
import Foundation

/// Remembers which warnings were printed, so one that every step would trigger (credentials over
/// plain http to the same host) is printed once. Events may arrive from several tasks.
final class WarningsOnce: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// Whether `warning` is new (and records it).
    func isFirst(_ warning: String) -> Bool {
        seen.withLock { $0.insert(warning).inserted }
    }
}
#endif
