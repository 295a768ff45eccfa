// A dependency-free timing loop over the bench corpus, for builds where Google
// Benchmark is not available (em++ -> Node). Same measurements as
// schema_bench.cpp: compile, and JSON text -> verdict (SAX tape), per case;
// and is_valid_text, the verdict path compileSchema's validate() runs (with
// its early looks at the root object's members). Under Node run it with
// `--no-liftoff`: V8 tiers a Wasm function up on its next call, and main()
// is called once, so loops inlined into it would be timed on the baseline
// compiler (2-3x slower).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schema/schema.h"

using namespace mcpw;
using namespace mcpw::schema;

namespace {

template <class F>
double ns_per_call(F&& f) {
  using clock = std::chrono::steady_clock;
  std::size_t n = 1;
  while (true) {
    const auto t0 = clock::now();
    for (std::size_t i = 0; i < n; ++i) f();
    const double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
    if (ns > 2e8) return ns / static_cast<double>(n);
    n *= 2;
  }
}

}  // namespace

int main() {
  std::ifstream in(std::string(MCPW_SHARED_DIR) + "/bench-corpus/validation-corpus.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = parse_json(ss.str());
  if (!doc) return 1;
  CompileOptions opt;
  opt.format_assertion = true;
  std::printf("%-24s %12s %14s %14s %10s %14s\n", "case", "compile_us", "valid_us/inst", "invalid_us/inst", "MB/s",
              "verdict_us v/i");
  const char* only = std::getenv("ONLY");
  for (const auto& c : doc.value()) {
    if (only && find_string(c, "name").value_or("") != only) continue;
    const json& schema = *find_member(c, "schema");
    std::vector<std::string> valid, invalid;
    for (const auto& v : *find_array(c, "valid")) valid.push_back(dump_json(v));
    for (const auto& v : *find_array(c, "invalid")) invalid.push_back(dump_json(v));
    const double compile_ns = ns_per_call([&] { (void)CompiledSchema::compile(schema, opt).ok(); });
    auto s = CompiledSchema::compile(schema, opt);
    bool wrong = false;
    auto run = [&](const std::vector<std::string>& set, bool expect) {
      return ns_per_call([&] {
               for (const auto& t : set) {
                 auto r = s->validate_text(t);
                 wrong = wrong || !r.ok() || r->valid != expect;
               }
             }) /
             static_cast<double>(set.size());
    };
    const double v = run(valid, true), iv = run(invalid, false);
    auto verdict = [&](const std::vector<std::string>& set, bool expect) {
      return ns_per_call([&] {
               for (const auto& t : set) {
                 auto r = s->is_valid_text(t);
                 wrong = wrong || !r.ok() || r.value() != expect;
               }
             }) /
             static_cast<double>(set.size());
    };
    const double fv = verdict(valid, true), fiv = verdict(invalid, false);
    std::size_t bytes = 0;
    for (const auto& t : valid) bytes += t.size();
    const double mbs = static_cast<double>(bytes) / static_cast<double>(valid.size()) / v * 1e3;
    std::printf("%-24s %12.1f %14.2f %14.2f %10.1f %7.2f/%-6.2f%s\n",
                std::string(find_string(c, "name").value_or("?")).c_str(), compile_ns / 1e3, v / 1e3, iv / 1e3, mbs,
                fv / 1e3, fiv / 1e3, wrong ? "  WRONG VERDICT" : "");
  }
  return 0;
}
