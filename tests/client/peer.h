#pragma once
// A scripted HTTP peer for driving client::Session in tests: it takes the
// requests the session emits and feeds answers back, splitting bodies whole,
// one byte at a time, or at random points.

#include <random>
#include <string>
#include <vector>

#include "client/session.h"

namespace mcpw::client::testing {

enum class Split { whole, bytewise, random };

inline std::string sse_event(const std::string& data, const std::string& id = "") {
  std::string out;
  if (!id.empty()) out += "id: " + id + "\n";
  return out + "event: message\ndata: " + data + "\n\n";
}

class Peer {
 public:
  explicit Peer(Split split, SessionConfig config = default_config()) : session(std::move(config)), split_(split) {}

  static SessionConfig default_config() {
    SessionConfig c;
    c.url = "http://127.0.0.1:9/mcp";
    c.headers.emplace_back("Authorization", "Bearer test");
    c.request_timeout_ms = 5000;
    c.listen = false;  // the GET stream has its own tests (listen_test.cpp)
    return c;
  }

  /// default_config() with a static bearer "key-1" (an API key) instead of headers.
  static SessionConfig with_bearer(bool refreshable, transport::Headers headers = {}) {
    SessionConfig c = default_config();
    c.headers = std::move(headers);
    auth::AuthConfig a;
    a.server_url = c.url;
    auth::StaticCredentials s;
    s.bearer = "key-1";
    s.refreshable = refreshable;
    a.static_credentials = s;
    c.auth = a;
    return c;
  }

  std::vector<transport::HttpRequest> take_requests() {
    std::vector<transport::HttpRequest> out;
    while (auto r = session.poll_request()) out.push_back(std::move(*r));
    return out;
  }
  transport::HttpRequest take_one() {
    auto all = take_requests();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? transport::HttpRequest{} : all.front();
  }

  void respond(const transport::HttpRequest& req, int status, const std::string& content_type, const std::string& body,
               transport::Headers extra = {}) {
    transport::HttpResponseHead head;
    head.status = status;
    if (!content_type.empty()) head.headers.emplace_back("Content-Type", content_type);
    for (auto& h : extra) head.headers.push_back(h);
    session.handle_response_head(req.exchange, head, now);
    feed(req.exchange, body);
    session.handle_body_end(req.exchange, now);
  }
  void respond_json(const transport::HttpRequest& req, const json& message, transport::Headers extra = {}) {
    respond(req, 200, "application/json", dump_json(message), std::move(extra));
  }
  void feed(transport::ExchangeId ex, std::string_view body) {
    switch (split_) {
      case Split::whole:
        session.handle_body(ex, body, now);
        break;
      case Split::bytewise:
        for (std::size_t i = 0; i < body.size(); ++i) session.handle_body(ex, body.substr(i, 1), now);
        break;
      case Split::random: {
        std::size_t i = 0;
        while (i < body.size()) {
          std::size_t n = std::min<std::size_t>(std::uniform_int_distribution<std::size_t>(1, 9)(rng_), body.size() - i);
          session.handle_body(ex, body.substr(i, n), now);
          i += n;
        }
      }
    }
  }

  /// What settled; a result kept only as text (a list) gets its DOM parsed
  /// here, so tests read every result the same way.
  std::vector<Settled> settled() {
    std::vector<Settled> out;
    while (auto s = session.poll_settled()) {
      if (s->result.ok() && s->result->is_discarded()) {
        EXPECT_FALSE(s->text.empty()) << "a result with neither a DOM nor text";
        auto dom = parse_ordered_json(s->text);
        EXPECT_TRUE(dom.ok()) << "a result's text is not JSON: " << s->text;
        if (dom.ok()) s->result = std::move(*dom);
      }
      out.push_back(std::move(*s));
    }
    return out;
  }

  static json init_result(const std::string& version = "2025-11-25") {
    return json{{"protocolVersion", version},
                {"capabilities", {{"tools", json::object()}}},
                {"serverInfo", {{"name", "fake"}, {"version", "1.0"}}}};
  }
  static json response(const json& id, const json& result) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
  }
  static json body_of(const transport::HttpRequest& r) { return parse_ordered_json(r.body).value(); }

  /// Runs the whole handshake; returns the connect op's settled result.
  Result<json> handshake(const std::string& version = "2025-11-25", const std::string& session_id = "sess-1") {
    OpId op = session.connect(now);
    auto init = take_one();
    transport::Headers h;
    if (!session_id.empty()) h.emplace_back("Mcp-Session-Id", session_id);
    respond_json(init, response(body_of(init)["id"], init_result(version)), h);
    auto note = take_one();
    respond(note, 202, "", "");
    auto s = settled();
    EXPECT_EQ(s.size(), 1u);
    if (s.empty()) return Error(INVALID_STATE, "not settled");
    EXPECT_EQ(s[0].op, op);
    return std::move(s[0].result);
  }

  Session session;
  std::uint64_t now = 1'000'000;

 private:
  Split split_;
  std::mt19937 rng_{42};
};

}  // namespace mcpw::client::testing
