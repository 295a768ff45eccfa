#pragma once
// A DFA for the common shape of `pattern` / `patternProperties`: literals,
// classes, `.`, groups, alternation, greedy or lazy quantifiers, `^` at the
// start and `$` at the end of a top-level alternative (2020-12 validation
// §6.3.3; ECMA-262 §22.2 with the `u` flag). For RegExp.prototype.test only a
// verdict is needed, so capture groups and laziness do not matter and a DFA
// over code-point classes decides in one pass, linear in the subject, with
// no step budget. Patterns outside that subset (lookarounds, backreferences,
// \b, \p{...}) or whose automaton would be large get no DFA: the regex
// module's engine runs them. The pattern must already have compiled with the
// regex module (it owns the syntax errors); this only accelerates.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mcpw::schema {

class PatternDfa {
 public:
  /// The DFA of `pattern`, or nothing when the pattern is outside the subset
  /// or its automaton exceeds the size limits.
  static std::optional<PatternDfa> build(std::string_view pattern);

  /// Unanchored search, exactly RegExp.prototype.test with the `u` flag on
  /// the UTF-8 subject (invalid bytes read as U+FFFD, one byte each).
  bool search(std::string_view subject) const;

 private:
  friend class DfaBuilder;
  std::uint8_t ascii_sym_[128] = {};
  std::vector<char32_t> upper_starts_;     // symbol intervals above ASCII: first code point of each
  std::vector<std::uint16_t> upper_syms_;  // and its symbol
  std::uint32_t symbols_ = 0;
  std::vector<std::uint16_t> next_;        // state * symbols_ + symbol -> the next state * symbols_
  std::vector<std::uint8_t> accept_;       // per state: 1 match found, 2 match if at the end
  std::uint16_t dead_ = 0xFFFF;            // a state that can never accept, if any
  std::uint32_t start_row_ = 0;            // the first state * symbols_
  std::uint32_t final_row_ = 0;            // states from here on end a search (match found, or dead)

  std::uint32_t symbol(char32_t cp) const;
};

}  // namespace mcpw::schema
