// Google Benchmark of client::Session's own work per tools/call: the request
// in (its params as the host's JSON text, parsed as bindings/driver.cpp does),
// the HTTP request out, the answer's head, body and end in, the settled
// result out. No I/O, no Wasm boundary: what the core costs natively, beside
// bench/node/client-cpu.mjs's figure for the whole client in a runtime.

#include <benchmark/benchmark.h>

#include <string>

#include "client/session.h"

using namespace mcpw;
using namespace mcpw::client;

namespace {

transport::HttpResponseHead json_head(const char* session_id = nullptr) {
  transport::HttpResponseHead head;
  head.status = 200;
  head.headers.emplace_back("content-type", "application/json");
  if (session_id) head.headers.emplace_back("mcp-session-id", session_id);
  return head;
}

// The request's JSON-RPC id (the session numbers them from its own counter).
std::string rpc_id(const transport::HttpRequest& r) {
  auto body = parse_ordered_json(r.body);
  return body.ok() ? dump_json((*body)["id"]) : "0";
}

// A connected session (the 2025-11-25 handshake) and the next request id.
std::int64_t connect(Session& s, std::uint64_t now) {
  s.connect(now);
  auto init = s.poll_request();
  const std::string id = rpc_id(*init);
  const std::string answer = R"({"jsonrpc":"2.0","id":)" + id +
                             R"(,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},)"
                             R"("serverInfo":{"name":"bench","version":"1"}}})";
  s.handle_response_head(init->exchange, json_head("bench-session"), now);
  s.handle_body(init->exchange, answer, now);
  s.handle_body_end(init->exchange, now);
  auto note = s.poll_request();
  transport::HttpResponseHead accepted;
  accepted.status = 202;
  s.handle_response_head(note->exchange, accepted, now);
  s.handle_body_end(note->exchange, now);
  while (s.poll_settled()) {
  }
  return std::stoll(id) + 1;
}

void BM_CallCycle(benchmark::State& state) {
  SessionConfig config;
  config.url = "http://127.0.0.1:9/mcp";
  config.listen = false;
  Session s(std::move(config));
  std::uint64_t now = 1000;
  std::int64_t next_id = connect(s, now);
  const std::string params_text = R"({"name":"echo","arguments":{"text":"hello"}})";
  for (auto _ : state) {
    auto params = parse_ordered_json(params_text);
    s.request("tools/call", std::move(*params), now, {}, params_text);
    auto req = s.poll_request();
    const std::string answer = R"({"jsonrpc":"2.0","id":)" + std::to_string(next_id++) +
                               R"(,"result":{"content":[{"type":"text","text":"hello"}]}})";
    s.handle_response_head(req->exchange, json_head(), now);
    s.handle_body(req->exchange, answer, now);
    s.handle_body_end(req->exchange, now);
    auto settled = s.poll_settled();
    if (!settled || !settled->result.ok()) state.SkipWithError("the call did not settle with a result");
    benchmark::DoNotOptimize(settled);
    ++now;
  }
}
BENCHMARK(BM_CallCycle);

}  // namespace

BENCHMARK_MAIN();
