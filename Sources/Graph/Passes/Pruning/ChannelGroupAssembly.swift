/// Turns the tied elements of ``ChannelElements`` into ``ChannelGroup``s: one unit per class of
/// tied elements, units running through the same values grouped, and each node's parameter
/// positions listed per unit.
struct ChannelGroupAssembly {
  let graph: ModelGraph
  var elements: ChannelElements

  /// A group under construction.
  private struct Draft {
    var values: [Int]
    var units: [Int] = []
    var fixedReason: String?
    var slices: [ChannelSlice] = []
    var sliceIndex: [String: Int] = [:]
  }

  mutating func groups() -> [ChannelGroup] {
    // Units: element classes, in the order of their smallest element (the class root).
    var unitOfRoot: [Int: Int] = [:]
    var unitValues: [Set<Int>] = []
    var unitFixed: [String?] = []
    for e in 0..<elements.count {
      let root = elements.find(e)
      let unit: Int
      if let u = unitOfRoot[root] {
        unit = u
      } else {
        unit = unitValues.count
        unitOfRoot[root] = unit
        unitValues.append([])
        unitFixed.append(nil)
      }
      unitValues[unit].insert(elements.valueOf[e])
      if unitFixed[unit] == nil, let reason = elements.fixed[e] { unitFixed[unit] = reason }
    }
    // Groups: units with the same values, in order of first appearance.
    var drafts: [Draft] = []
    var draftOfKey: [[Int]: Int] = [:]
    var place: [(group: Int, channel: Int)] = []
    for unit in unitValues.indices {
      let key = unitValues[unit].sorted()
      let g = draftOfKey[key] ?? drafts.count
      if g == drafts.count {
        draftOfKey[key] = g
        drafts.append(Draft(values: key))
      }
      place.append((g, drafts[g].units.count))
      drafts[g].units.append(unit)
      if drafts[g].fixedReason == nil { drafts[g].fixedReason = unitFixed[unit] }
    }
    // Slices: where each node holds each unit.
    for node in graph.nodes {
      for (value, role) in holdings(node) {
        for c in 0..<elements.channels(value) {
          guard let e = elements.element(value, c), let unit = unitOfRoot[elements.find(e)] else { continue }
          let (g, j) = place[unit]
          let key = "\(node.name)|\(role.rawValue)"
          let s = drafts[g].sliceIndex[key] ?? drafts[g].slices.count
          if s == drafts[g].slices.count {
            drafts[g].sliceIndex[key] = s
            let count = drafts[g].units.count
            drafts[g].slices.append(
              ChannelSlice(node: node.name, role: role, indices: Array(repeating: [], count: count)))
          }
          drafts[g].slices[s].indices[j].append(c)
        }
      }
    }
    return finish(drafts.map { ($0.values, $0.units.count, $0.slices, $0.fixedReason) })
  }

  /// The values whose channels `node` holds in its parameters, and how.
  private func holdings(_ node: Node) -> [(String, ChannelSlice.Role)] {
    switch node.op {
    case .conv:
      let groups = node.int("groups")
      if groups == 1 { return [(node.outputs[0], .producer), (node.inputs[0], .consumer)] }
      let isDepthwise =
        groups == elements.channels(node.inputs[0]) && groups == elements.channels(node.outputs[0])
      return isDepthwise ? [(node.outputs[0], .follower)] : []
    case .dense: return [(node.outputs[0], .producer), (node.inputs[0], .consumer)]
    case .batchNorm: return [(node.outputs[0], .follower)]
    default: return []
    }
  }

  /// Names the groups and settles why each fixed one is fixed.
  private func finish(_ drafts: [(values: [Int], channels: Int, slices: [ChannelSlice], fixed: String?)])
    -> [ChannelGroup]
  {
    var used: [String: Int] = [:]
    return drafts.map { draft in
      let values = draft.values.map { elements.valueNames[$0] }
      let producer = draft.slices.first { $0.role == .producer }?.node
      var id = producer ?? values[0]
      used[id, default: 0] += 1
      if let n = used[id], n > 1 { id += "#\(n)" }
      var reason = draft.fixed
      if reason == nil && producer == nil { reason = "no convolution or dense layer produces these channels" }
      return ChannelGroup(id: id, channels: draft.channels, slices: draft.slices, values: values, fixedReason: reason)
    }
  }
}
