/// One KPU convolution layer's integer arguments and its bit-accurate emulation (`k210.md` §3:
/// nncase 1.9's `kpu_conv2d` kernel). The convolution runs at stride 1 with "same" size: a
/// 1×1 filter without padding or a 3×3 filter with padding 1, out-of-image taps reading
/// ``padValue``; downsampling is the pool stage's job (not modelled here).
public struct K210ConvLayer: Equatable, Sendable {
  /// Per-output-channel BN word: y = ((alu · mul) >> shift) + add (floor shift).
  public struct BatchNorm: Equatable, Sendable {
    public var mul: Int64
    public var shift: Int
    public var add: Int64

    public init(mul: Int64, shift: Int, add: Int64) {
      self.mul = mul
      self.shift = shift
      self.add = add
    }
  }

  /// Input and output channels.
  public var inChannels: Int, outChannels: Int
  /// Filter size, 1 or 3.
  public var filter: Int
  /// Whether each output channel reads only its own input channel.
  public var depthwise: Bool
  /// uint8 weights, OIHW ([C][F][F] for depthwise).
  public var weights: [UInt8]
  /// The ALU arguments.
  public var argX: Int64, shiftX: Int, argW: Int64, shiftW: Int, argAdd: Int64
  /// The value read by out-of-image taps.
  public var padValue: UInt8
  /// One BN word per output channel.
  public var batchNorm: [BatchNorm]
  /// The activation table.
  public var activation: K210ActivationTable

  /// A layer from its fields (``K210Quantizer`` makes them from a float layer; a kmodel reader
  /// makes them from decoded register words).
  public init(
    inChannels: Int, outChannels: Int, filter: Int, depthwise: Bool, weights: [UInt8], argX: Int64, shiftX: Int,
    argW: Int64, shiftW: Int, argAdd: Int64, padValue: UInt8, batchNorm: [BatchNorm], activation: K210ActivationTable
  ) {
    (self.inChannels, self.outChannels, self.filter, self.depthwise) = (inChannels, outChannels, filter, depthwise)
    (self.weights, self.argX, self.shiftX, self.argW, self.shiftW) = (weights, argX, shiftX, argW, shiftW)
    (self.argAdd, self.padValue, self.batchNorm, self.activation) = (argAdd, padValue, batchNorm, activation)
  }

  /// Input channels per output channel (1 for depthwise).
  public var groupInputChannels: Int { depthwise ? 1 : inChannels }

  /// alu = Σxw + ((argX·Σx) >> shiftX) + ((argW·Σw) >> shiftW) + argAdd·g_ic (floor shifts).
  @inline(__always)
  public static func alu(
    sumXW: Int64, sumX: Int64, sumW: Int64, argX: Int64, shiftX: Int, argW: Int64, shiftW: Int, argAdd: Int64,
    groupInputChannels: Int
  ) -> Int64 {
    sumXW + ((argX * sumX) >> Int64(shiftX)) + ((argW * sumW) >> Int64(shiftW)) + argAdd * Int64(groupInputChannels)
  }

  /// The BN stage: ((alu · mul) >> shift) + add.
  @inline(__always)
  public static func batchNorm(_ alu: Int64, _ bn: BatchNorm) -> Int64 {
    ((alu * bn.mul) >> Int64(bn.shift)) + bn.add
  }

  /// Runs the layer on one uint8 image [inChannels, height, width] and returns
  /// [outChannels, height, width]: the direct loops of §3, one output at a time (the
  /// reference ``K210ConvLayer/run(_:height:width:)`` is tested against).
  public func runReference(_ input: [UInt8], height h: Int, width w: Int) -> [UInt8] {
    precondition(
      input.count == inChannels * h * w, "K210ConvLayer: input has \(input.count) codes, expected \(inChannels * h * w)"
    )
    let pad = filter == 3 ? 1 : 0, gic = groupInputChannels, taps = filter * filter
    var out = [UInt8](repeating: 0, count: outChannels * h * w)
    for oc in 0..<outChannels {
      let firstInput = depthwise ? oc : 0
      let wBase = oc * gic * taps
      var sumW: Int64 = 0
      for i in 0..<(gic * taps) { sumW += Int64(weights[wBase + i]) }
      for oy in 0..<h {
        for ox in 0..<w {
          var sumXW: Int64 = 0, sumX: Int64 = 0
          for ic in 0..<gic {
            let plane = (firstInput + ic) * h * w
            for ky in 0..<filter {
              for kx in 0..<filter {
                let iy = oy - pad + ky, ix = ox - pad + kx
                let x = iy >= 0 && iy < h && ix >= 0 && ix < w ? Int64(input[plane + iy * w + ix]) : Int64(padValue)
                sumX += x
                sumXW += x * Int64(weights[wBase + (ic * filter + ky) * filter + kx])
              }
            }
          }
          let a = Self.alu(
            sumXW: sumXW, sumX: sumX, sumW: sumW, argX: argX, shiftX: shiftX, argW: argW, shiftW: shiftW,
            argAdd: argAdd,
            groupInputChannels: gic)
          out[(oc * h + oy) * w + ox] = activation.apply(Self.batchNorm(a, batchNorm[oc]))
        }
      }
    }
    return out
  }
}
