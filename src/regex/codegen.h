#pragma once
// Code generation helpers for the compiler: joining alternatives and
// expanding quantifiers over relative-jump code fragments (program.h).

#include <cstdint>
#include <limits>
#include <vector>

#include "regex/program.h"

namespace mcpw::regex::detail {

using Code = std::vector<Inst>;
inline constexpr std::uint32_t INF = std::numeric_limits<std::uint32_t>::max();

/// Can `code` (a self-contained fragment) finish without consuming input?
bool can_match_empty(const Code& code);

/// A | B | C  ->  Split(A, next) A Jmp(end) Split(B, next) B Jmp(end) C.
Code join_alternatives(const std::vector<Code>& alts);

/// One quantifier (ECMA-262 §22.2.2.3.1 RepeatMatcher).
struct Repeat {
  std::uint32_t lo = 0, hi = 0;  // hi == INF: unbounded
  bool greedy = true;
  bool reset = false;            // clear the atom's captures each iteration
  std::uint32_t groups_lo = 0, groups_hi = 0;
  bool check = false;            // the atom can match empty: fail empty iterations
  std::int32_t reg = 0;          // register for that check
};

/// Expands atom{lo,hi}: lo plain copies, then (hi - lo) optional ones (or a
/// loop). The caller bounds the size first.
Code expand_repeat(const Code& atom, const Repeat& r);

}  // namespace mcpw::regex::detail
