#include "schema/pattern.h"

#include <optional>
#include <string>

#include "schema/pattern_dfa.h"
#include "schema/schema.h"
#if MCPW_SCHEMA_HAS_REGEX
#include "regex/regex.h"
#endif
#include "support/size_opt.h"

namespace mcpw::schema {

#if MCPW_SCHEMA_HAS_REGEX
struct Pattern::Impl {
  std::optional<regex::Regex> re;
  std::shared_ptr<PatternEngine> engine;
  std::uint32_t handle = 0;
  std::optional<PatternDfa> dfa;  // the common shapes: one linear pass, no budget
};

MCPW_MINSIZE Result<Pattern> Pattern::compile(std::string_view source, const std::shared_ptr<PatternEngine>& engine) {
  if (engine) {
    auto h = engine->compile(source);
    if (!h) return Error(SCHEMA_INVALID, "pattern: " + h.error().message);
    return Pattern(std::unique_ptr<Impl>(new Impl{std::nullopt, engine, h.value(), std::nullopt}));
  }
  auto re = regex::Regex::compile(source);
  if (!re) {
    const Error& e = re.error();
    const ErrorId id = e.is(regex::REGEX_SYNTAX) ? SCHEMA_INVALID : SCHEMA_UNSUPPORTED;
    return Error(id, "pattern: " + e.message);
  }
  return Pattern(std::unique_ptr<Impl>(new Impl{std::move(re.value()), nullptr, 0, PatternDfa::build(source)}));
}

bool Pattern::valid(std::string_view source) { return regex::Regex::compile(source).ok(); }

bool Pattern::accelerated() const { return impl_->dfa.has_value(); }

Result<bool> Pattern::search(std::string_view subject) const {
  if (impl_->dfa) return impl_->dfa->search(subject);
  auto r = impl_->engine ? impl_->engine->search(impl_->handle, subject) : impl_->re->search(subject);
  if (!r) return Error(SCHEMA_REGEX_BUDGET, "pattern: " + r.error().message);
  return r.value();
}
#else
// Built without the regex module: patterns need an injected engine, else
// they are refused at compile time (never silently skipped).
struct Pattern::Impl {
  std::shared_ptr<PatternEngine> engine;
  std::uint32_t handle = 0;
};

Result<Pattern> Pattern::compile(std::string_view source, const std::shared_ptr<PatternEngine>& engine) {
  if (!engine) return Error(SCHEMA_UNSUPPORTED, "pattern: built without the regex engine");
  auto h = engine->compile(source);
  if (!h) return Error(SCHEMA_INVALID, "pattern: " + h.error().message);
  return Pattern(std::unique_ptr<Impl>(new Impl{engine, h.value()}));
}

bool Pattern::valid(std::string_view) { return false; }

bool Pattern::accelerated() const { return false; }

Result<bool> Pattern::search(std::string_view subject) const {
  auto r = impl_->engine->search(impl_->handle, subject);
  if (!r) return Error(SCHEMA_REGEX_BUDGET, "pattern: " + r.error().message);
  return r.value();
}
#endif

Pattern::Pattern(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

}  // namespace mcpw::schema
