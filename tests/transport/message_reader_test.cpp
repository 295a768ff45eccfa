#include "transport/message_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mcpw::transport {
namespace {

HttpResponseHead head(int status, std::string content_type) {
  HttpResponseHead h;
  h.status = status;
  if (!content_type.empty()) h.headers.emplace_back("Content-Type", std::move(content_type));
  return h;
}

std::vector<std::string> read_all(MessageReader& r, std::string_view body, std::size_t chunk) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < body.size(); i += chunk) {
    EXPECT_TRUE(r.feed(body.substr(i, chunk)).ok());
    while (auto m = r.poll_message()) out.push_back(*m);
  }
  EXPECT_TRUE(r.finish().ok());
  while (auto m = r.poll_message()) out.push_back(*m);
  return out;
}

TEST(MessageReader, JsonBodyIsOneMessageAtTheEnd) {
  const std::string body = R"({"jsonrpc":"2.0","id":1,"result":{}})";
  for (std::size_t chunk : {body.size(), std::size_t{1}, std::size_t{5}}) {
    auto r = MessageReader::for_response(head(200, "Application/JSON; charset=utf-8"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->mode(), BodyMode::json);
    auto msgs = read_all(*r, body, chunk);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0], body);
  }
}

TEST(MessageReader, SseEventsAreMessagesAndPrimingEventsAreSkipped) {
  const std::string body =
      "id: 0\nretry: 500\ndata:\n\n"
      "event: message\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n"
      "event: other\ndata: ignored\n\n"
      "id: 2\ndata: {\"jsonrpc\":\"2.0\",\r\ndata: \"id\":1,\"result\":{}}\r\n\r\n";
  for (std::size_t chunk : {body.size(), std::size_t{1}, std::size_t{3}}) {
    auto r = MessageReader::for_response(head(200, "text/event-stream"));
    ASSERT_TRUE(r.ok());
    auto msgs = read_all(*r, body, chunk);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[1], "{\"jsonrpc\":\"2.0\",\n\"id\":1,\"result\":{}}");
    EXPECT_EQ(r->sse().last_event_id(), "2");
    EXPECT_EQ(r->sse().retry_ms(), 500u);
  }
}

TEST(MessageReader, AcceptedHasNoMessages) {
  auto r = MessageReader::for_response(head(202, ""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->mode(), BodyMode::empty);
  EXPECT_TRUE(read_all(*r, "ignored body", 4).empty());
}

TEST(MessageReader, UnknownContentTypeIsATypedError) {
  for (const char* ct : {"text/html", "", "application/jsonx"}) {
    auto r = MessageReader::for_response(head(200, ct));
    ASSERT_FALSE(r.ok()) << ct;
    EXPECT_TRUE(r.error().is(TRANSPORT_CONTENT_TYPE));
  }
}

TEST(MessageReader, BodyLimit) {
  BodyLimits lim{8};
  auto r = MessageReader::for_response(head(200, "application/json"), lim);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->feed("12345").ok());
  auto st = r->feed("6789");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(TRANSPORT_BODY_TOO_LARGE));
}

TEST(Http, HeaderHelpers) {
  Headers h{{"Mcp-Session-Id", "abc"}, {"content-type", "text/event-stream"}};
  EXPECT_EQ(find_header(h, "mcp-session-id"), "abc");
  EXPECT_EQ(find_header(h, "x"), std::nullopt);
  EXPECT_EQ(media_type("  Text/Event-Stream ; charset=x"), "text/event-stream");
  EXPECT_TRUE(iequals("MCP-Protocol-Version", "mcp-protocol-version"));
  EXPECT_FALSE(iequals("a", "ab"));
}

}  // namespace
}  // namespace mcpw::transport

namespace mcpw::transport {
namespace {

// spec: RFC 9110 §10.2.3 Retry-After = HTTP-date / delay-seconds
TEST(Http, RetryAfter) {
  const std::uint64_t now = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("120", now), 120000u);
  EXPECT_EQ(parse_retry_after(" 0 ", now), 0u);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 0u);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), 30000u);
  EXPECT_EQ(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now), 0u);  // past
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 5000), 0u);
  EXPECT_EQ(parse_retry_after("Wed, 25 Nov 2026 09:00:10 GMT", 1795597200000), 10000u);
  for (const char* bad : {"", "soon", "-5", "1.5", "12345678901", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 36 Nov 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mcpw::transport

namespace mcpw::transport {
namespace {

TEST(Http, ResolveSameOrigin) {
  const char* base = "http://127.0.0.1:8080/mcp/sse?x=1";
  EXPECT_EQ(resolve_same_origin(base, "/messages?sessionId=a"), "http://127.0.0.1:8080/messages?sessionId=a");
  EXPECT_EQ(resolve_same_origin(base, "messages?sessionId=a"), "http://127.0.0.1:8080/mcp/messages?sessionId=a");
  EXPECT_EQ(resolve_same_origin(base, "http://127.0.0.1:8080/m"), "http://127.0.0.1:8080/m");
  EXPECT_EQ(resolve_same_origin(base, "//127.0.0.1:8080/m"), "http://127.0.0.1:8080/m");
  EXPECT_FALSE(resolve_same_origin(base, "http://evil.example/m").has_value());
  EXPECT_FALSE(resolve_same_origin(base, "//evil.example/m").has_value());
  EXPECT_FALSE(resolve_same_origin(base, "https://127.0.0.1:8080/m").has_value());
  EXPECT_FALSE(resolve_same_origin(base, "").has_value());
}

TEST(MessageReader, OtherEventTypesAreKeptApart) {
  HttpResponseHead h{200, {{"Content-Type", "text/event-stream"}}};
  auto r = MessageReader::for_response(h);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->feed("event: endpoint\ndata: /messages?sessionId=1\n\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n\n").ok());
  auto e = r->poll_other_event();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "endpoint");
  EXPECT_EQ(e->data, "/messages?sessionId=1");
  EXPECT_TRUE(r->poll_message().has_value());
  EXPECT_FALSE(r->poll_other_event().has_value());
}

}  // namespace
}  // namespace mcpw::transport
