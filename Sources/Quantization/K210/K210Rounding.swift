/// The rounding shifts of the K210 KPU emulation (`k210.md` §3).
public enum K210Rounding {
  /// nncase 1.9's `carry_shift<int64_t, Banker = true>` (runtime_op_utility.h), reproduced
  /// operation for operation so results stay bit-exact with `nncase.Simulator`:
  /// integral = v >> s (floor), fractional = v & (2^s − 1) (always ≥ 0), half = 2^(s−1);
  /// fractional < half → integral; > half → integral + sign(v); = half → integral when it is
  /// even, integral + sign(v) when odd.
  ///
  /// Because `integral` is a floor but the correction adds sign(v), negative values round oddly:
  /// −1/4 (v = −1, s = 2) gives −2, −2.5 (v = −5, s = 1) gives −4. That is what the simulator
  /// computes; the real chip's rounding is undocumented. s ≤ 0 shifts left by −s.
  ///
  /// nncase computes `half` as a 32-bit `1 << (s − 1)`, undefined in C++ for s > 32; here it is
  /// 64-bit, so for shifts above 32 agreement with the simulator is unverified.
  @inline(__always)
  public static func bankerCarryShift(_ v: Int64, _ s: Int) -> Int64 {
    guard s > 0 else { return v << -s }
    let integral = v >> s
    let fractional = v & ((Int64(1) << s) - 1)
    let sign: Int64 = v < 0 ? -1 : 1
    let half = Int64(1) << (s - 1)
    if fractional < half { return integral }
    if fractional > half { return integral + sign }
    return integral & 1 != 0 ? integral + sign : integral
  }

  /// The SDK / nncase v0.1 `kpu_carry_shift` and nncase's non-banker `carry_shift`:
  /// (v + 2^(s−1)) >> s, i.e. round half up (towards +∞).
  @inline(__always)
  public static func carryShift(_ v: Int64, _ s: Int) -> Int64 {
    guard s > 0 else { return v << -s }
    return (v + (Int64(1) << (s - 1))) >> s
  }
}
