// Regex: compile once (compiler.cpp), search many times (matcher.cpp).
#include "regex/regex.h"

#include <utility>

#include "regex/program.h"
#include "support/size_opt.h"

namespace mcpw::regex {

struct Regex::Program : detail::ProgramData {
  explicit Program(detail::ProgramData&& d) : detail::ProgramData(std::move(d)) {}
};

Regex::Regex(std::unique_ptr<const Program> program, RegexLimits limits)
    : program_(std::move(program)), limits_(limits) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

MCPW_MINSIZE Result<Regex> Regex::compile(std::string_view pattern, const RegexLimits& limits) {
  if (pattern.size() > limits.max_pattern_bytes) {
    return Error(REGEX_TOO_LARGE, "regex: pattern is " + std::to_string(pattern.size()) + " bytes, over the limit of " +
                                      std::to_string(limits.max_pattern_bytes));
  }
  Result<detail::ProgramData> data = detail::compile_pattern(pattern);
  if (!data) return data.take_error();
  return Regex(std::make_unique<const Program>(std::move(data.value())), limits);
}

Result<bool> Regex::search(std::string_view subject) const {
  if (!program_) return Error(INVALID_STATE, "regex: search on a moved-from Regex");
  return detail::run_search(*program_, subject, limits_.max_steps);
}

}  // namespace mcpw::regex
