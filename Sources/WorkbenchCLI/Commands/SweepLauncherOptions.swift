import ArgumentParser
import Experiment

extension Workbench.SweepCommand {
  /// `--launcher local|slurm`.
  enum LauncherKind: String, ExpressibleByArgument, CaseIterable {
    case local, slurm
  }

  /// What each Slurm array task asks for (`sbatch` options of the same names).
  struct SlurmOptions: ParsableArguments {
    @Option(help: "Slurm partition (sbatch --partition; default: the cluster's default partition).")
    var partition: String?

    @Option(help: "Time limit per trial (sbatch --time, e.g. 30 or 1:00:00).")
    var time: String?

    @Option(help: "CPUs per trial (sbatch --cpus-per-task).")
    var cpusPerTask: Int?

    @Option(help: "Memory per trial (sbatch --mem, e.g. 4G).")
    var mem: String?

    /// The options given on the command line, by flag name.
    var given: [String] {
      [
        partition.map { _ in "partition" }, time.map { _ in "time" }, cpusPerTask.map { _ in "cpus-per-task" },
        mem.map { _ in "mem" },
      ].compactMap { $0 }
    }

    var resources: SlurmLauncher.Resources {
      var r = SlurmLauncher.Resources()
      r.partition = partition
      r.time = time
      r.cpusPerTask = cpusPerTask
      r.memory = mem
      return r
    }
  }
}
