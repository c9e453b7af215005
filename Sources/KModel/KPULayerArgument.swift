/// The 12 × 64-bit words the CPU writes into the KPU's `layer_argument_fifo` for one layer
/// (`kpu_layer_argument_t`, `k210.md` §2), as named fields. Fields the register stores "minus one"
/// (channel counts, sizes, `load_time`) hold the register value here too, so a field is exactly
/// its bits; the convenience accessors give the real counts. Signed fields (`arg_w`, `arg_x`,
/// `arg_add`) hold the sign-extended value.
public struct KPULayerArgument: Equatable, Sendable {
  // word 0 interrupt_enabe
  public var intEnable = 0, ramFlag = 0, fullAdd = 0, depthwise = 0
  // word 1 image_addr (64-byte rows)
  public var imageSourceAddress = 0, imageDestinationAddress = 0
  // word 2 image_channel_num (minus one)
  public var inputChannelsMinus1 = 0, outputChannelsMinus1 = 0, outputChannelsPerLoadMinus1 = 0
  // word 3 image_size (minus one; the output is the size after pooling)
  public var inputWidthMinus1 = 0, inputHeightMinus1 = 0, outputWidthMinus1 = 0, outputHeightMinus1 = 0
  // word 4 kernel_pool_type_cfg
  public var kernelType = 0, padType = 0, poolType = 0, firstStride = 0, bypassConv = 0, loadPara = 0
  public var dmaBurstSize = 0, padValue = 0, batchNormAddress = 0
  // word 5 kernel_load_cfg
  public var loadCoefficients = 0, loadTimeMinus1 = 0, parameterSize = 0, parameterStartAddress = 0
  // word 6 kernel_offset
  public var coefficientColumnOffset = 0, coefficientRowOffset = 0
  // word 7 kernel_calc_type_cfg
  public var channelSwitchAddress = 0, rowSwitchAddress = 0, coefficientSize = 0, coefficientGroup = 0
  public var loadActivation = 0, activationAddress = 0
  // word 8 write_back_cfg
  public var writeBackChannelSwitchAddress = 0, writeBackRowSwitchAddress = 0, writeBackGroup = 0
  // word 9 conv_value
  public var shiftW = 0, shiftX = 0, argW = 0, argX = 0
  // word 10 conv_value2
  public var argAdd = 0
  // word 11 dma_parameter
  public var sendDataOut = 0, channelByteCountMinus1 = 0, dmaTotalByteCountMinus1 = 0

  /// An all-zero argument.
  public init() {}

  /// One register field: word, lowest bit, width, signedness, name (as in the SDK's `kpu.h`).
  public struct Field: @unchecked Sendable {
    public let word: Int, low: Int, bits: Int, signed: Bool, name: String
    let path: WritableKeyPath<KPULayerArgument, Int>
  }

