import Foundation
import HDF5
import XCTest

final class HDF5RoundTripTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  func roundTrip<T: HDF5Scalar & Equatable>(_ values: [T], type: HDF5ElementType) throws {
    let path = dir.file("\(type).h5")
    let file = try HDF5File.create(at: path)
    try file.root.write(values, shape: [2, values.count / 2], to: "group/data")
    try file.close()
    let reopened = try HDF5File.open(path)
    let dataset = try reopened.root.dataset("group/data")
    XCTAssertEqual(dataset.shape, [2, values.count / 2])
    XCTAssertEqual(dataset.elementType, type)
    XCTAssertEqual(try dataset.read(as: T.self), values, "\(type)")
  }

  func testEveryElementTypeRoundTrips() throws {
    try roundTrip([0, 1, 254, 255] as [UInt8], type: .uint8)
    try roundTrip([-128, -1, 0, 127] as [Int8], type: .int8)
    try roundTrip([-32768, -2, 7, 32767] as [Int16], type: .int16)
    try roundTrip([Int32.min, -5, 6, Int32.max] as [Int32], type: .int32)
    try roundTrip([Int64.min, -5, 6, Int64.max] as [Int64], type: .int64)
    try roundTrip([0, 1, 65535, 300] as [UInt16], type: .uint16)
    try roundTrip([-1.5, 0, 3.25, .greatestFiniteMagnitude] as [Float], type: .float32)
    try roundTrip([-1e300, 0, 1e-300, .pi] as [Double], type: .float64)
  }

  func testNumericConversionOnRead() throws {
    let path = dir.file("convert.h5")
    let file = try HDF5File.create(at: path)
    try file.root.write([0, 128, 255] as [UInt8], shape: [3], to: "bytes")
    XCTAssertEqual(try file.root.read("bytes", as: Float.self), [0, 128, 255])
  }

  func testVariableLengthStrings() throws {
    let path = dir.file("strings.h5")
    let file = try HDF5File.create(at: path)
    let names = ["Ada_Lovelace", "", "Zoë with ümlauts", String(repeating: "x", count: 1000)]
    try file.root.writeStrings(names, to: "names")
    try file.root.writeStrings([], to: "empty")
    try file.close()
    let reopened = try HDF5File.open(path)
    XCTAssertEqual(try reopened.root.dataset("names").elementType, .string)
    XCTAssertEqual(try reopened.root.dataset("names").readStrings(), names)
    XCTAssertEqual(try reopened.root.dataset("empty").readStrings(), [])
  }

  func testAttributesOfEveryKind() throws {
    let path = dir.file("attributes.h5")
    let file = try HDF5File.create(at: path)
    let group = try file.root.createGroup("train")
    let values: [String: HDF5AttributeValue] = [
      "int": .int(-42), "ints": .ints([1, 2, 3]), "double": .double(0.5),
      "doubles": .doubles([1.5, -2]), "string": .string("détection"),
      "strings": .strings(["cat", "dog", ""]),
    ]
    for (name, value) in values { try group.setAttribute(name, value) }
    try group.setAttribute("int", .int(7))  // replacing works
    try file.close()
    let reopened = try HDF5File.open(path).root.group("train")
    for (name, value) in values where name != "int" {
      XCTAssertEqual(try reopened.attribute(name), value, name)
    }
    XCTAssertEqual(try reopened.attribute("int"), .int(7))
    XCTAssertNil(try reopened.attribute("missing"))
    XCTAssertEqual(reopened.attributeNames(), values.keys.sorted())
  }

  func testGroupsListChildrenAndKinds() throws {
    let file = try HDF5File.create(at: dir.file("groups.h5"))
    try file.root.createGroup("b/c")
    try file.root.write([1] as [Int32], shape: [1], to: "a")
    XCTAssertEqual(try file.root.childNames(), ["a", "b"])
    XCTAssertEqual(try file.root.kind(of: "a"), .dataset)
    XCTAssertEqual(try file.root.kind(of: "b"), .group)
    XCTAssertTrue(file.root.contains("b/c"))
    XCTAssertFalse(file.root.contains("b/d"))
    XCTAssertEqual(try file.root.group("b").childNames(), ["c"])
  }

  func testReopenForWritingAddsAndReadOnlyRefuses() throws {
    let path = dir.file("rw.h5")
    let file = try HDF5File.create(at: path)
    try file.root.write([1, 2] as [Int32], shape: [2], to: "x")
    try file.close()
    let writable = try HDF5File.open(path, mode: .readWrite)
    try writable.root.dataset("x").write([5] as [Int32], offset: [1], count: [1])
    try writable.root.setAttribute("note", .string("edited"))
    try writable.close()
    let readOnly = try HDF5File.open(path)
    XCTAssertEqual(try readOnly.root.read("x", as: Int32.self), [1, 5])
    XCTAssertEqual(try readOnly.root.attribute("note"), .string("edited"))
    XCTAssertThrowsError(try readOnly.root.setAttribute("other", .int(1))) { error in
      XCTAssertTrue("\(error)".hasPrefix("HDF5 could not create attribute 'other' on '/' in '\(path)'"), "\(error)")
    }
    XCTAssertThrowsError(try HDF5File.create(at: path, overwrite: false)) { error in
      guard case .cannotCreate = error as? HDF5Error else { return XCTFail("\(error)") }
    }
  }

  func testSameContentGivesByteIdenticalFiles() throws {
    func write(_ path: String) throws {
      let file = try HDF5File.create(at: path)
      try file.root.write(
        (0..<1000).map { Float($0) }, shape: [10, 100], to: "x/y", options: .init(chunks: [1, 100], gzipLevel: 4))
      try file.root.setAttribute("kind", .string("detection"))
      try file.close()
    }
    try write(dir.file("one.h5"))
    Thread.sleep(forTimeInterval: 1.1)  // object times, if stored, would differ
    try write(dir.file("two.h5"))
    let one = try Data(contentsOf: URL(fileURLWithPath: dir.file("one.h5")))
    let two = try Data(contentsOf: URL(fileURLWithPath: dir.file("two.h5")))
    XCTAssertEqual(one, two)
  }
}
