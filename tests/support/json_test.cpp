#include "support/json.h"

#include <gtest/gtest.h>

#include <string>

namespace mcpw {
namespace {

TEST(ParseJson, ParsesDocuments) {
  auto r = parse_json(R"({"a":[1,2.5,"x",null,true],"b":{"c":-3}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["a"].size(), 5u);
  EXPECT_EQ(find_integer(*find_object(*r, "b"), "c"), -3);
}

TEST(ParseJson, RejectsSyntaxErrorsAndTrailingContent) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1} x", "nul", "\"\\uZZZZ\"", "01"}) {
    auto r = parse_json(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(JSON_SYNTAX)) << bad << " -> " << r.error().id.id;
    EXPECT_EQ(r.error().kind(), ErrorKind::remote);
  }
}

TEST(ParseJson, RejectsNulBytesAnywhere) {
  for (std::string bad : {std::string("0\0{garbage}", 11), std::string("{\"a\":1}\0", 8), std::string("[\"a\0b\"]", 7)}) {
    auto r = parse_json(bad);
    ASSERT_FALSE(r.ok()) << bad.size();
    EXPECT_TRUE(r.error().is(JSON_SYNTAX));
  }
  EXPECT_TRUE(parse_json("\"a\\u0000b\"").ok());  // an escaped NUL is fine
}

TEST(ParseJson, RejectsInvalidUtf8) {
  auto r = parse_json(std::string("\"a\xff\xfe\""));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_SYNTAX));
}

TEST(ParseJson, MillionDeepArrayIsAnErrorNotACrash) {
  std::string deep(1000000, '[');
  deep += std::string(1000000, ']');
  auto r = parse_json(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_TOO_DEEP));
  // Unterminated too: the depth limit trips before the syntax error.
  auto open = parse_json(std::string(1000000, '['));
  ASSERT_FALSE(open.ok());
  EXPECT_TRUE(open.error().is(JSON_TOO_DEEP));
  // Deep objects as well.
  std::string objs;
  for (int i = 0; i < 100000; ++i) objs += "{\"a\":";
  auto o = parse_json(objs);
  ASSERT_FALSE(o.ok());
  EXPECT_TRUE(o.error().is(JSON_TOO_DEEP));
}

TEST(ParseJson, DepthLimitIsExact) {
  JsonLimits lim;
  lim.max_depth = 3;
  EXPECT_TRUE(parse_json("[[[1]]]", lim).ok());
  auto r = parse_json("[[[[1]]]]", lim);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_TOO_DEEP));
  EXPECT_TRUE(parse_json("[[],[],[[]]]", lim).ok());  // depth counts nesting, not total brackets
}

TEST(ParseJson, SizeAndStringLimits) {
  JsonLimits lim;
  lim.max_bytes = 10;
  auto big = parse_json("[1,2,3,4,5,6]", lim);
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().is(JSON_TOO_LARGE));
  lim = {};
  lim.max_string = 4;
  EXPECT_TRUE(parse_json(R"({"abcd":"wxyz"})", lim).ok());
  auto s = parse_json(R"(["abcde"])", lim);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(JSON_STRING_TOO_LONG));
  auto k = parse_json(R"({"abcde":1})", lim);
  ASSERT_FALSE(k.ok());
  EXPECT_TRUE(k.error().is(JSON_STRING_TOO_LONG));
}

TEST(DumpJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  json j = std::string("ok\xff");
  EXPECT_EQ(dump_json(j), "\"ok\xEF\xBF\xBD\"");
  EXPECT_EQ(dump_json(json{{"a", 1}}), R"({"a":1})");
}

TEST(FindHelpers, NeverThrowOnWrongTypes) {
  json j = parse_json(R"({"s":"x","i":5,"u":18446744073709551615,"f":1.5,"b":true,"o":{},"a":[]})").value();
  EXPECT_EQ(find_string(j, "s"), "x");
  EXPECT_EQ(find_string(j, "i"), std::nullopt);
  EXPECT_EQ(find_integer(j, "i"), 5);
  EXPECT_EQ(find_integer(j, "u"), std::nullopt);  // beyond int64
  EXPECT_EQ(find_integer(j, "f"), std::nullopt);
  EXPECT_EQ(find_bool(j, "b"), true);
  EXPECT_NE(find_object(j, "o"), nullptr);
  EXPECT_EQ(find_object(j, "a"), nullptr);
  EXPECT_NE(find_array(j, "a"), nullptr);
  EXPECT_EQ(find_member(json::array(), "x"), nullptr);
  EXPECT_EQ(find_string(json("str"), "x"), std::nullopt);
}

}  // namespace
}  // namespace mcpw
