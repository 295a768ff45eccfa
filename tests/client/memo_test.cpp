// The memo of list pages (src/client/session_memo.cpp): a one-page list whose
// result is byte-identical to the last one read whole and clean is settled
// without scanning or checking it again; every other answer, and every doubt
// about the envelope around it, takes the full path. Bodies fed whole,
// bytewise and at random splits.
#include <gtest/gtest.h>

#include <functional>

#include "client/session.h"
#include "peer.h"

namespace mcpw::client {
namespace {

using testing::Peer;
using testing::Split;

const std::string TOOLS =
    R"({"tools":[{"name":"count","inputSchema":{"type":"object"},)"
    R"("outputSchema":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}]})";
// The same list with `n` a string: a changed list.
const std::string CHANGED =
    R"({"tools":[{"name":"count","inputSchema":{"type":"object"},)"
    R"("outputSchema":{"type":"object","required":["n"],"properties":{"n":{"type":"string"}}}}]})";

class Memo : public ::testing::TestWithParam<Split> {
 protected:
  explicit Memo(Validation mode = Validation::strict) : peer_(GetParam(), config(mode)) {
    EXPECT_TRUE(peer_.handshake().ok());
  }
  static SessionConfig config(Validation mode) {
    SessionConfig c = Peer::default_config();
    c.validation = mode;
    return c;
  }
  // tools/list (every page) answered by the body `make(id)` gives.
  template <class Make>
  std::vector<Settled> list(Make make) {
    peer_.session.list_all("tools/list", "tools", json::object(), peer_.now);
    auto req = peer_.take_one();
    peer_.respond(req, 200, "application/json", make(dump_json(Peer::body_of(req)["id"])));
    return peer_.settled();
  }
  // The usual envelope around `result`.
  std::vector<Settled> list_result(const std::string& result) {
    return list([&](const std::string& id) { return R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":)" + result + "}"; });
  }
  // A tools/call of `count` whose structuredContent is {"n": n}.
  Result<json> call_count(const json& n) {
    json result{{"content", json::array()}, {"structuredContent", {{"n", n}}}};
    peer_.session.request("tools/call", json{{"name", "count"}, {"arguments", json::object()}}, peer_.now, {});
    auto req = peer_.take_one();
    peer_.respond_json(req, Peer::response(Peer::body_of(req)["id"], result));
    auto s = peer_.settled();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? Result<json>(Error(INVALID_STATE, "none")) : std::move(s[0].result);
  }
  std::size_t hits() const { return peer_.session.list_memo_hits(); }
  Peer peer_;
};

class MemoWarn : public Memo {
 protected:
  MemoWarn() : Memo(Validation::warn) {}
};

TEST_P(Memo, IdenticalRefreshSettlesFromTheMemoWithTheServersText) {
  ASSERT_EQ(list_result(TOOLS)[0].text, TOOLS);
  EXPECT_EQ(hits(), 0u);
  for (int i = 1; i <= 3; ++i) {
    auto s = list_result(TOOLS);
    ASSERT_EQ(s.size(), 1u);
    ASSERT_TRUE(s[0].result.ok());
    EXPECT_EQ(s[0].text, TOOLS);
    EXPECT_EQ(hits(), static_cast<std::size_t>(i));
  }
  // The tools it stands for are still the ones checked against.
  EXPECT_TRUE(call_count(3).ok());
  EXPECT_FALSE(call_count("x").ok());
  EXPECT_EQ(peer_.session.pending_operations(), 0u);
}

TEST_P(Memo, ChangedListTakesTheFullPathAndReplacesTheMemo) {
  list_result(TOOLS);
  auto s = list_result(CHANGED);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ(s[0].text, CHANGED);
  EXPECT_EQ(hits(), 0u);
  EXPECT_FALSE(call_count(3).ok());  // the new schema holds
  EXPECT_TRUE(call_count("x").ok());
  list_result(CHANGED);
  EXPECT_EQ(hits(), 1u);
  list_result(TOOLS);  // back to the first: the memo now holds CHANGED
  EXPECT_EQ(hits(), 1u);
  EXPECT_TRUE(call_count(3).ok());
}

// Ids of other lengths, the result first, spaces: where the result stood in
// the last message, or as far from its end, is where the memo looks.
TEST_P(Memo, OtherEnvelopesAroundTheSameResult) {
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(list_result(TOOLS)[0].result.ok());  // the ids pass 9
  EXPECT_EQ(hits(), 11u);
  const auto result_first = [&](const std::string& id) { return R"({"result":)" + TOOLS + R"(,"jsonrpc":"2.0","id":)" + id + "}"; };
  const auto spaced = [&](const std::string& id) { return " {\n \"jsonrpc\" : \"2.0\" , \"result\" : " + TOOLS + " ,\"id\":" + id + " }\n"; };
  for (const auto& layout : {std::function<std::string(const std::string&)>(result_first), std::function<std::string(const std::string&)>(spaced)}) {
    const std::size_t before = hits();
    for (int i = 0; i < 3; ++i) {
      auto s = list(layout);
      ASSERT_EQ(s.size(), 1u);
      ASSERT_TRUE(s[0].result.ok());
      EXPECT_EQ(s[0].text, TOOLS);
    }
    EXPECT_EQ(hits(), before + 2);  // the first in a new layout is read in full
  }
}

// The same result bytes inside a message that is not a valid answer fail as
// they always did; the memo never vouches for the envelope.
TEST_P(Memo, BrokenEnvelopeAroundTheSameResultStillFails) {
  list_result(TOOLS);
  auto trailing = list([&](const std::string& id) { return R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":)" + TOOLS + "}}"; });
  ASSERT_EQ(trailing.size(), 1u);
  EXPECT_FALSE(trailing[0].result.ok());
  auto wrong_version = list([&](const std::string& id) { return R"({"jsonrpc":"1.0","id":)" + id + R"(,"result":)" + TOOLS + "}"; });
  ASSERT_EQ(wrong_version.size(), 1u);
  EXPECT_FALSE(wrong_version[0].result.ok());
  EXPECT_EQ(hits(), 0u);
  EXPECT_EQ(peer_.session.pending_operations(), 0u);
}

// The same bytes where the result would be, but under another member: the
// answer's real result (an empty list) is what settles.
TEST_P(Memo, SameBytesUnderAnotherMemberAreNotTheResult) {
  list_result(TOOLS);
  auto s = list([&](const std::string& id) {
    // "xesult" is as long as "result": the bytes sit where the memo looks first.
    return R"({"jsonrpc":"2.0","id":)" + id + R"(,"xesult":)" + TOOLS + R"(,"result":{"tools":[]}})";
  });
  ASSERT_EQ(s.size(), 1u);
  ASSERT_TRUE(s[0].result.ok());
  EXPECT_EQ((*s[0].result)["tools"].size(), 0u);
  EXPECT_EQ(hits(), 0u);
}

// A list read in pages replaces the tools: the memo of the one-page list goes.
TEST_P(Memo, PagedListDropsTheMemo) {
  list_result(TOOLS);
  peer_.session.list_all("tools/list", "tools", json::object(), peer_.now);
  auto page1 = peer_.take_one();
  peer_.respond(page1, 200, "application/json",
                R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(page1)["id"]) +
                    R"(,"result":{"tools":[{"name":"free","inputSchema":{"type":"object"}}],"nextCursor":"2"}})");
  auto page2 = peer_.take_one();
  peer_.respond(page2, 200, "application/json",
                R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(page2)["id"]) + R"(,"result":{"tools":[]}})");
  ASSERT_EQ(peer_.settled().size(), 1u);
  list_result(TOOLS);
  EXPECT_EQ(hits(), 0u);
  EXPECT_TRUE(call_count(3).ok());
  EXPECT_FALSE(call_count("x").ok());
}

