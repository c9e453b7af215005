import Foundation
import Support
import XCTest

/// A small seeded generator (SplitMix64) so randomised tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Runs reference computations in `python3`, skipping the test when a module is missing.
enum PythonReference {
  /// Runs `script` with the given files as `sys.argv[1...]` and decodes its stdout as JSON.
  ///
  /// Throws `XCTSkip` when python3 or one of `modules` cannot be imported (checked inside the
  /// same process, since importing scikit-learn alone takes about two seconds).
  static func evaluate<T: Decodable>(
    _ type: T.Type, modules: [String], script: String, inputs: [Data]
  ) throws -> T {
    let preamble = """
      import sys
      try:
          import \(modules.joined(separator: ", "))
      except ImportError as error:
          print(error, file=sys.stderr)
          sys.exit(77)

      """
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("metrics-parity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let scriptURL = dir.appendingPathComponent("reference.py")
    try (preamble + script).write(to: scriptURL, atomically: true, encoding: .utf8)
    var paths: [String] = []
    for (n, data) in inputs.enumerated() {
      let url = dir.appendingPathComponent("input\(n).json")
      try data.write(to: url)
      paths.append(url.path)
    }
    let (status, out, err) = try run(arguments: [scriptURL.path] + paths)
    if status == 77 || status == 127 {
      throw XCTSkip(
        "python3 modules \(modules.joined(separator: ", ")) not importable (\(err.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))); skipping parity test"
      )
    }
    guard status == 0 else {
      XCTFail("reference script failed: \(err)")
      throw XCTSkip("reference script failed")
    }
    return try JSONDecoder().decode(T.self, from: Data(out.utf8))
  }

  private static func run(arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let r = try process.runCapturingOutput()
    return (r.status, r.out, r.err)
  }
}

/// Asserts that two optional doubles are both nil or within `accuracy`.
func assertClose(
  _ a: Double?, _ b: Double?, accuracy: Double, _ message: String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  switch (a, b) {
  case (nil, nil): return
  case (let x?, let y?):
    XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line)
  default:
    XCTFail(
      "\(String(describing: a)) != \(String(describing: b)) \(message)", file: file, line: line)
  }
}
