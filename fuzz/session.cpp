// libFuzzer target: the client session (src/client/session.h) driven by a
// random sequence of host operations (connect, request, list_all, close,
// cancel, reject, time passing) and random server behaviour (answers with the
// right or a wrong id, SSE streams with notifications and server requests,
// error statuses with Retry-After or a session id, bodies cut short, network
// errors, streams left open), bodies fed in chunks the input chooses (the way
// tests/client/peer.h scripts a peer, with the choices made by the input).
// Properties: every operation the host started settles exactly once (nothing
// settles twice, nothing settles that was never started, and after close and
// every deadline all have settled); every request the session emits names a
// new exchange; every abort names an exchange the session issued; a
// server request reported to the host is one it can answer.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "client/session.h"
#include "fuzz/fuzz_util.h"

namespace mcpw::client {
namespace {

constexpr const char* kMethods[] = {"tools/list", "tools/call", "ping", "resources/read", "prompts/list"};
constexpr const char* kVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "1999-01-01", "2026-07-28"};

class Driver {
 public:
  Driver(FuzzedDataProvider& in, SessionConfig config) : in_(in), s_(std::move(config)) {}

  void run() {
    for (int step = 0; step < 48 && in_.remaining_bytes() > 0; ++step) {
      this->step();
      drain();
    }
    // The host ends: close, fail whatever is still open, let every deadline pass.
    started_.insert(s_.close(now_));
    drain();
    for (int round = 0; round < 8 && !open_.empty(); ++round) {
      const transport::ExchangeId ex = open_.begin()->first;
      open_.erase(open_.begin());
      s_.handle_network_error(ex, "host closed", now_);
      drain();
    }
    now_ += 100'000'000;
    s_.handle_timeout(now_);
    drain();
    for (OpId op : started_) MCPW_FUZZ_CHECK(settled_.count(op) == 1, "an operation never settled");
    MCPW_FUZZ_CHECK(s_.pending_operations() == 0, "operations left after close and every deadline");
  }

 private:
  std::string pick_method() { return kMethods[in_.ConsumeIntegralInRange<std::size_t>(0, 4)]; }

