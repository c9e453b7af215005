/// Evenly spaced values computed exactly as `numpy.linspace(start, stop, count)` does.
///
/// numpy computes `i * ((stop − start) / (count − 1)) + start` and then stores `stop` exactly in
/// the last slot. Using the same arithmetic gives bit-identical IoU and recall thresholds to
/// pycocotools' `Params` (`iouThrs = linspace(.5, .95, 10)`, `recThrs = linspace(0, 1, 101)`),
/// which matters when an IoU or a recall lands exactly on a threshold.
public func numpyLinspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
  guard count > 1 else { return count == 1 ? [start] : [] }
  let step = (stop - start) / Double(count - 1)
  var values = (0..<count).map { Double($0) * step + start }
  values[count - 1] = stop
  return values
}

/// The ten COCO IoU thresholds 0.50:0.05:0.95 (`numpy.linspace(.5, .95, 10)`).
public let cocoIoUThresholds: [Double] = numpyLinspace(0.5, 0.95, count: 10)

/// The 101 COCO recall thresholds 0:0.01:1 (`numpy.linspace(0, 1, 101)`).
public let cocoRecallThresholds: [Double] = numpyLinspace(0, 1, count: 101)
