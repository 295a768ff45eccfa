#include "protocol/lifecycle.h"

#include <gtest/gtest.h>

namespace mcpw::protocol {
namespace {

json answer(std::string version) {
  return json{{"protocolVersion", version},
              {"capabilities", {{"tools", {{"listChanged", true}}}}},
              {"serverInfo", {{"name", "s"}, {"version", "1"}}},
              {"instructions", "be nice"}};
}

TEST(Lifecycle, InitializeParamsOfferTheLatestVersion) {
  auto p = make_initialize_params({});
  EXPECT_EQ(p["protocolVersion"], "2025-11-25");
  EXPECT_TRUE(p["capabilities"].is_object());
  EXPECT_EQ(p["clientInfo"]["name"], "mcp-wasm");
}

// spec: 2025-11-25 basic/lifecycle#version-negotiation — accept an older
// version the server answers with, when the client supports it.
TEST(Lifecycle, AcceptsOlderSupportedVersions) {
  for (const char* v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    auto r = parse_initialize_result(answer(v));
    ASSERT_TRUE(r.ok()) << v;
    EXPECT_EQ(r->protocol_version, v);
    EXPECT_EQ(r->server_info["name"], "s");
    EXPECT_EQ(r->instructions, "be nice");
  }
}

TEST(Lifecycle, RejectsUnknownVersionWithDetail) {
  auto r = parse_initialize_result(answer("2099-01-01"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(PROTOCOL_UNSUPPORTED_VERSION));
  auto data = parse_ordered_json(r.error().data_json);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ((*data)["answered"], "2099-01-01");
}

TEST(Lifecycle, RejectsMalformedResults) {
  json no_caps = answer("2025-11-25");
  no_caps.erase("capabilities");
  json bad_info = answer("2025-11-25");
  bad_info["serverInfo"] = json{{"version", "1"}};
  json num_version = answer("2025-11-25");
  num_version["protocolVersion"] = 20251125;
  for (const json& bad : {json::array(), no_caps, bad_info, num_version}) {
    auto r = parse_initialize_result(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(PROTOCOL_INVALID_RESULT)) << dump_json(bad);
  }
}

}  // namespace
}  // namespace mcpw::protocol
