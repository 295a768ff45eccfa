#pragma once
// Shared helpers for the regex tests.

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "regex/regex.h"

namespace mcpw::regex::testing {

/// "match", "no match", or the error id (e.g. "regex.syntax").
inline std::string outcome(std::string_view pattern, std::string_view subject, const RegexLimits& limits = {}) {
  Result<Regex> re = Regex::compile(pattern, limits);
  if (!re) return re.error().id.id;
  Result<bool> m = re->search(subject);
  if (!m) return m.error().id.id;
  return *m ? "match" : "no match";
}

/// Compiles (must succeed) and searches (must not error).
inline bool matches(std::string_view pattern, std::string_view subject) { return outcome(pattern, subject) == "match"; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mcpw::regex::testing
