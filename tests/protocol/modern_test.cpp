#include "protocol/modern.h"

#include <gtest/gtest.h>

#include "support/base64.h"

namespace mcpw::protocol {
namespace {

json parse(std::string_view s) { return parse_ordered_json(s).value(); }

// spec: 2026-07-28 basic#meta (SEP-2575)
TEST(Modern, RequestMetaIsAddedAndKeepsWhatWasThere) {
  ClientIdentity id;
  id.capabilities = parse(R"({"roots":{}})");
  json p = with_request_meta(parse(R"({"name":"t","_meta":{"progressToken":1}})"), id, MODERN_PROTOCOL_VERSION);
  EXPECT_EQ(p["_meta"]["progressToken"], 1);
  EXPECT_EQ(p["_meta"]["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
  EXPECT_TRUE(p["_meta"]["io.modelcontextprotocol/clientCapabilities"].contains("roots"));
  EXPECT_EQ(p["_meta"]["io.modelcontextprotocol/clientInfo"]["name"], "mcp-wasm");
  EXPECT_TRUE(with_request_meta(nullptr, id, "2026-07-28")["_meta"].is_object());
}

// spec: 2026-07-28 transports (SEP-2243) — unsafe values are base64-wrapped
TEST(Modern, HeaderValuesAreEncodedWhenUnsafe) {
  EXPECT_EQ(encode_header_value("us-west-2"), "us-west-2");
  EXPECT_EQ(encode_header_value("a b"), "a b");  // internal space is fine
  EXPECT_EQ(encode_header_value(""), "");
  for (std::string_view v : {" lead", "trail ", "tab\there", "cr\r\nlf", "caf\xC3\xA9", "=?base64?abc?="}) {
    std::string e = encode_header_value(v);
    ASSERT_EQ(e.substr(0, 9), "=?base64?") << v;
    ASSERT_EQ(e.substr(e.size() - 2), "?=") << v;
    std::string b64 = e.substr(9, e.size() - 11);  // standard alphabet: map to the URL-safe one to decode
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    EXPECT_EQ(base64url_decode(b64).value_or("?"), std::string(v)) << v;
  }
}

TEST(Modern, StandardAndParamHeaders) {
  ToolHeaders th = {{"Region", "region"}, {"Priority", "priority"}, {"Verbose", "verbose"}, {"Tenant", "tenant"}};
  json params = parse(R"({"name":"deploy","arguments":{"region":"eu","priority":3,"verbose":false,"tenant":null,"other":"x"}})");
  auto h = modern_headers("tools/call", params, &th);
  std::map<std::string, std::string> m(h.begin(), h.end());
  EXPECT_EQ(m["Mcp-Method"], "tools/call");
  EXPECT_EQ(m["Mcp-Name"], "deploy");
  EXPECT_EQ(m["Mcp-Param-Region"], "eu");
  EXPECT_EQ(m["Mcp-Param-Priority"], "3");
  EXPECT_EQ(m["Mcp-Param-Verbose"], "false");
  EXPECT_EQ(m.count("Mcp-Param-Tenant"), 0u);  // null: omitted
  EXPECT_EQ(m.size(), 5u);
  auto r = modern_headers("resources/read", parse(R"({"uri":"file:///a b"})"), nullptr);
  EXPECT_EQ(r[1], (std::pair<std::string, std::string>{"Mcp-Name", "file:///a b"}));
  auto l = modern_headers("tools/list", json::object(), nullptr);
  ASSERT_EQ(l.size(), 1u);
}

TEST(Modern, ToolHeaderAnnotationsAreValidated) {
  auto ok = parse_tool_headers(parse(R"({"name":"v","inputSchema":{"type":"object","properties":{
      "region":{"type":"string","x-mcp-header":"Region"},"n":{"type":"integer","x-mcp-header":"N"},
      "b":{"type":"boolean","x-mcp-header":"B"},"plain":{"type":"string"}}}})"));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->size(), 3u);
  EXPECT_EQ((*ok)[0], (std::pair<std::string, std::string>{"Region", "region"}));
  EXPECT_TRUE(parse_tool_headers(parse(R"({"name":"none"})")).has_value());
  for (const char* bad : {
           R"({"type":"string","x-mcp-header":""})", R"({"type":"object","x-mcp-header":"D"})",
           R"({"type":"array","x-mcp-header":"D"})", R"({"type":"null","x-mcp-header":"D"})",
           R"({"type":"number","x-mcp-header":"D"})", R"({"type":"string","x-mcp-header":"My Field"})",
           R"({"type":"string","x-mcp-header":"a:b"})", R"({"type":"string","x-mcp-header":"caf\u00e9"})",
           R"({"type":"string","x-mcp-header":"a\u0001"})", R"({"type":"string","x-mcp-header":5})",
           R"({"type":["string","null"],"x-mcp-header":"D"})",
           R"({"type":"object","properties":{"deep":{"type":"string","x-mcp-header":"Deep"}}})"}) {
    json tool = parse(std::string(R"({"name":"t","inputSchema":{"type":"object","properties":{"p":)") + bad + "}}}");
    EXPECT_FALSE(parse_tool_headers(tool).has_value()) << bad;
  }
  EXPECT_FALSE(parse_tool_headers(parse(R"({"name":"d","inputSchema":{"properties":{
      "a":{"type":"string","x-mcp-header":"MyField"},"b":{"type":"string","x-mcp-header":"myfield"}}}})")).has_value());
  EXPECT_FALSE(parse_tool_headers(parse(R"({"name":"d","inputSchema":{"properties":{},
      "$defs":{"x":{"type":"string","x-mcp-header":"X"}}}})")).has_value());
}

TEST(Modern, ResultTypeDefaultsToComplete) {
  EXPECT_EQ(result_type(parse(R"({"content":[]})")), "complete");
  EXPECT_EQ(result_type(parse(R"({"resultType":"input_required"})")), "input_required");
}

}  // namespace
}  // namespace mcpw::protocol
