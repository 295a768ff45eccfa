// libFuzzer target: schema compile + validate (src/schema/schema.h).
// The input is a schema and an instance separated by the first NUL byte (no
// JSON text holds a raw NUL); without one, the input is the schema and a fixed
// set of instances is validated. Properties: any schema compiles or fails with
// a schema.* error (never a crash); validating twice gives the same verdict;
// the flag verdict equals the basic-output verdict; basic output has errors
// exactly when invalid; the scanner and nlohmann's SAX reader (two paths from
// text to the instance tape) agree; validating the parsed DOM agrees too.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "schema/schema.h"

using namespace mcpw;
using namespace mcpw::schema;

namespace {

bool same_error_kind(const Error& a, const Error& b) { return a.id == b.id; }
bool in_module(const Error& e, std::string_view prefix) { return std::string_view(e.id.id).starts_with(prefix); }

void check_instance(const CompiledSchema& s, std::string_view instance) {
  JsonLimits limits;
  limits.max_depth = 48;
  auto flag = s.validate_text(instance, OutputFormat::flag, limits);
  auto flag2 = s.validate_text(instance, OutputFormat::flag, limits);
  MCPW_FUZZ_CHECK(flag.ok() == flag2.ok(), "validating twice: a different outcome");
  if (flag.ok()) MCPW_FUZZ_CHECK(flag->valid == flag2->valid, "validating twice: a different verdict");
  if (!flag.ok()) MCPW_FUZZ_CHECK(same_error_kind(flag.error(), flag2.error()), "validating twice: a different error");

  auto basic = s.validate_text(instance, OutputFormat::basic, limits);
  auto sax = s.validate_text(instance, OutputFormat::flag, limits, TextReader::nlohmann_sax);
  if (flag.ok() && basic.ok()) {
    MCPW_FUZZ_CHECK(flag->valid == basic->valid, "flag verdict differs from basic output");
  }
  if (basic.ok()) MCPW_FUZZ_CHECK(basic->valid == basic->errors.empty(), "basic output: errors iff invalid");
  // Flag output may stop early (a budget, a reference cycle) where basic goes
  // on; both readers build the same tape, so their flag results are the same.
  const bool nul = instance.find('\0') != std::string_view::npos;  // documented difference
  if (!nul) {
    MCPW_FUZZ_CHECK(flag.ok() == sax.ok(), "scanner and SAX reader disagree on the text");
    if (!flag.ok()) MCPW_FUZZ_CHECK(same_error_kind(flag.error(), sax.error()), "scanner and SAX reader: other errors");
    if (flag.ok() && sax.ok()) MCPW_FUZZ_CHECK(flag->valid == sax->valid, "scanner and SAX reader: other verdicts");
  }
  if (flag.ok()) {
    auto dom = parse_json(instance, limits);
    if (dom.ok()) {
      auto v = s.validate(*dom);
      if (v.ok()) MCPW_FUZZ_CHECK(v->valid == flag->valid, "DOM and text validation disagree");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string_view schema_text = input.substr(0, nul);
  JsonLimits limits;
  limits.max_depth = 48;
  auto doc = parse_json(schema_text, limits);
  if (!doc.ok()) return 0;
  CompileOptions opt;
  opt.format_assertion = size % 2 == 0;
  opt.content_assertion = size % 3 == 0;
  opt.limits.max_eval_steps = 100'000;
  opt.limits.max_subschemas = 5'000;
  opt.limits.max_instructions = 50'000;
  opt.resolver = [](std::string_view) -> Result<std::string> { return std::string(R"({"type":"string"})"); };
  auto s = CompiledSchema::compile(*doc, opt);
  auto s2 = CompiledSchema::compile(*doc, opt);
  MCPW_FUZZ_CHECK(s.ok() == s2.ok(), "compiling twice: a different outcome");
  if (!s.ok()) {
    MCPW_FUZZ_CHECK(in_module(s.error(), "schema.") || in_module(s.error(), "json."),
                    "compile error outside schema.*");
    return 0;
  }
  if (nul != std::string_view::npos) {
    check_instance(*s, input.substr(nul + 1));
    return 0;
  }
  static const char* const instances[] = {
      "null", "true", "0", "-1.5", "1e300", "\"\"", "\"2020-01-01\"", "\"a@b.co\"", "[]", "[1,\"a\",[null],{}]",
      "{}", R"({"a":1,"b":[1,2,2],"c":{"d":"x"}})", R"([[[[[[1]]]]]])", R"({"foo":{"foo":{"foo":null}}})"};
  for (const char* inst : instances) check_instance(*s, inst);
  return 0;
}
