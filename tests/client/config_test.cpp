#include "client/config.h"

#include <gtest/gtest.h>

namespace mcpw::client {
namespace {

TEST(Config, ReadsEveryOption) {
  auto c = parse_session_config(parse_ordered_json(R"({"url":"https://h/mcp","headers":{"Authorization":"Bearer k"},
      "clientInfo":{"name":"app","version":"2"},"capabilities":{"roots":{}},"timeoutMs":1500,
      "protocolVersion":"2025-06-18","maxBodyBytes":1024})").value());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->url, "https://h/mcp");
  ASSERT_EQ(c->headers.size(), 1u);
  EXPECT_EQ(c->headers[0].second, "Bearer k");
  EXPECT_EQ(c->identity.client_info["name"], "app");
  EXPECT_TRUE(c->identity.capabilities.contains("roots"));
  EXPECT_EQ(c->request_timeout_ms, 1500u);
  EXPECT_EQ(c->identity.protocol_version, "2025-06-18");
  EXPECT_EQ(c->body_limits.max_body_bytes, 1024u);
}

TEST(Config, DefaultsAndNulls) {
  auto c = parse_session_config(parse_ordered_json(R"({"url":"http://127.0.0.1:1/","headers":null,"timeoutMs":null})").value());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->identity.protocol_version, "2025-11-25");
  EXPECT_EQ(c->request_timeout_ms, 60000u);
}

TEST(Config, RejectsBadOptionsWithLocalErrors) {
  for (const char* bad : {R"([])", R"({})", R"({"url":"ftp://x"})", R"({"url":"http://x","headers":[]})",
                          R"({"url":"http://x","headers":{"a":1}})", R"({"url":"http://x","headers":{"a":"b\r\nc: d"}})",
                          R"({"url":"http://x","timeoutMs":0})", R"({"url":"http://x","timeoutMs":"5"})",
                          R"({"url":"http://x","protocolVersion":"2030-01-01"})",
                          R"({"url":"http://x","clientInfo":{"name":"n"}})"}) {
    auto c = parse_session_config(parse_ordered_json(bad).value());
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_TRUE(c.error().is(INVALID_ARGUMENT));
    EXPECT_EQ(c.error().kind(), ErrorKind::local);
  }
}

TEST(Config, HandlersAndRequestOptions) {
  auto c = parse_session_config(
      parse_ordered_json(R"({"url":"http://x/","handlers":["roots/list","elicitation/create"],"maxTotalTimeoutMs":9})").value());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->handled_server_requests.count("roots/list"), 1u);
  EXPECT_EQ(c->max_total_timeout_ms, 9u);
  EXPECT_FALSE(parse_session_config(parse_ordered_json(R"({"url":"http://x/","handlers":[1]})").value()).ok());
  auto o = parse_request_options(parse_ordered_json(R"({"timeoutMs":5,"resetTimeoutOnProgress":false})").value());
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->timeout_ms, 5u);
  EXPECT_FALSE(o->reset_timeout_on_progress);
  EXPECT_FALSE(o->max_total_timeout_ms.has_value());
  EXPECT_TRUE(parse_request_options(json()).ok());
  EXPECT_FALSE(parse_request_options(parse_ordered_json(R"({"timeoutMs":-1})").value()).ok());
}

TEST(Session, RejectSettlesAtOnce) {
  Session s(SessionConfig{});
  OpId op = s.reject(Error(INVALID_ARGUMENT, "params are not JSON"));
  auto settled = s.poll_settled();
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->op, op);
  EXPECT_TRUE(settled->result.error().is(INVALID_ARGUMENT));
  EXPECT_EQ(s.pending_operations(), 0u);
}

}  // namespace
}  // namespace mcpw::client
