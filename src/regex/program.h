#pragma once
// The compiled form of a pattern: a flat instruction list shared by both
// matchers (see matcher.cpp for which one runs), plus the character classes.
// Jumps are RELATIVE (target = pc + offset) so the compiler can copy a
// quantified atom's code verbatim when it expands {n,m}.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.h"

namespace mcpw::regex::detail {

enum class Op : std::uint8_t {
  Char,        // a: code point; forward
  CharBack,    // same, reading backward (inside lookbehind)
  Class,       // a: class index
  ClassBack,
  Split,       // try pc+a first, then pc+b
  Jmp,         // pc+a
  Save,        // a: capture slot (2*group, 2*group+1)
  Mark,        // a: register <- pos (start of a loop iteration)
  Check,       // a: fail when pos == register (ECMA: empty iteration fails)
  Reset,       // clear capture slots [a, b) (ECMA RepeatMatcher step 4)
  Bol,         // ^ (no multiline flag in JSON Schema)
  Eol,         // $
  WordB,       // \b (ASCII word characters)
  NotWordB,    // \B
  BackRef,     // a: group
  BackRefBack,
  Look,        // a: LookKind, b: offset of the instruction after LookEnd
  LookEnd,
  Match,
};

enum LookKind : std::int32_t { AHEAD = 0, AHEAD_NOT = 1, BEHIND = 2, BEHIND_NOT = 3 };

struct Inst {
  Op op;
  std::int32_t a = 0;
  std::int32_t b = 0;
};

struct Range {
  char32_t lo;
  char32_t hi;
};

/// A set of code points: sorted disjoint ranges plus an ASCII bitmap.
struct CharClass {
  std::uint64_t ascii[2] = {0, 0};
  std::uint32_t first = 0;  // into ProgramData::ranges
  std::uint32_t count = 0;
};

struct ProgramData {
  std::vector<Inst> code;
  std::vector<CharClass> classes;
  std::vector<Range> ranges;
  std::uint32_t groups = 1;     // capture groups incl. group 0
  std::uint32_t registers = 0;  // Mark/Check registers
  bool needs_backtracking = false;  // has BackRef or Look
  bool anchored_start = false;      // every match must start at offset 0

  bool class_has(std::uint32_t idx, char32_t cp) const;
};

/// Hard limits of the compiler (beyond RegexLimits::max_pattern_bytes).
inline constexpr std::size_t MAX_NESTING = 1000;         // open groups at once
inline constexpr std::size_t MAX_INSTRUCTIONS = 100000;  // after {n,m} expansion

/// Parses and compiles `pattern` (ECMA-262 §22.2.1 with the `u` flag).
Result<ProgramData> compile_pattern(std::string_view pattern);

/// Sorts, merges, and optionally complements (over U+0000..U+10FFFF).
void normalize_ranges(std::vector<Range>& r, bool negate);

}  // namespace mcpw::regex::detail

namespace mcpw::regex::detail {

/// Runs an unanchored search (see matcher.cpp). Error REGEX_STEP_LIMIT when
/// more than `max_steps` instruction visits were needed.
Result<bool> run_search(const ProgramData& prog, std::string_view subject, std::size_t max_steps);

}  // namespace mcpw::regex::detail
