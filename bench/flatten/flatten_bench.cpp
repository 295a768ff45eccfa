// Time to flatten whole public documents natively (issue 6 "Must show"):
// GitHub's REST document (@octokit/openapi, ~1,200 operations) and Kubernetes
// 1.13 (Swagger 2.0, ~1,000 operations). Three steps, each measured alone and
// together the way the JS call does them (bindings/flatten_api.cpp): parse the
// JSON text, flatten, and write the tools (with bindings) as JSON text.
//   build/native-release/bench/flatten/bench_flatten

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "flatten/flatten.h"

namespace {

using namespace mcpw;
using namespace mcpw::flatten;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& github_text() {
  static const std::string t = read_text(std::string(MCPW_FLATTEN_NPM_DIR) + "/@octokit/openapi/generated/api.github.com.json");
  return t;
}
const std::string& kubernetes_text() {
  static const std::string t = read_text(std::string(MCPW_FLATTEN_NPM_DIR) + "/.mcpw-specs/kubernetes-swagger-1.13.json");
  return t;
}

std::string tools_json(const FlattenResult& r) {
  json tools = json::array();
  for (const Tool& t : r.tools) {
    json tool = make_tool_json(t);
    tool["binding"] = make_binding_json(t.binding);
    tools.push_back(std::move(tool));
  }
  return dump_json(tools);
}

bool present(benchmark::State& state, const std::string& text) {
  if (!text.empty()) return true;
  state.SkipWithError("document absent: run scripts/setup (tests/flatten/node_modules)");
  return false;
}

void BM_Parse(benchmark::State& state, const std::string& (*text)()) {
  if (!present(state, text())) return;
  for (auto _ : state) benchmark::DoNotOptimize(parse_json(text()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text().size()));
}

void BM_Flatten(benchmark::State& state, const std::string& (*text)()) {
  if (!present(state, text())) return;
  auto doc = parse_json(text());
  if (!doc) return state.SkipWithError(doc.error().message.c_str());
  std::size_t tools = 0;
  for (auto _ : state) {
    auto r = flatten_openapi(*doc);
    if (!r) return state.SkipWithError(r.error().message.c_str());
    tools = r->tools.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["tools"] = static_cast<double>(tools);
}

void BM_WriteTools(benchmark::State& state, const std::string& (*text)()) {
  if (!present(state, text())) return;
  auto doc = parse_json(text());
  auto r = doc ? flatten_openapi(*doc) : Result<FlattenResult>(doc.error());
  if (!r) return state.SkipWithError(r.error().message.c_str());
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out = tools_json(*r);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["out_MB"] = static_cast<double>(bytes) / 1e6;
}

// What flattenOpenApi(text) does in Wasm, natively: text in, tools JSON out.
void BM_AllSteps(benchmark::State& state, const std::string& (*text)()) {
  if (!present(state, text())) return;
  for (auto _ : state) {
    auto doc = parse_json(text());
    if (!doc) return state.SkipWithError(doc.error().message.c_str());
    auto r = flatten_openapi(*doc);
    if (!r) return state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(tools_json(*r));
  }
}

BENCHMARK_CAPTURE(BM_Parse, github, &github_text)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_Flatten, github, &github_text)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_WriteTools, github, &github_text)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_AllSteps, github, &github_text)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_Flatten, kubernetes_1_13, &kubernetes_text)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BM_AllSteps, kubernetes_1_13, &kubernetes_text)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
