#include "protocol/jsonrpc.h"

#include <gtest/gtest.h>

namespace mcpw::protocol {
namespace {

Message must_parse(std::string_view text) {
  auto r = parse_message(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : Message{};
}

TEST(JsonRpc, Request) {
  auto m = must_parse(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"c"}})");
  EXPECT_EQ(m.kind, MessageKind::request);
  EXPECT_EQ(m.id, 1);
  EXPECT_EQ(m.method, "tools/list");
  EXPECT_EQ(m.params["cursor"], "c");
}

TEST(JsonRpc, IdsOfEveryKindAreKeptExactly) {
  for (const char* id : {"0", "-7", "\"abc\"", "\"\"", "1.5", "9007199254740993", "null"}) {
    std::string text = std::string(R"({"jsonrpc":"2.0","method":"ping","id":)") + id + "}";
    auto m = must_parse(text);
    EXPECT_EQ(m.kind, MessageKind::request) << id;
    EXPECT_EQ(dump_json(m.id), id);
    // Echoed back verbatim in a reply.
    EXPECT_EQ(build_response(m.id, json::object()), std::string(R"({"jsonrpc":"2.0","id":)") + id + R"(,"result":{}})");
  }
  EXPECT_FALSE(parse_message(R"({"jsonrpc":"2.0","method":"x","id":{}})").ok());
  EXPECT_FALSE(parse_message(R"({"jsonrpc":"2.0","method":"x","id":[1]})").ok());
  EXPECT_FALSE(parse_message(R"({"jsonrpc":"2.0","method":"x","id":true})").ok());
}

TEST(JsonRpc, Notification) {
  auto m = must_parse(R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}})");
  EXPECT_EQ(m.kind, MessageKind::notification);
  EXPECT_TRUE(m.id.is_null());
  auto bare = must_parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(bare.kind, MessageKind::notification);
  EXPECT_TRUE(bare.params.is_null());
}

TEST(JsonRpc, ResponseAndError) {
  auto ok = must_parse(R"({"jsonrpc":"2.0","id":"a","result":{"tools":[]}})");
  EXPECT_EQ(ok.kind, MessageKind::response);
  EXPECT_EQ(ok.result["tools"].size(), 0u);
  auto err = must_parse(R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"nope","data":{"x":1}}})");
  EXPECT_EQ(err.kind, MessageKind::error);
  EXPECT_EQ(err.error.code, METHOD_NOT_FOUND);
  EXPECT_EQ(err.error.message, "nope");
  ASSERT_TRUE(err.error.has_data());
  EXPECT_EQ(err.error.data["x"], 1);
  auto nodata = must_parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse"}})");
  EXPECT_FALSE(nodata.error.has_data());
  EXPECT_TRUE(nodata.id.is_null());
}

TEST(JsonRpc, BatchesAreRejectedCleanly) {
  auto r = parse_message(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSONRPC_BATCH_UNSUPPORTED));
  auto empty = parse_message("[]");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().is(JSONRPC_BATCH_UNSUPPORTED));
}

TEST(JsonRpc, InvalidMessages) {
  for (const char* bad : {
           R"("x")", R"(1)", R"({})", R"({"jsonrpc":"1.0","id":1,"result":1})", R"({"id":1,"result":1})",
           R"({"jsonrpc":"2.0","id":1})", R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}})",
           R"({"jsonrpc":"2.0","id":null,"result":1})", R"({"jsonrpc":"2.0","id":1,"error":"bad"})",
           R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}})",
           R"({"jsonrpc":"2.0","id":1,"error":{"code":1}})", R"({"jsonrpc":"2.0","method":5})",
           R"({"jsonrpc":"2.0","method":"m","params":"s"})", R"({"jsonrpc":"2.0","method":"m","result":1,"id":1})"}) {
    auto r = parse_message(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(JSONRPC_INVALID)) << bad << " -> " << r.error().id.id;
  }
  auto syntax = parse_message("{\"jsonrpc\":");
  ASSERT_FALSE(syntax.ok());
  EXPECT_TRUE(syntax.error().is(JSON_SYNTAX));
  std::string deep(1000000, '[');
  auto d = parse_message(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.error().is(JSON_TOO_DEEP));
}

TEST(JsonRpc, BuildersRoundTrip) {
  auto req = must_parse(build_request(7, "tools/call", json{{"name", "echo"}}));
  EXPECT_EQ(req.kind, MessageKind::request);
  EXPECT_EQ(req.params["name"], "echo");
  auto no_params = build_request(8, "ping", nullptr);
  EXPECT_EQ(no_params.find("params"), std::string::npos);
  auto note = must_parse(build_notification("notifications/initialized", nullptr));
  EXPECT_EQ(note.kind, MessageKind::notification);
  RpcError e{INVALID_PARAMS, "bad \xff", json(json::value_t::discarded)};
  auto err = must_parse(build_error_response("x", e));  // invalid UTF-8 replaced, not thrown
  EXPECT_EQ(err.kind, MessageKind::error);
  EXPECT_EQ(err.error.code, INVALID_PARAMS);
  EXPECT_FALSE(err.error.has_data());
}

}  // namespace
}  // namespace mcpw::protocol
