// Response validation: result shapes per revision, structuredContent against
// the listed tool's outputSchema, arguments against its inputSchema, in the
// strict, warn and off modes, with bodies fed whole, bytewise and split.
#include <gtest/gtest.h>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;

const json TOOLS = json::parse(R"({"tools": [
  {"name": "count", "inputSchema": {"type": "object", "required": ["limit"],
     "properties": {"limit": {"type": "integer", "maximum": 100}, "kind": {"enum": ["a", "b"]}}},
   "outputSchema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}},
  {"name": "free", "inputSchema": {"type": "object"}},
  {"name": "broken", "inputSchema": {"type": "object"}, "outputSchema": {"type": "object", "$ref": "#/nowhere"}}
]})");

class Validate : public ::testing::TestWithParam<Split> {
 protected:
  explicit Validate(Validation mode = Validation::strict) : peer_(GetParam(), config(mode)) {}
  static SessionConfig config(Validation mode) {
    SessionConfig c = Peer::default_config();
    c.validation = mode;
    return c;
  }
  // Handshake, then tools/list answered with `tools`; returns its result.
  Result<json> list(const json& tools = TOOLS, const std::string& version = "2025-11-25") {
    EXPECT_TRUE(peer_.handshake(version).ok());
    return relist(tools);
  }
  // tools/list again on the open session.
  Result<json> relist(const json& tools) {
    peer_.session.list_all("tools/list", "tools", json::object(), peer_.now);
    auto req = peer_.take_one();
    peer_.respond_json(req, Peer::response(Peer::body_of(req)["id"], tools));
    auto s = peer_.settled();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? Result<json>(Error(INVALID_STATE, "none")) : std::move(s[0].result);
  }
  Result<json> call(const json& params, const json& result, RequestOptions options = {}) {
    peer_.session.request("tools/call", params, peer_.now, options);
    auto reqs = peer_.take_requests();
    if (!reqs.empty()) peer_.respond_json(reqs[0], Peer::response(Peer::body_of(reqs[0])["id"], result));
    auto s = peer_.settled();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? Result<json>(Error(INVALID_STATE, "none")) : std::move(s[0].result);
  }
  std::vector<json> warnings() {
    std::vector<json> out;
    while (auto w = peer_.session.poll_warning()) out.push_back(std::move(*w));
    return out;
  }
  static json text_result(json structured) {
    json r{{"content", json::array({json{{"type", "text"}, {"text", "ok"}}})}};
    if (!structured.is_null()) r["structuredContent"] = std::move(structured);
    return r;
  }
  Peer peer_;
};

class ValidateWarn : public Validate {
 protected:
  ValidateWarn() : Validate(Validation::warn) {}
};
class ValidateOff : public Validate {
 protected:
  ValidateOff() : Validate(Validation::off) {}
};

// spec: 2025-11-25 server/tools#output-schema — structured results conform to the outputSchema.
TEST_P(Validate, StructuredContentAgainstOutputSchema) {
  auto listed = list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(dump_json(*listed), dump_json(TOOLS));  // schemas reach the host exactly as sent
  auto good = call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(json{{"n", 3}}));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ((*good)["structuredContent"]["n"], 3);
  auto bad = call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(json{{"n", "three"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(VALIDATION_STRUCTURED));
  EXPECT_NE(bad.error().message.find("/n"), std::string::npos) << bad.error().message;
  auto data = parse_ordered_json(bad.error().data_json);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ((*data)["tool"], "count");
  EXPECT_EQ((*data)["errors"][0]["instanceLocation"], "/n");
  auto missing = call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(nullptr));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(VALIDATION_STRUCTURED));
}

// spec: 2025-11-25 server/tools#error-handling — tool errors are not held to the outputSchema.
TEST_P(Validate, ToolErrorsSkipTheOutputSchema) {
  ASSERT_TRUE(list().ok());
  json error = text_result(nullptr);
  error["isError"] = true;
  EXPECT_TRUE(call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, error).ok());
}

