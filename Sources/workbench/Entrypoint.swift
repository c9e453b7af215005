import WorkbenchCLI

@main
enum Entrypoint {
  static func main() async {
    await Workbench.main()
  }
}
