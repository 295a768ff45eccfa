// libFuzzer target for compile + evaluate: any JSON text taken as a schema
// must compile or fail with an error value, never abort; a compiled schema
// must validate a handful of instances without aborting, with the same
// verdict in flag and basic output, and errors exactly when invalid.
// Built by hand, like scan_fuzz.cpp (README.md).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "schema/schema.h"

using namespace mcpw;
using namespace mcpw::schema;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonLimits limits;
  limits.max_depth = 48;
  auto doc = parse_json(text, limits);
  if (!doc.ok()) return 0;
  CompileOptions opt;
  opt.format_assertion = size % 2 == 0;
  opt.limits.max_eval_steps = 200'000;
  opt.resolver = [](std::string_view) -> Result<std::string> { return std::string(R"({"type":"string"})"); };
  auto s = CompiledSchema::compile(doc.value(), opt);
  if (!s.ok()) return 0;
  static const char* const instances[] = {
      "null", "true", "0", "-1.5", "1e300", "\"\"", "\"2020-01-01\"", "\"a@b.co\"", "[]", "[1,\"a\",[null],{}]",
      "{}", R"({"a":1,"b":[1,2,2],"c":{"d":"x"}})", R"([[[[[[1]]]]]])", R"({"foo":{"foo":{"foo":null}}})"};
  for (const char* inst : instances) {
    auto flag = s->validate_text(inst);
    auto basic = s->validate_text(inst, OutputFormat::basic);
    // Flag output may stop before a keyword that basic output goes on to hit
    // (e.g. a reference cycle), so only results that both have are compared.
    if (!flag.ok() || !basic.ok()) continue;
    if (flag->valid != basic->valid) std::abort();
    if (basic->valid != basic->errors.empty()) std::abort();
  }
  return 0;
}
