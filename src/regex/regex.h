#pragma once
// ECMA-262 regular expressions (the dialect JSON Schema's `pattern` and
// `patternProperties` use: JSON Schema 2020-12 validation §6.3.3 / core §6.4),
// with `u`-flag semantics over UTF-8 subjects. Matching never recurses on the
// input and is bounded by a step budget, so no pattern and no subject can
// exhaust the stack or hang the Wasm instance.

#include <cstddef>
#include <memory>
#include <string_view>

#include "support/result.h"

namespace mcpw::regex {

inline constexpr ErrorId REGEX_SYNTAX{"regex.syntax", ErrorKind::remote};            // not an ECMA-262 pattern
inline constexpr ErrorId REGEX_UNSUPPORTED{"regex.unsupported", ErrorKind::remote};  // valid, not implemented
inline constexpr ErrorId REGEX_TOO_LARGE{"regex.too_large", ErrorKind::remote};      // pattern over the size limit
inline constexpr ErrorId REGEX_STEP_LIMIT{"regex.step_limit", ErrorKind::remote};    // match ran out of budget

/// Patterns without backreferences and lookarounds run on a Pike VM, which is
/// linear in the subject (at most instructions x (code points + 1) steps), so
/// it gets this many times `max_steps`: only a huge {n,m} expansion over a
/// very long subject can exhaust it. The backtracking VM (backreferences,
/// lookarounds) gets `max_steps` itself. See matcher.cpp.
inline constexpr std::size_t PIKE_STEP_FACTOR = 64;

/// Limits for compiling and matching one pattern.
struct RegexLimits {
  std::size_t max_pattern_bytes = 16 * 1024;
  std::size_t max_steps = 1'000'000;  // per search() call
};

/// A compiled, immutable, reusable pattern (ECMA-262 §22.2, `u` flag).
class Regex {
 public:
  /// Compiles `pattern` (UTF-8). Errors: REGEX_SYNTAX, REGEX_UNSUPPORTED, REGEX_TOO_LARGE.
  // What is accepted is what Node 20's `new RegExp(p, 'u')` accepts (the strict
  // Unicode-mode grammar), checked by tests/regex/differential_test.cpp.
  // REGEX_UNSUPPORTED: ES2025 inline modifiers `(?i:...)` (no flags exist in
  // JSON Schema). REGEX_TOO_LARGE also covers more than 1000 nested groups and
  // {n,m} expansions over 100,000 instructions. Invalid UTF-8 in a pattern is
  // REGEX_SYNTAX.
  static Result<Regex> compile(std::string_view pattern, const RegexLimits& limits = {});

  /// True when the pattern matches anywhere in `subject` (like RegExp.prototype.test,
  /// unanchored). Error REGEX_STEP_LIMIT when the budget runs out.
  // The subject is decoded as UTF-8 code points (astral ones are one
  // character); each byte of invalid UTF-8 reads as one U+FFFD, so it is
  // matched by `.`, `[^a]`, `\S`, `\u{FFFD}` and never crashes a search.
  // Thread-safe: search() keeps its scratch state on its own stack frame.
  Result<bool> search(std::string_view subject) const;

  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

 private:
  struct Program;
  explicit Regex(std::unique_ptr<const Program> program, RegexLimits limits);
  std::unique_ptr<const Program> program_;
  RegexLimits limits_;
};

}  // namespace mcpw::regex
