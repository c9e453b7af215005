/// The Pareto front of points under per-coordinate directions: the points no other point
/// dominates. `a` dominates `b` when `a` is at least as good in every objective and strictly
/// better in one; equal points do not dominate each other, so ties are all on the front.
public enum Pareto {
  /// Whether `a` dominates `b`.
  public static func dominates(_ a: [Double], _ b: [Double], _ directions: [SweepSpec.Direction]) -> Bool {
    var strictly = false
    for (k, d) in directions.enumerated() {
      let (x, y) = d == .max ? (a[k], b[k]) : (-a[k], -b[k])
      if x < y { return false }
      if x > y { strictly = true }
    }
    return strictly
  }

  /// Indices of the non-dominated points, ascending. Points are visited best-first in
  /// lexicographic order; any dominator of a point comes before it, and if it is itself
  /// dominated so is the point (dominance is transitive), so each point is compared with the
  /// front found so far only.
  public static func front(_ points: [[Double]], directions: [SweepSpec.Direction]) -> [Int] {
    func better(_ i: Int, _ j: Int) -> Bool {
      for (k, d) in directions.enumerated() where points[i][k] != points[j][k] {
        return d == .max ? points[i][k] > points[j][k] : points[i][k] < points[j][k]
      }
      return i < j
    }
    var front: [Int] = []
    for i in points.indices.sorted(by: better)
    where !front.contains(where: { dominates(points[$0], points[i], directions) }) {
      front.append(i)
    }
    return front.sorted()
  }
}
