/// Indices of items grouped by (category, image), each group in file order (a counting sort).
struct BucketIndex {
  let imageCount: Int
  /// `start[k * imageCount + i] ..< start[k * imageCount + i + 1]` indexes `items`.
  let start: [Int]
  let items: [Int32]

  init(category: [Int32], image: [Int32], categoryCount: Int, imageCount: Int) {
    self.imageCount = imageCount
    var start = [Int](repeating: 0, count: categoryCount * imageCount + 1)
    for n in category.indices { start[Int(category[n]) * imageCount + Int(image[n]) + 1] += 1 }
    for b in 1..<start.count { start[b] += start[b - 1] }
    var fill = start
    var items = [Int32](repeating: 0, count: category.count)
    for n in category.indices {
      let b = Int(category[n]) * imageCount + Int(image[n])
      items[fill[b]] = Int32(n)
      fill[b] += 1
    }
    self.start = start
    self.items = items
  }

  /// The items of one (category, image) bucket, in file order.
  func bucket(category k: Int, image i: Int) -> ArraySlice<Int32> {
    let b = k * imageCount + i
    return items[start[b]..<start[b + 1]]
  }
}
