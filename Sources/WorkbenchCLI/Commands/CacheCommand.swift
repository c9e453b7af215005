import ArgumentParser
import Experiment
import Foundation

extension Workbench {
  /// `workbench cache list|prune`: the stage cache (`.workbench/cache` or `WORKBENCH_CACHE`).
  struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cache", abstract: "List or prune the stage cache.", subcommands: [List.self, Prune.self])

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(abstract: "List cache entries: stage, key, size, creation time.")
      func run() throws {
        let cache = Cache.default()
        let entries = cache.entries()
        print("cache \(cache.root.path): \(entries.count) entries")
        for (e, bytes) in entries {
          print(
            "  \(e.stage.padding(toLength: 9, withPad: " ", startingAt: 0)) \(e.key.prefix(16))  \(String(format: "%9.1f KiB", Double(bytes) / 1024))  \(e.created)  \(String(format: "%.1f s", e.wallSeconds))"
          )
        }
      }
    }

    struct Prune: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Remove cache entries (all, or those older than N days).")
      @Flag(help: "Remove every entry.") var all = false
      @Option(help: "Remove entries created more than this many days ago.") var olderThan: Double?

      func validate() throws {
        if all == (olderThan != nil) { throw ValidationError("give exactly one of --all or --older-than DAYS") }
      }

      func run() throws {
        let cutoff = olderThan.map { Date().addingTimeInterval(-$0 * 86_400) }
        let n = try Cache.default().prune(olderThan: cutoff)
        print("removed \(n) cache entr\(n == 1 ? "y" : "ies")")
      }
    }
  }
}