  /// Every field, in word and bit order.
  public static let fields: [Field] = [
    .init(word: 0, low: 0, bits: 1, signed: false, name: "int_en", path: \.intEnable),
    .init(word: 0, low: 1, bits: 1, signed: false, name: "ram_flag", path: \.ramFlag),
    .init(word: 0, low: 2, bits: 1, signed: false, name: "full_add", path: \.fullAdd),
    .init(word: 0, low: 3, bits: 1, signed: false, name: "depth_wise_layer", path: \.depthwise),
    .init(word: 1, low: 0, bits: 15, signed: false, name: "image_src_addr", path: \.imageSourceAddress),
    .init(word: 1, low: 32, bits: 15, signed: false, name: "image_dst_addr", path: \.imageDestinationAddress),
    .init(word: 2, low: 0, bits: 10, signed: false, name: "i_ch_num", path: \.inputChannelsMinus1),
    .init(word: 2, low: 32, bits: 10, signed: false, name: "o_ch_num", path: \.outputChannelsMinus1),
    .init(word: 2, low: 48, bits: 10, signed: false, name: "o_ch_num_coef", path: \.outputChannelsPerLoadMinus1),
    .init(word: 3, low: 0, bits: 10, signed: false, name: "i_row_wid", path: \.inputWidthMinus1),
    .init(word: 3, low: 10, bits: 9, signed: false, name: "i_col_high", path: \.inputHeightMinus1),
    .init(word: 3, low: 32, bits: 10, signed: false, name: "o_row_wid", path: \.outputWidthMinus1),
    .init(word: 3, low: 42, bits: 9, signed: false, name: "o_col_high", path: \.outputHeightMinus1),
    .init(word: 4, low: 0, bits: 3, signed: false, name: "kernel_type", path: \.kernelType),
    .init(word: 4, low: 3, bits: 1, signed: false, name: "pad_type", path: \.padType),
    .init(word: 4, low: 4, bits: 4, signed: false, name: "pool_type", path: \.poolType),
    .init(word: 4, low: 8, bits: 1, signed: false, name: "first_stride", path: \.firstStride),
    .init(word: 4, low: 9, bits: 1, signed: false, name: "bypass_conv", path: \.bypassConv),
    .init(word: 4, low: 10, bits: 1, signed: false, name: "load_para", path: \.loadPara),
    .init(word: 4, low: 16, bits: 8, signed: false, name: "dma_burst_size", path: \.dmaBurstSize),
    .init(word: 4, low: 24, bits: 8, signed: false, name: "pad_value", path: \.padValue),
    .init(word: 4, low: 32, bits: 32, signed: false, name: "bwsx_base_addr", path: \.batchNormAddress),
    .init(word: 5, low: 0, bits: 1, signed: false, name: "load_coor", path: \.loadCoefficients),
    .init(word: 5, low: 1, bits: 6, signed: false, name: "load_time", path: \.loadTimeMinus1),
    .init(word: 5, low: 15, bits: 17, signed: false, name: "para_size", path: \.parameterSize),
    .init(word: 5, low: 32, bits: 32, signed: false, name: "para_start_addr", path: \.parameterStartAddress),
    .init(word: 6, low: 0, bits: 4, signed: false, name: "coef_column_offset", path: \.coefficientColumnOffset),
    .init(word: 6, low: 4, bits: 12, signed: false, name: "coef_row_offset", path: \.coefficientRowOffset),
    .init(word: 7, low: 0, bits: 15, signed: false, name: "channel_switch_addr", path: \.channelSwitchAddress),
    .init(word: 7, low: 16, bits: 4, signed: false, name: "row_switch_addr", path: \.rowSwitchAddress),
    .init(word: 7, low: 20, bits: 8, signed: false, name: "coef_size", path: \.coefficientSize),
    .init(word: 7, low: 28, bits: 3, signed: false, name: "coef_group", path: \.coefficientGroup),
    .init(word: 7, low: 31, bits: 1, signed: false, name: "load_act", path: \.loadActivation),
    .init(word: 7, low: 32, bits: 32, signed: false, name: "active_addr", path: \.activationAddress),
    .init(
      word: 8, low: 0, bits: 15, signed: false, name: "wb_channel_switch_addr", path: \.writeBackChannelSwitchAddress),
    .init(word: 8, low: 16, bits: 4, signed: false, name: "wb_row_switch_addr", path: \.writeBackRowSwitchAddress),
    .init(word: 8, low: 20, bits: 3, signed: false, name: "wb_group", path: \.writeBackGroup),
    .init(word: 9, low: 0, bits: 4, signed: false, name: "shr_w", path: \.shiftW),
    .init(word: 9, low: 4, bits: 4, signed: false, name: "shr_x", path: \.shiftX),
    .init(word: 9, low: 8, bits: 24, signed: true, name: "arg_w", path: \.argW),
    .init(word: 9, low: 32, bits: 24, signed: true, name: "arg_x", path: \.argX),
    .init(word: 10, low: 0, bits: 40, signed: true, name: "arg_add", path: \.argAdd),
    .init(word: 11, low: 0, bits: 1, signed: false, name: "send_data_out", path: \.sendDataOut),
    .init(word: 11, low: 16, bits: 16, signed: false, name: "channel_byte_num", path: \.channelByteCountMinus1),
    .init(word: 11, low: 32, bits: 32, signed: false, name: "dma_total_byte", path: \.dmaTotalByteCountMinus1),
  ]

  /// The value of `field`.
  public func value(_ field: Field) -> Int { self[keyPath: field.path] }

  /// The 12 words.
  /// - Throws: ``KModelError/fieldOverflow(layer:field:value:bits:)`` when a value does not fit.
  public func words(layer: String) throws -> [UInt64] {
    var words = [UInt64](repeating: 0, count: 12)
    for f in Self.fields {
      let v = self[keyPath: f.path]
      let fits = f.signed ? (v >= -(1 << (f.bits - 1)) && v < 1 << (f.bits - 1)) : (v >= 0 && v < 1 << f.bits)
      guard fits else { throw KModelError.fieldOverflow(layer: layer, field: f.name, value: v, bits: f.bits) }
      let mask: UInt64 = f.bits == 64 ? ~0 : (1 << UInt64(f.bits)) - 1
      words[f.word] |= (UInt64(bitPattern: Int64(v)) & mask) << UInt64(f.low)
    }
    return words
  }

  /// Decodes 12 words (sign-extending the signed fields).
  public init(words: [UInt64]) throws {
    guard words.count == 12 else { throw KModelError.malformed("a KPU layer has 12 words, got \(words.count)") }
    for f in Self.fields {
      let raw = (words[f.word] >> UInt64(f.low)) & ((1 << UInt64(f.bits)) - 1)
      var v = Int(raw)
      if f.signed && raw >> UInt64(f.bits - 1) & 1 == 1 { v -= 1 << f.bits }
      self[keyPath: f.path] = v
    }
  }

  /// Input and output channels, sizes (the output after pooling), in real counts.
  public var inputChannels: Int { inputChannelsMinus1 + 1 }
  public var outputChannels: Int { outputChannelsMinus1 + 1 }
  public var inputWidth: Int { inputWidthMinus1 + 1 }
  public var inputHeight: Int { inputHeightMinus1 + 1 }
  public var outputWidth: Int { outputWidthMinus1 + 1 }
  public var outputHeight: Int { outputHeightMinus1 + 1 }
  /// The filter size: 1 (kernel_type 0) or 3 (kernel_type 1).
  public var filter: Int { kernelType == 1 ? 3 : 1 }
}