  void step() {
    switch (in_.ConsumeIntegralInRange(0, 12)) {
      case 0: started_.insert(s_.connect(now_)); break;
      case 1: {
        json params = json::object();
        if (in_.ConsumeBool()) params["_meta"] = {{"progressToken", in_.ConsumeIntegralInRange(0, 2)}};
        if (in_.ConsumeBool()) params["name"] = "t";
        RequestOptions opt;
        if (in_.ConsumeBool()) opt.timeout_ms = in_.ConsumeIntegralInRange<std::uint64_t>(0, 20'000);
        started_.insert(s_.request(pick_method(), std::move(params), now_, opt));
        break;
      }
      case 2: started_.insert(s_.list_all("tools/list", "tools", json::object(), now_)); break;
      case 3: started_.insert(s_.close(now_)); break;
      case 4: {
        const OpId op = started_.empty() ? 99 : *std::next(started_.begin(), in_.ConsumeIntegralInRange<std::size_t>(0, started_.size() - 1));
        s_.cancel(in_.ConsumeBool() ? op : op + 1000, now_);
        break;
      }
      case 5: started_.insert(s_.reject(Error(INVALID_STATE, "bad arguments"))); break;
      case 6:
        now_ += in_.ConsumeIntegralInRange<std::uint64_t>(0, 70'000);
        s_.handle_timeout(now_);
        break;
      case 7:
      case 8:
      case 9: answer(); break;
      case 10: {
        if (auto* ex = pick_open()) {
          const auto id = ex->first;
          open_.erase(id);
          s_.handle_network_error(id, "reset", now_);
        }
        break;
      }
      case 11: {
        if (server_requests_.empty()) break;
        const std::uint64_t h = server_requests_.front();
        server_requests_.erase(server_requests_.begin());
        if (in_.ConsumeBool()) s_.respond(h, json{{"roots", json::array()}}, now_);
        else s_.respond(h, Error(INVALID_STATE, "no"), now_);
        break;
      }
      case 12: {
        // More bytes on a stream left open, then maybe its end.
        if (auto* ex = pick_open(); ex && ex->second.headed) {
          const auto id = ex->first;
          feed(id, sse_messages(ex->second.request));
          end(id);
        }
        break;
      }
    }
  }

  struct Open {
    transport::HttpRequest request;
    bool headed = false;
  };

  std::pair<const transport::ExchangeId, Open>* pick_open() {
    if (open_.empty()) return nullptr;
    return &*std::next(open_.begin(), in_.ConsumeIntegralInRange<std::size_t>(0, open_.size() - 1));
  }

  json request_id(const transport::HttpRequest& r) {
    auto doc = parse_ordered_json(r.body);
    if (!doc.ok() || !doc->is_object() || !doc->contains("id")) return json(7);
    return (*doc)["id"];
  }
  std::string request_method(const transport::HttpRequest& r) {
    auto doc = parse_ordered_json(r.body);
    if (!doc.ok()) return "";
    return std::string(find_string(*doc, "method").value_or(""));
  }

  json result_for(const transport::HttpRequest& r) {
    const std::string m = request_method(r);
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0:
        if (m == "server/discover")
          return json{{"resultType", "complete"}, {"supportedVersions", json::array({"2026-07-28"})},
                      {"capabilities", {{"tools", json::object()}}}, {"serverInfo", {{"name", "f"}, {"version", "1"}}}};
        return json{{"protocolVersion", kVersions[in_.ConsumeIntegralInRange<std::size_t>(0, 5)]},
                    {"capabilities", {{"tools", json::object()}, {"tools", {{"listChanged", true}}}}},
                    {"serverInfo", {{"name", "fake"}, {"version", "1.0"}}}};
      case 1: {
        json page{{"tools", json::array({json{{"name", "t"}, {"inputSchema", {{"type", "object"}}}}})}};
        if (in_.ConsumeBool()) page["nextCursor"] = std::to_string(in_.ConsumeIntegralInRange(0, 3));
        return page;
      }
      case 2: return json::object();
      case 3: return json{{"resultType", "input_required"}, {"inputRequests", {{"a", {{"method", "roots/list"}}}}}};
      case 4: {
        auto doc = parse_ordered_json(in_.ConsumeRandomLengthString(64));
        return doc.ok() ? *doc : json(nullptr);
      }
      default: return json::array();
    }
  }

  // One JSON-RPC message from the server: the answer to `r` (or to another
  // id), an error, a notification, or a server request.
  std::string message(const transport::HttpRequest& r) {
    json id = request_id(r);
    switch (in_.ConsumeIntegralInRange(0, 7)) {
      case 0:
      case 1: return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result_for(r)}});
      case 2:
        return dump_json(json{{"jsonrpc", "2.0"},
                              {"id", id},
                              {"error", {{"code", in_.ConsumeBool() ? -32601 : -32022}, {"message", "no"},
                                         {"data", {{"supported", json::array({"2025-06-18"})}}}}}});
      case 3:
        return dump_json(json{{"jsonrpc", "2.0"}, {"id", in_.ConsumeIntegralInRange(-1, 40)}, {"result", json::object()}});
      case 4:
        return dump_json(json{{"jsonrpc", "2.0"},
                              {"method", "notifications/progress"},
                              {"params", {{"progressToken", in_.ConsumeIntegralInRange(0, 2)}, {"progress", 1}}}});
      case 5:
        return dump_json(json{{"jsonrpc", "2.0"},
                              {"id", in_.ConsumeIntegralInRange(0, 3)},
                              {"method", in_.ConsumeBool() ? "roots/list" : (in_.ConsumeBool() ? "ping" : "sampling/createMessage")},
                              {"params", json::object()}});
      case 6:
        return dump_json(json{{"jsonrpc", "2.0"}, {"method", "notifications/tools/list_changed"}});
      default: return in_.ConsumeRandomLengthString(48);
    }
  }

  std::string sse_messages(const transport::HttpRequest& r) {
    std::string out;
    const int n = in_.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < n; ++i) {
      if (in_.ConsumeBool()) out += "id: e" + std::to_string(i) + "\n";
      if (in_.ConsumeIntegralInRange(0, 7) == 0) out += "retry: " + std::to_string(in_.ConsumeIntegralInRange(0, 5000)) + "\n";
      if (in_.ConsumeIntegralInRange(0, 5) == 0) {
        out += "event: endpoint\ndata: " + std::string(in_.ConsumeBool() ? "/messages?s=1" : "http://evil.example/x") + "\n\n";
        continue;
      }
      out += "data: " + message(r) + "\n\n";
    }
    if (in_.ConsumeIntegralInRange(0, 5) == 0) out += "data: {\"jsonrpc\":";  // cut mid-event
    return out;
  }

  void answer() {
    auto* ex = pick_open();
    if (!ex) return;
    const transport::ExchangeId id = ex->first;
    Open& o = ex->second;
    if (o.headed) return;
    static constexpr int kStatus[] = {200, 200, 200, 202, 400, 401, 404, 405, 429, 500, 503, 302};
    transport::HttpResponseHead head;
    head.status = kStatus[in_.ConsumeIntegralInRange<std::size_t>(0, 11)];
    const int ct = in_.ConsumeIntegralInRange(0, 3);
    if (ct == 0) head.headers.emplace_back("Content-Type", "application/json");
    if (ct == 1) head.headers.emplace_back("Content-Type", "text/event-stream");
    if (ct == 2) head.headers.emplace_back("Content-Type", "text/plain");
    if (in_.ConsumeIntegralInRange(0, 3) == 0)
      head.headers.emplace_back("Mcp-Session-Id", in_.ConsumeBool() ? "s1" : "s2");
    if (in_.ConsumeIntegralInRange(0, 3) == 0)
      head.headers.emplace_back("Retry-After", std::to_string(in_.ConsumeIntegralInRange(0, 20)));
    if (head.status == 302) head.headers.emplace_back("Location", "http://evil.example/mcp");
    o.headed = true;
    const transport::HttpRequest req = o.request;
    s_.handle_response_head(id, head, now_);
    drain();
    if (!open_.count(id)) return;  // aborted on the head
    std::string body;
    if (ct == 1) body = sse_messages(req);
    else if (head.status == 200 || in_.ConsumeBool()) body = message(req);
    feed(id, body);
    const int ending = in_.ConsumeIntegralInRange(0, 5);
    if (ending <= 3) end(id);
    else if (ending == 4 && open_.count(id)) {
      open_.erase(id);
      s_.handle_network_error(id, "cut", now_);
    }
    // else: the stream stays open.
  }

  void feed(transport::ExchangeId id, std::string_view body) {
    std::size_t i = 0;
    while (i < body.size() && open_.count(id)) {
      const std::size_t n = std::min<std::size_t>(body.size() - i, in_.ConsumeIntegralInRange<std::size_t>(1, 64));
      s_.handle_body(id, body.substr(i, n), now_);
      i += n;
      drain();
    }
  }

  void end(transport::ExchangeId id) {
    if (!open_.count(id)) return;
    open_.erase(id);
    s_.handle_body_end(id, now_);
  }

  void drain() {
    for (int guard = 0; guard < 1000; ++guard) {
      bool any = false;
      while (auto r = s_.poll_request()) {
        any = true;
        MCPW_FUZZ_CHECK(issued_.insert(r->exchange).second, "a request reuses an exchange id");
        open_[r->exchange] = Open{std::move(*r), false};
      }
      while (auto a = s_.poll_abort()) {
        any = true;
        MCPW_FUZZ_CHECK(issued_.count(*a) == 1, "abort of an exchange never issued");
        // An abort of an exchange the host has just ended (a stream that ended
        // without its answer fails, and is aborted) is harmless: hosts ignore
        // aborts of exchanges they no longer hold (bindings/driver.cpp).
        open_.erase(*a);
      }
      while (auto st = s_.poll_settled()) {
        any = true;
        MCPW_FUZZ_CHECK(started_.count(st->op) == 1, "a settled operation the host never started");
        MCPW_FUZZ_CHECK(settled_.insert(st->op).second, "an operation settled twice");
      }
      while (auto sr = s_.poll_server_request()) {
        any = true;
        MCPW_FUZZ_CHECK(sr->method == "roots/list", "a server request the host does not handle");
        server_requests_.push_back(sr->handle);
      }
      while (s_.poll_notification()) any = true;
      while (s_.poll_state_change()) any = true;
      while (s_.poll_trace()) any = true;
      while (s_.poll_auth_effect()) any = true;
      if (!any) return;
    }
    MCPW_FUZZ_CHECK(false, "the session keeps producing effects");
  }

  FuzzedDataProvider& in_;
  Session s_;
  std::uint64_t now_ = 1'000'000;
  std::set<OpId> started_;
  std::set<OpId> settled_;
  std::set<transport::ExchangeId> issued_;
  std::map<transport::ExchangeId, Open> open_;
  std::vector<std::uint64_t> server_requests_;
};

}  // namespace
}  // namespace mcpw::client

using namespace mcpw::client;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  SessionConfig c;
  c.url = "http://127.0.0.1:9/mcp";
  c.headers.emplace_back("Authorization", "Bearer test");
  c.request_timeout_ms = 5000;
  const int neg = in.ConsumeIntegralInRange(0, 2);
  c.negotiation = neg == 0 ? Negotiation::only_2025 : neg == 1 ? Negotiation::modern : Negotiation::automatic;
  c.listen = in.ConsumeBool();
  c.legacy_fallback = in.ConsumeBool();
  c.trace = in.ConsumeBool();
  c.max_list_pages = 4;
  c.handled_server_requests = {"roots/list"};
  Driver(in, std::move(c)).run();
  return 0;
}