// Results are read off the tape the scanner made of the message; odd values
// keep the rules the DOM path had.
TEST_P(Validate, OddStructuredContentAndResultsKeepTheRules) {
  ASSERT_TRUE(list().ok());
  const json count{{"name", "count"}, {"arguments", {{"limit", 3}}}};
  // A scalar where the result's shape wants an object.
  auto scalar = call(count, text_result(json("three")));
  ASSERT_FALSE(scalar.ok());
  EXPECT_TRUE(scalar.error().is(VALIDATION_RESULT)) << scalar.error().message;
  EXPECT_NE(scalar.error().message.find("/structuredContent"), std::string::npos) << scalar.error().message;
  // isError that is not `true` does not skip the outputSchema.
  json not_error = text_result(json{{"n", "three"}});
  not_error["isError"] = "yes";
  auto checked = call(count, not_error);
  ASSERT_FALSE(checked.ok());
  EXPECT_TRUE(checked.error().is(VALIDATION_RESULT) || checked.error().is(VALIDATION_STRUCTURED));
  // A result that is no object at all (the DOM path): the shape refuses it.
  auto array = call(count, json::array({1, 2}));
  ASSERT_FALSE(array.ok());
  EXPECT_TRUE(array.error().is(VALIDATION_RESULT)) << array.error().message;
  // The same text reaches the host as the server wrote it (1.0 is an integer).
  peer_.session.request("tools/call", count, peer_.now);
  auto req = peer_.take_one();
  const std::string result = R"({ "content" : [ {"type":"text","text":"ok"} ], "structuredContent" : {"n":1.0} })";
  peer_.respond(req, 200, "application/json",
                R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + R"(,"result":)" + result + "}");
  auto s = peer_.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_TRUE(s[0].result.ok()) << s[0].result.error().message;
  EXPECT_EQ(s[0].text, result);
}

TEST_P(Validate, ResultShapeOfTheNegotiatedRevision) {
  ASSERT_TRUE(list().ok());
  auto no_content = call(json{{"name", "free"}}, json{{"structuredContent", json::object()}});
  ASSERT_FALSE(no_content.ok());
  EXPECT_TRUE(no_content.error().is(VALIDATION_RESULT));
  EXPECT_NE(no_content.error().message.find("2025-11-25"), std::string::npos);
  auto bad_block = call(json{{"name", "free"}}, json{{"content", json::array({json{{"type", "text"}}})}});
  ASSERT_FALSE(bad_block.ok());
  EXPECT_TRUE(bad_block.error().is(VALIDATION_RESULT));
}

// The text validation wrote is handed on, so the host need not write it again.
TEST_P(Validate, SettledCarriesTheTextValidationWrote) {
  ASSERT_TRUE(peer_.handshake().ok());
  peer_.session.list_all("tools/list", "tools", json::object(), peer_.now);
  auto req = peer_.take_one();
  peer_.respond_json(req, Peer::response(Peer::body_of(req)["id"], TOOLS));
  auto s = peer_.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ(s[0].text, dump_json(*s[0].result));
}

// spec: 2025-11-25 basic/utilities/tasks — a task-augmented call answers with a CreateTaskResult.
TEST_P(Validate, TaskAugmentedCallsAreNotHeldToTheToolResultShape) {
  ASSERT_TRUE(list().ok());
  const json created{{"task", {{"taskId", "t1"}, {"status", "working"}}}};
  EXPECT_TRUE(call(json{{"name", "count"}, {"arguments", {{"limit", 1}}}, {"task", {{"ttl", 1000}}}}, created).ok());
}

TEST_P(Validate, AudioIsNotContentIn20241105) {
  ASSERT_TRUE(list(TOOLS, "2024-11-05").ok());
  const json audio{{"content", json::array({json{{"type", "audio"}, {"data", "AA=="}, {"mimeType", "audio/wav"}}})}};
  auto r = call(json{{"name", "free"}}, audio);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(VALIDATION_RESULT));
}

TEST_P(Validate, BadListFailsAndIsNotRemembered) {
  json tools{{"tools", json::array({json{{"name", "x"}}})}};  // no inputSchema
  auto r = list(tools);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(VALIDATION_RESULT));
}

TEST_P(Validate, UncompilableOutputSchemaWarnsOnceAndGoesUnchecked) {
  ASSERT_TRUE(list().ok());
  EXPECT_TRUE(call(json{{"name", "broken"}}, text_result(json{{"any", 1}})).ok());
  EXPECT_TRUE(call(json{{"name", "broken"}}, text_result(json{{"any", 2}})).ok());
  auto w = warnings();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]["tool"], "broken");
}

