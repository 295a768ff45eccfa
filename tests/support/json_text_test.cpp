#include "support/json_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "support/json.h"

namespace mcpw {
namespace {

TEST(JsonText, MemberTextIsTheLastTopLevelMemberAsWritten) {
  EXPECT_EQ(member_text(R"({"jsonrpc":"2.0","id":1,"result":{"a":[1,{"result":2}],"b":"}\""}})", "result"),
            R"({"a":[1,{"result":2}],"b":"}\""})");
  EXPECT_EQ(member_text(R"( { "result" : 12.5e3 , "id" : 1 } )", "result"), "12.5e3");
  EXPECT_EQ(member_text(R"({"result":"x\"y","id":1})", "result"), R"("x\"y")");
  EXPECT_EQ(member_text(R"({"result":1,"result":[true]})", "result"), "[true]");  // JSON.parse and the DOM keep the last
  EXPECT_EQ(member_text(R"({"id":{"result":1}})", "result"), "");                  // only top-level members
  EXPECT_EQ(member_text(R"({"result":1,"res\u0075lt":2})", "result"), "2");       // escaped names are decoded
  EXPECT_EQ(member_text(R"({"a\"b":3})", "a\"b"), "3");
  EXPECT_EQ(member_text(R"([{"result":1}])", "result"), "");
  EXPECT_EQ(member_text(R"({"result":null})", "result"), "null");
  EXPECT_EQ(member_text("{}", "result"), "");
}

// Random documents written with random white space: every member read from
// the text equals the DOM's (the last of duplicate names).
std::string space(std::mt19937& rng) {
  static const char* const kinds[] = {"", "", " ", "\n\t ", "\r\n"};
  return kinds[rng() % 5];
}

std::string random_value(std::mt19937& rng, int depth) {
  static const char* const scalars[] = {"0", "-1", "12.5e-3", "true", "false", "null", R"("s")", R"("q\"}]")",
                                        R"("\u00e9,")", "9223372036854775807"};
  static const char* const names[] = {R"("a")", R"("b")", R"("\u0061")", R"("c\"")", R"("")"};
  const unsigned kind = depth > 3 ? 0 : rng() % 3;
  if (kind == 0) return scalars[rng() % 10];
  const unsigned n = rng() % 4;
  std::string s = kind == 1 ? "[" : "{";
  for (unsigned i = 0; i < n; ++i) {
    if (i) s += "," + space(rng);
    s += space(rng);
    if (kind == 2) s += std::string(names[rng() % 5]) + space(rng) + ":" + space(rng);
    s += random_value(rng, depth + 1) + space(rng);
  }
  return s + (kind == 1 ? "]" : "}");
}

TEST(JsonText, AgreesWithTheDomOnRandomDocuments) {
  std::mt19937 rng(7);
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string text = space(rng) + random_value(rng, 0) + space(rng);
    auto dom = parse_json(text);
    ASSERT_TRUE(dom.ok()) << text;
    if (dom->is_object()) {
      for (const char* key : {"a", "b", "c\"", ""}) {
        const std::string_view v = member_text(text, key);
        const json* m = find_member(*dom, key);
        ASSERT_EQ(v.empty(), m == nullptr) << text << " key " << key;
        if (m) {
          ASSERT_EQ(*parse_json(v), *m) << text;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace mcpw
