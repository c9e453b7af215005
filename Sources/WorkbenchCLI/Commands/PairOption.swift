import ArgumentParser

/// Parses an option written `AxB` (`--size 224x224`, `--train 500x10`) into two positive
/// integers; the error names the option and shows the form it expects.
func positivePair(_ text: String, option: String, form: String, example: String) throws -> (Int, Int) {
  let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
  guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else {
    throw ValidationError("\(option) needs \(form), e.g. \(example); got '\(text)'.")
  }
  return (parts[0], parts[1])
}
