// search_tools / describe_tool / call_tool over Duvo's 53 tools.

#include <gtest/gtest.h>

#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

class MetaTools : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { duvo_ = new FlattenResult(testing::flatten_file("duvo-openapi.json")); }
  static void TearDownTestSuite() { delete duvo_; }
  static json search(const std::string& q, int limit = 5) {
    auto r = handle_meta_tool(duvo_->tools, "search_tools", {{"query", q}, {"limit", limit}});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->result : json();
  }
  static FlattenResult* duvo_;
};
FlattenResult* MetaTools::duvo_ = nullptr;

TEST_F(MetaTools, ThreeToolsWithObjectSchemas) {
  const std::vector<json> meta = make_meta_tools();
  ASSERT_EQ(meta.size(), 3u);
  for (const json& t : meta) EXPECT_EQ(json(t)["inputSchema"]["type"], "object");
}

TEST_F(MetaTools, SearchRanksByNameWordsThenDescription) {
  json r = search("start run");
  ASSERT_FALSE(r["tools"].empty());
  EXPECT_EQ(r["tools"][0]["name"], "startRun");
  EXPECT_EQ(r["total"], 53);
  EXPECT_EQ(search("human request")["tools"][0]["name"], "respondToHumanRequest");
  EXPECT_EQ(search("rename file")["tools"][0]["name"], "renameFile");
  EXPECT_LE(search("run", 3)["tools"].size(), 3u);
  EXPECT_TRUE(search("zzzz")["tools"].empty());
  EXPECT_EQ(search("start run"), search("start run"));  // deterministic
}

TEST_F(MetaTools, DescribeGivesTheToolObject) {
  auto r = handle_meta_tool(duvo_->tools, "describe_tool", {{"name", "getRun"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->result["name"], "getRun");
  EXPECT_TRUE(r->result["inputSchema"]["properties"].contains("run_id"));
  EXPECT_TRUE(r->result["outputSchema"].is_object());
}

TEST_F(MetaTools, CallNamesTheToolAndItsArguments) {
  auto r = handle_meta_tool(duvo_->tools, "call_tool", {{"name", "startRun"}, {"arguments", {{"agent_id", "a"}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->call_tool, "startRun");
  EXPECT_EQ(r->call_arguments, json({{"agent_id", "a"}}));
  const Tool* t = testing::find_tool(*duvo_, r->call_tool);
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(build_request(t->binding, r->call_arguments).ok());
}

TEST_F(MetaTools, UnknownNamesGetASuggestion) {
  auto r = handle_meta_tool(duvo_->tools, "call_tool", {{"name", "startrun"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(UNKNOWN_ARGUMENT));
  EXPECT_NE(r.error().message.find("did you mean \"startRun\"?"), std::string::npos) << r.error().message;
  EXPECT_TRUE(handle_meta_tool(duvo_->tools, "nope", json::object()).error().is(UNKNOWN_ARGUMENT));
  EXPECT_TRUE(handle_meta_tool(duvo_->tools, "search_tools", {{"query", 1}}).error().is(BAD_ARGUMENT));
  EXPECT_TRUE(handle_meta_tool(duvo_->tools, "call_tool", {{"name", "getRun"}, {"arguments", "x"}}).error().is(BAD_ARGUMENT));
}

}  // namespace
}  // namespace mcpw::flatten
