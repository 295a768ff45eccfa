// Provider adapters: every adapted tool passes a validator of that provider's
// rules (flatten.h "Provider adapters"), and arguments map to the provider's
// form and back exactly.

#include <set>

#include <gtest/gtest.h>

#include "arg_generator.h"
#include "provider_rules.h"
#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

using testing::check_document;
using testing::Counts;
using testing::kProviders;
using testing::provider_name;

class AdaptDocs : public ::testing::TestWithParam<Provider> {};

TEST_P(AdaptDocs, DuvoEdgeAnd31DocumentsPassTheRulesAndMapBack) {
  for (const char* file : {"duvo-openapi.json", "edge-cases-3.0.json", "small-3.1.json"}) {
    const FlattenResult r = testing::flatten_file(file);
    const Counts c = check_document(r, GetParam(), 10, 11);
    std::printf("%s %s: %d adapted, %d left out, %d round trips\n", provider_name(GetParam()), file, c.adapted,
                c.left_out, c.round_trips);
    if (GetParam() != Provider::gemini) EXPECT_EQ(c.left_out, 0) << file;
  }
}

TEST_P(AdaptDocs, GitHubRest) {
  const FlattenResult* r = testing::github_tools();
  MCPW_NEED_NPM_DOCUMENT(r, std::string("@octokit/openapi"));
  const Counts c = check_document(*r, GetParam(), 1, 12);
  std::printf("%s github: %d adapted, %d left out, %d round trips\n", provider_name(GetParam()), c.adapted, c.left_out,
              c.round_trips);
}

INSTANTIATE_TEST_SUITE_P(Providers, AdaptDocs, ::testing::ValuesIn(kProviders),
                         [](const ::testing::TestParamInfo<Provider>& i) { return std::string(provider_name(i.param)); });

// --- specific rules -----------------------------------------------------------------------

class AdaptDuvo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { duvo_ = new FlattenResult(testing::flatten_file("duvo-openapi.json")); }
  static void TearDownTestSuite() { delete duvo_; }
  static ProviderTool adapt(std::string_view name, Provider p) {
    const Tool* t = testing::find_tool(*duvo_, name);
    EXPECT_NE(t, nullptr);
    auto a = adapt_tool(t->name, t->description, t->input_schema, p);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? a.value() : ProviderTool{};
  }
  static FlattenResult* duvo_;
};
FlattenResult* AdaptDuvo::duvo_ = nullptr;

// Duvo: parent_folder_id null = move to the root; leaving it out = keep.
TEST_F(AdaptDuvo, StrictKeepsMeaningfulNullApartFromOmission) {
  ProviderTool t = adapt("updateAgentFolder", Provider::openai_strict);
  EXPECT_EQ(t.parameters["required"], json::array({"folder_id", "name", "parent_folder_id"}));
  auto moved = arguments_from_provider(t, {{"folder_id", "f"}, {"name", nullptr}, {"parent_folder_id", {{"value", nullptr}}}});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved.value(), json({{"folder_id", "f"}, {"parent_folder_id", nullptr}}));
  auto kept = arguments_from_provider(t, {{"folder_id", "f"}, {"name", "n"}, {"parent_folder_id", nullptr}});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept.value(), json({{"folder_id", "f"}, {"name", "n"}}));
  auto bad = arguments_from_provider(t, {{"folder_id", "f"}, {"name", nullptr}, {"parent_folder_id", "x"}});
  EXPECT_FALSE(bad.ok());
}

TEST_F(AdaptDuvo, FreeFormMapsBecomeKeyValueLists) {
  for (Provider p : {Provider::openai_strict, Provider::gemini}) {
    ProviderTool t = adapt("respondToHumanRequest", p);
    EXPECT_EQ(t.parameters["properties"]["answers"]["type"].is_array() ? t.parameters["properties"]["answers"]["type"][0]
                                                                       : t.parameters["properties"]["answers"]["type"],
              "array");
    const json model = {{"run_id", "r"}, {"request_id", "q"}, {"approved", true},
                        {"answers", {{{"key", "Which env?"}, {"value", "\"prod\""}}, {{"key", "n"}, {"value", "3"}}}}};
    auto back = arguments_from_provider(t, model);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), json({{"run_id", "r"}, {"request_id", "q"}, {"approved", true}, {"answers", {{"Which env?", "prod"}, {"n", 3}}}}))
        << provider_name(p);
  }
}

TEST_F(AdaptDuvo, KeysOutsideTheCharsetRenamedAndMappedBack) {
  ProviderTool a = adapt("createAgent", Provider::anthropic);
  const json perms = a.parameters["properties"]["tool_permissions"];
  ASSERT_TRUE(perms["properties"].is_object());
  const std::string star = perms["properties"].begin().key();
  EXPECT_NE(star, "*");
  auto back = arguments_from_provider(a, {{"name", "x"}, {"tool_permissions", {{star, "ask"}, {"search", "allow"}}}});
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), json({{"name", "x"}, {"tool_permissions", {{"*", "ask"}, {"search", "allow"}}}}));
  ProviderTool g = adapt("createSkill", Provider::gemini);
  bool found = false;
  for (auto it = g.parameters["properties"].begin(); it != g.parameters["properties"].end(); ++it) {
    if (it.key().rfind("allowed_tools_", 0) == 0) found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(AdaptDuvo, GeminiLeavesRecursiveToolsOutWithADiagnostic) {
  AdaptResult r = adapt_tools(duvo_->tools, Provider::gemini);
  std::set<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    EXPECT_EQ(d.id, "flatten.adapt_unsupported");
    out.insert(d.where);
  }
  EXPECT_EQ(out, std::set<std::string>({"updateQueueRouting"}));
  EXPECT_EQ(r.tools.size(), duvo_->tools.size() - 1);
}

TEST(AdaptNames, SanitisedNamesStayUniqueAndMapToTheOriginal) {
  std::vector<Tool> tools(3);
  tools[0].name = "repos/get";
  tools[1].name = "repos_get";
  tools[2].name = std::string(100, 'x');
  for (Tool& t : tools) t.input_schema = {{"type", "object"}, {"properties", json::object()}};
  for (Provider p : kProviders) {
    AdaptResult r = adapt_tools(tools, p);
    ASSERT_EQ(r.tools.size(), 3u);
    std::set<std::string> names;
    for (const ProviderTool& t : r.tools) {
      EXPECT_TRUE(names.insert(t.name).second) << t.name;
      EXPECT_LE(t.name.size(), 64u);
    }
    EXPECT_EQ(r.tools[0].original_name, "repos/get");
    EXPECT_EQ(r.tools[1].name, "repos_get");
  }
}

TEST(AdaptErrors, UnknownModelKeysRejected) {
  auto t = adapt_tool("t", "", {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}, {"additionalProperties", false}},
                      Provider::openai_strict);
  ASSERT_TRUE(t.ok());
  auto r = arguments_from_provider(t.value(), {{"a", "x"}, {"b", 1}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(UNKNOWN_ARGUMENT));
  EXPECT_FALSE(adapt_tool("t", "", {{"anyOf", json::array()}}, Provider::anthropic).ok());
  EXPECT_FALSE(adapt_tool("t", "", {{"type", "array"}}, Provider::gemini).ok());
}

}  // namespace
}  // namespace mcpw::flatten
