#pragma once
// `pattern`, `patternProperties` and format "regex" use ECMA-262 regular
// expressions (2020-12 validation §6.3.3, core §6.4). The engine is the regex
// module (never std::regex: it recurses on the subject and is not ECMA-262).

#include <memory>
#include <string_view>

#include "schema/schema.h"
#include "support/result.h"

namespace mcpw::schema {

/// A compiled ECMA-262 pattern, or an error when the engine refuses it.
class Pattern {
 public:
  /// Compiles; SCHEMA_INVALID for a syntax error, SCHEMA_UNSUPPORTED otherwise.
  static Result<Pattern> compile(std::string_view source, const std::shared_ptr<PatternEngine>& engine = nullptr);
  /// True when `source` is an ECMA-262 pattern (format "regex"; nothing kept).
  static bool valid(std::string_view source);
  /// True when searches run on the DFA of pattern_dfa.h (for tests).
  bool accelerated() const;
  /// Unanchored search; SCHEMA_REGEX_BUDGET when the step budget runs out.
  Result<bool> search(std::string_view subject) const;

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

 private:
  struct Impl;
  explicit Pattern(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpw::schema
