import WorkbenchCLI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@main
enum Entrypoint {
  static func main() async {
    // Line-buffered output, so progress lines reach logs and pipes as they happen.
    setvbuf(stdout, nil, _IOLBF, 0)
    await Workbench.main()
  }
}