// A refreshed whole list keeps the entry (and compiled program) of a tool
// that did not change: its warning is not given again; a changed schema is
// compiled anew, a tool no longer listed is forgotten.
TEST_P(Validate, RefreshKeepsUnchangedToolsAndDropsTheRest) {
  ASSERT_TRUE(list().ok());
  const auto refresh = [&](const json& tools) { ASSERT_TRUE(relist(tools).ok()); };
  EXPECT_TRUE(call(json{{"name", "broken"}}, text_result(json{{"any", 1}})).ok());
  ASSERT_EQ(warnings().size(), 1u);
  refresh(TOOLS);
  EXPECT_TRUE(call(json{{"name", "broken"}}, text_result(json{{"any", 1}})).ok());
  EXPECT_TRUE(warnings().empty());
  json changed = TOOLS;
  changed["tools"][2]["outputSchema"]["$ref"] = "#/elsewhere";
  changed["tools"][0]["outputSchema"]["properties"]["n"]["type"] = "string";
  refresh(changed);
  EXPECT_TRUE(call(json{{"name", "broken"}}, text_result(json{{"any", 1}})).ok());
  EXPECT_EQ(warnings().size(), 1u);
  auto now_string = call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(json{{"n", 3}}));
  ASSERT_FALSE(now_string.ok());
  EXPECT_TRUE(now_string.error().is(VALIDATION_STRUCTURED));
  refresh(json{{"tools", json::array({TOOLS["tools"][1]})}});
  EXPECT_TRUE(call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(json{{"n", "x"}})).ok());
}

// A one-page list reaches the host as the server wrote it (no re-serialising).
TEST_P(Validate, OnePageListKeepsTheServersText) {
  ASSERT_TRUE(peer_.handshake().ok());
  peer_.session.list_all("tools/list", "tools", json::object(), peer_.now);
  auto req = peer_.take_one();
  const std::string result = R"({ "tools" : [ {"name":"free", "inputSchema":{"type":"object"}, "x":1.50} ] })";
  const std::string body = R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + R"(,"result":)" + result + "}";
  peer_.respond(req, 200, "application/json", body);
  auto s = peer_.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ(s[0].text, result);
  EXPECT_EQ((*s[0].result)["tools"][0]["name"], "free");
}

TEST_P(Validate, ArgumentsCheckedBeforeSendingWhenAsked) {
  ASSERT_TRUE(list().ok());
  RequestOptions check;
  check.validate_arguments = true;
  peer_.session.request("tools/call", json{{"name", "count"}, {"arguments", {{"limit", 500}, {"kind", "c"}}}},
                        peer_.now, check);
  EXPECT_TRUE(peer_.take_requests().empty());  // never sent
  auto s = peer_.settled();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_FALSE(s[0].result.ok());
  const Error& e = s[0].result.error();
  EXPECT_TRUE(e.is(VALIDATION_ARGUMENTS));
  EXPECT_EQ(e.kind(), ErrorKind::local);
  EXPECT_NE(e.message.find("/limit"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("/kind"), std::string::npos) << e.message;
  // Missing arguments count as {}: "limit" is required.
  peer_.session.request("tools/call", json{{"name", "count"}}, peer_.now, check);
  EXPECT_TRUE(peer_.take_requests().empty());
  auto m = peer_.settled();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_FALSE(m[0].result.ok());
  // Valid arguments go out; without the option nothing is checked.
  EXPECT_TRUE(call(json{{"name", "count"}, {"arguments", {{"limit", 5}}}}, text_result(json{{"n", 1}}), check).ok());
  EXPECT_TRUE(call(json{{"name", "count"}, {"arguments", {{"limit", 500}}}}, text_result(json{{"n", 1}})).ok());
  // An unknown tool is the server's to judge.
  EXPECT_TRUE(call(json{{"name", "nope"}}, text_result(nullptr), check).ok());
}

TEST_P(ValidateWarn, WarnSettlesWithTheResultAndReports) {
  ASSERT_TRUE(list().ok());
  auto r = call(json{{"name", "count"}, {"arguments", {{"limit", 3}}}}, text_result(json{{"n", "three"}}));
  ASSERT_TRUE(r.ok());
  auto w = warnings();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0]["code"], "validation.structured_content");
  EXPECT_EQ(w[0]["tool"], "count");
}

TEST_P(ValidateOff, OffChecksNothing) {
  ASSERT_TRUE(list().ok());
  EXPECT_TRUE(call(json{{"name", "count"}}, json{{"structuredContent", "anything"}}).ok());
  EXPECT_TRUE(warnings().empty());
}

INSTANTIATE_TEST_SUITE_P(Splits, Validate, ::testing::Values(Split::whole, Split::bytewise, Split::random));
INSTANTIATE_TEST_SUITE_P(Splits, ValidateWarn, ::testing::Values(Split::whole, Split::bytewise, Split::random));
INSTANTIATE_TEST_SUITE_P(Splits, ValidateOff, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
