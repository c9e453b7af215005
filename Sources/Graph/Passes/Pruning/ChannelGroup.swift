/// A set of channels that must be pruned together, found by ``ChannelDependencies``: keeping or
/// removing channel `j` of the group keeps or removes it in every value and parameter listed.
///
/// Channels are tied when one op's channel is another's: an `Add` ties its inputs and output
/// channel by channel, a `Concat` maps its output channels back to each input at an offset, a
/// depthwise convolution ties its input and output, and BatchNorm, activations, pools,
/// upsampling, dropout and identity follow their producer. The group's channels are numbered in
/// the order of its earliest value (a producer's output channels, in filter order).
public struct ChannelGroup: Codable, Equatable, Sendable {
  /// A stable name: the first node (in graph order) that produces the channels, with `#2`, `#3`
  /// appended when a producer's output is split between groups. Node names survive pruning, so
  /// the ids of a pruned graph are those of the original.
  public var id: String
  /// Number of channels.
  public var channels: Int
  /// Every node whose parameters hold the group's channels, in node order.
  public var slices: [ChannelSlice]
  /// Every value carrying the group's channels, in graph order.
  public var values: [String]
  /// Why the group cannot be pruned (it is part of the graph's inputs or outputs, or of an op
  /// that mixes channels), or nil when it can.
  public var fixedReason: String?

  /// Creates a group.
  public init(id: String, channels: Int, slices: [ChannelSlice], values: [String], fixedReason: String?) {
    self.id = id
    self.channels = channels
    self.slices = slices
    self.values = values
    self.fixedReason = fixedReason
  }

  /// Whether the group may be pruned.
  public var isPrunable: Bool { fixedReason == nil }

  /// The convolutions and dense layers whose output channels (filters) are the group's.
  public var producers: [String] { slices.filter { $0.role == .producer }.map(\.node) }

  /// The convolutions and dense layers that read the group's channels as input channels.
  public var consumers: [String] { slices.filter { $0.role == .consumer }.map(\.node) }

  /// BatchNorms and depthwise convolutions, whose per-channel parameters follow the group.
  public var followers: [String] { slices.filter { $0.role == .follower }.map(\.node) }
}

/// Where a group's channels sit in one node's parameters.
public struct ChannelSlice: Codable, Equatable, Sendable {
  /// How the node holds the channels.
  public enum Role: String, Codable, Sendable {
    /// A convolution (groups = 1) or dense layer that computes the channels: rows of its
    /// weight (axis 0) and entries of its bias.
    case producer
    /// A BatchNorm (γ, β, running mean and variance) or a depthwise convolution (weight rows
    /// and bias) with one set of parameters per channel, along axis 0.
    case follower
    /// A convolution (groups = 1) or dense layer that reads the channels: columns of its
    /// weight (axis 1).
    case consumer
  }

  /// The node's name.
  public var node: String
  /// How the node holds the channels.
  public var role: Role
  /// `indices[j]` are the positions of the group's channel `j` along the parameter axis: one
  /// position for convolutions and BatchNorm; H·W consecutive positions for a dense layer that
  /// reads a flattened C×H×W map (channel c is features c·H·W ..< (c+1)·H·W); more than one
  /// when a concat repeats an input.
  public var indices: [[Int]]

  /// Creates a slice.
  public init(node: String, role: Role, indices: [[Int]]) {
    self.node = node
    self.role = role
    self.indices = indices
  }
}