// A list that drew a warning is read in full every time: the warning repeats.
TEST_P(MemoWarn, ListWithAWarningIsNotMemoised) {
  const std::string bad = R"({"tools":[{"name":"count"}]})";  // no inputSchema
  for (int i = 0; i < 2; ++i) {
    auto s = list_result(bad);
    ASSERT_TRUE(s[0].result.ok());
    auto w = peer_.session.poll_warning();
    ASSERT_TRUE(w.has_value());
  }
  EXPECT_EQ(hits(), 0u);
}

// A request that is not a whole-list read (a plain tools/list request) is never answered from the memo.
TEST_P(Memo, PlainRequestIsNotAnsweredFromTheMemo) {
  list_result(TOOLS);
  peer_.session.request("tools/list", json::object(), peer_.now, {});
  auto req = peer_.take_one();
  peer_.respond(req, 200, "application/json",
                R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + R"(,"result":)" + TOOLS + "}");
  auto s = peer_.settled();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].result.ok());
  EXPECT_EQ(hits(), 0u);
}

// spec: 2026-07-28 (SEP-2243) — x-mcp-header tools: a list whose tools all
// stand is memoised and its headers stay; one that drops a tool is read in
// full every time (what the host gets is not the server's text).
TEST_P(Memo, ModernListsKeepTheirHeaderToolsAndDroppedToolsBypassTheMemo) {
  SessionConfig c = Peer::default_config();
  c.negotiation = Negotiation::modern;
  Peer p(GetParam(), c);
  p.session.connect(p.now);
  auto d = p.take_one();
  p.respond_json(d, Peer::response(Peer::body_of(d)["id"],
                                   json{{"resultType", "complete"}, {"supportedVersions", json::array({"2026-07-28"})},
                                        {"capabilities", {{"tools", json::object()}}},
                                        {"serverInfo", {{"name", "modern"}, {"version", "2"}}}}));
  ASSERT_EQ(p.settled().size(), 1u);
  ASSERT_TRUE(p.session.is_modern());
  const std::string good =
      R"({"resultType":"complete","tools":[{"name":"t","inputSchema":{"type":"object",)"
      R"("properties":{"region":{"type":"string","x-mcp-header":"Region"}}}}]})";
  const std::string dropping =
      R"({"resultType":"complete","tools":[{"name":"bad","inputSchema":{"type":"object",)"
      R"("properties":{"s":{"type":"number","x-mcp-header":"S"}}}}]})";
  const auto list = [&](const std::string& result) {
    p.session.list_all("tools/list", "tools", json::object(), p.now);
    auto req = p.take_one();
    p.respond(req, 200, "application/json",
              R"({"jsonrpc":"2.0","id":)" + dump_json(Peer::body_of(req)["id"]) + R"(,"result":)" + result + "}");
    auto s = p.settled();
    EXPECT_EQ(s.size(), 1u);
    return s.empty() ? json() : *s[0].result;
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(list(good)["tools"].size(), 1u);
  EXPECT_EQ(p.session.list_memo_hits(), 2u);
  p.session.request("tools/call", json{{"name", "t"}, {"arguments", {{"region", "eu-west"}}}}, p.now);
  EXPECT_EQ(transport::find_header(p.take_one().headers, "mcp-param-region"), "eu-west");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(list(dropping)["tools"].size(), 0u);
  EXPECT_EQ(p.session.list_memo_hits(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Splits, Memo, ::testing::Values(Split::whole, Split::bytewise, Split::random));
INSTANTIATE_TEST_SUITE_P(Splits, MemoWarn, ::testing::Values(Split::whole, Split::bytewise, Split::random));

}  // namespace
}  // namespace mcpw::client
