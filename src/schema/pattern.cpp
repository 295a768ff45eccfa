#include "schema/pattern.h"

#include <string>

#include "schema/schema.h"
#if MCPW_SCHEMA_HAS_REGEX
#include "regex/regex.h"
#endif

namespace mcpw::schema {

#if MCPW_SCHEMA_HAS_REGEX
struct Pattern::Impl {
  regex::Regex re;
};

Result<Pattern> Pattern::compile(std::string_view source) {
  auto re = regex::Regex::compile(source);
  if (!re) {
    const Error& e = re.error();
    const ErrorId id = e.is(regex::REGEX_SYNTAX) ? SCHEMA_INVALID : SCHEMA_UNSUPPORTED;
    return Error(id, "pattern: " + e.message);
  }
  return Pattern(std::unique_ptr<Impl>(new Impl{std::move(re.value())}));
}

Result<bool> Pattern::search(std::string_view subject) const {
  auto r = impl_->re.search(subject);
  if (!r) return Error(SCHEMA_REGEX_BUDGET, "pattern: " + r.error().message);
  return r.value();
}
#else
// Built without the regex module: every pattern is refused at compile time,
// so a schema never silently skips a `pattern` it cannot check.
struct Pattern::Impl {};

Result<Pattern> Pattern::compile(std::string_view /*source*/) {
  return Error(SCHEMA_UNSUPPORTED, "pattern: built without the regex engine");
}

Result<bool> Pattern::search(std::string_view /*subject*/) const {
  return Error(SCHEMA_UNSUPPORTED, "pattern: built without the regex engine");
}
#endif

Pattern::Pattern(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

}  // namespace mcpw::schema
