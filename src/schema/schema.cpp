#include "schema/schema.h"

#include <algorithm>
#include <memory>

#include "schema/compiler.h"
#include "schema/evaluate.h"
#include "schema/evaluator.h"
#include "support/size_opt.h"

namespace mcpw::schema {

namespace {

// Nesting depth without recursion: nlohmann's copy and our walks must never
// see a schema deeper than the limit.
bool deeper_than(const json& root, std::size_t limit) {
  std::vector<std::pair<const json*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (d > limit) return true;
    if (v->is_object() || v->is_array()) {
      for (const auto& c : *v) {
        if (c.is_object() || c.is_array()) stack.emplace_back(&c, d + 1);
      }
    }
  }
  return false;
}

// The tape of text validations is reused per thread: its buffers keep their
// capacity between calls (up to a bound), so validating a small instance
// allocates nothing. A nested call (an injected engine validating from its
// callback) gets a fresh tape.
class ScratchTape {
 public:
  ScratchTape() : own_(busy_ ? std::make_unique<Tape>() : nullptr), tape_(own_ ? *own_ : cached_) {
    if (!own_) busy_ = true;
  }
  ~ScratchTape() {
    if (own_) return;
    busy_ = false;
    if (cached_.nodes.capacity() > (1u << 16)) decltype(cached_.nodes)().swap(cached_.nodes);
    if (cached_.arena.capacity() > (4u << 20)) std::string().swap(cached_.arena);
  }
  Tape& get() { return tape_; }

 private:
  static thread_local Tape cached_;
  static thread_local bool busy_;
  std::unique_ptr<Tape> own_;  // only for a nested call (a Tape member was built and destroyed on every call)
  Tape& tape_;
};
thread_local Tape ScratchTape::cached_;
thread_local bool ScratchTape::busy_ = false;

}  // namespace

MCPW_MINSIZE Result<CompiledSchema> CompiledSchema::compile(const json& schema, const CompileOptions& options) {
  if (!schema.is_object() && !schema.is_boolean()) {
    return Error(SCHEMA_INVALID, "a schema must be an object or a boolean");
  }
  if (deeper_than(schema, options.limits.max_schema_depth)) {
    return Error(SCHEMA_TOO_LARGE, "schema nested deeper than " + std::to_string(options.limits.max_schema_depth));
  }
  Compiler compiler(options);
  auto program = compiler.run(schema);
  if (!program) return program.take_error();
  return CompiledSchema(std::shared_ptr<const Program>(std::move(program.value())));
}

Result<ValidationOutput> CompiledSchema::validate(const json& instance, OutputFormat format) const {
  Tape tape;
  if (Status st = build_tape_from_json(instance, program_->limits.max_instance_depth, tape); !st) {
    return st.take_error();
  }
  ValidationOutput out;
  if (Status st = evaluate(*program_, tape, format, out); !st) return st.take_error();
  return out;
}

Result<ValidationOutput> CompiledSchema::validate_text(std::string_view text, OutputFormat format,
                                                       const JsonLimits& limits, TextReader reader) const {
  ScratchTape scratch;
  Tape& tape = scratch.get();
  Status read = reader == TextReader::scanner ? scan_tape_from_text(text, limits, tape)
                                              : build_tape_from_text(text, limits, tape);
  if (!read) return read.take_error();
  ValidationOutput out;
  if (Status st = evaluate(*program_, tape, format, out); !st) return st.take_error();
  return out;
}

// With a probe where the root schema has one (RootMemberProbe): a root
// member that fails ends the read early, and the members it passed are not
// evaluated again.
Result<bool> CompiledSchema::is_valid_text(std::string_view text, const JsonLimits& limits, std::size_t first_look) const {
  ScratchTape scratch;
  Tape& tape = scratch.get();
  detail::RootMemberProbe probe(*program_, tape);
  // A look costs a call out of the scanner's loop (all its state saved and
  // restored): the first comes a quarter of the way in at the earliest, and
  // none with under MIN_REST bytes after it (so no probe for a short text).
  probe.next_at = first_look == 0 ? 0 : std::max(first_look, text.size() / 4);
  const bool looks = program_->root_props != NONE && !text.empty() &&
                     (first_look == 0 || text.size() >= probe.next_at + MemberProbe::MIN_REST);
  if (Status read = scan_tape_from_text(text, limits, tape, looks ? &probe : nullptr); !read) return read.take_error();
  if (probe.failed) return false;
  return probe.verdict();
}

Result<bool> CompiledSchema::is_valid_tape(const Tape& tape, std::uint32_t node) const {
  if (node >= tape.nodes.size()) return Error(INVALID_ARGUMENT, "no such tape node");
  ValidationOutput out;
  if (Status st = evaluate(*program_, tape, OutputFormat::flag, out, node); !st) return st.take_error();
  return out.valid;
}

std::size_t CompiledSchema::subschema_count() const { return program_->schemas.size(); }
std::size_t CompiledSchema::instruction_count() const { return program_->instrs.size(); }

CompiledSchema::CompiledSchema(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
CompiledSchema::CompiledSchema(CompiledSchema&&) noexcept = default;
CompiledSchema& CompiledSchema::operator=(CompiledSchema&&) noexcept = default;
CompiledSchema::~CompiledSchema() = default;

json make_basic_output(const ValidationOutput& output) {
  json out = json::object();
  out["valid"] = output.valid;
  if (!output.valid) {
    json errors = json::array();
    for (const auto& e : output.errors) {
      errors.push_back(json{{"keywordLocation", e.keyword_location},
                            {"instanceLocation", e.instance_location},
                            {"error", e.message}});
    }
    out["errors"] = std::move(errors);
  }
  return out;
}

}  // namespace mcpw::schema
