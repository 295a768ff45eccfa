// Google Benchmark of the schema module over the MCP-shaped bench corpus
// (../shared/bench-corpus/validation-corpus.json): compile time per schema,
// and validation from JSON text to verdict (SAX -> tape -> program), next to
// the nlohmann DOM path (parse_json + validate) for the ratio the issue asks
// about. See README.md beside this file for how it was built and run.

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schema/schema.h"

using namespace mcpw;
using namespace mcpw::schema;

namespace {

struct CorpusCase {
  std::string name;
  json schema;
  std::vector<std::string> valid, invalid;  // instances as JSON text
};

std::vector<CorpusCase> load() {
  std::ifstream in(std::string(MCPW_SHARED_DIR) + "/bench-corpus/validation-corpus.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<CorpusCase> out;
  auto doc = parse_json(ss.str());
  if (!doc) return out;
  for (const auto& c : doc.value()) {
    CorpusCase cc;
    cc.name = std::string(find_string(c, "name").value_or("?"));
    cc.schema = *find_member(c, "schema");
    for (const auto& v : *find_array(c, "valid")) cc.valid.push_back(dump_json(v));
    for (const auto& v : *find_array(c, "invalid")) cc.invalid.push_back(dump_json(v));
    out.push_back(std::move(cc));
  }
  return out;
}

CompileOptions options() {
  CompileOptions o;
  o.format_assertion = true;
  return o;
}

void bm_compile(benchmark::State& state, const CorpusCase* c) {
  for (auto _ : state) {
    auto s = CompiledSchema::compile(c->schema, options());
    benchmark::DoNotOptimize(s.ok());
  }
}

// Text -> verdict through the SAX tape: what an MCP client does with a response body.
void bm_text(benchmark::State& state, const CorpusCase* c, bool valid_set, OutputFormat fmt) {
  auto s = CompiledSchema::compile(c->schema, options());
  const auto& set = valid_set ? c->valid : c->invalid;
  std::size_t bytes = 0;
  for (const auto& t : set) bytes += t.size();
  for (auto _ : state) {
    for (const auto& t : set) {
      auto r = s->validate_text(t, fmt);
      if (!r.ok() || r->valid != valid_set) state.SkipWithError("wrong verdict");
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// Text -> nlohmann DOM -> verdict: the path the issue measured as slow.
void bm_dom(benchmark::State& state, const CorpusCase* c, bool valid_set) {
  auto s = CompiledSchema::compile(c->schema, options());
  const auto& set = valid_set ? c->valid : c->invalid;
  for (auto _ : state) {
    for (const auto& t : set) {
      auto doc = parse_json(t);
      auto r = s->validate(doc.value());
      if (!r.ok() || r->valid != valid_set) state.SkipWithError("wrong verdict");
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.size()));
}

}  // namespace

int main(int argc, char** argv) {
  static const std::vector<CorpusCase> corpus = load();
  if (corpus.empty()) {
    std::fprintf(stderr, "bench corpus not found under %s\n", MCPW_SHARED_DIR);
    return 1;
  }
  for (const auto& c : corpus) {
    benchmark::RegisterBenchmark(("compile/" + c.name).c_str(), bm_compile, &c);
    benchmark::RegisterBenchmark(("text_valid/" + c.name).c_str(), bm_text, &c, true, OutputFormat::flag);
    benchmark::RegisterBenchmark(("text_invalid/" + c.name).c_str(), bm_text, &c, false, OutputFormat::flag);
    benchmark::RegisterBenchmark(("text_invalid_basic/" + c.name).c_str(), bm_text, &c, false, OutputFormat::basic);
    benchmark::RegisterBenchmark(("dom_valid/" + c.name).c_str(), bm_dom, &c, true);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
