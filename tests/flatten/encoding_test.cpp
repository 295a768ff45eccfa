// The byte-level helpers: RFC 3986 percent-encoding per RFC 6570 operator,
// WHATWG form encoding, RFC 4648 base64 (strict).

#include <gtest/gtest.h>

#include "flatten/encoding.h"

namespace mcpw::flatten::detail {
namespace {

// spec: RFC 6570 §3.2.1 (unreserved only for {var}, reserved kept for {+var})
TEST(PctEncode, KeepSetsPerExpansion) {
  EXPECT_EQ(pct_encode("a b/c?d#e%f~", Keep::unreserved), "a%20b%2Fc%3Fd%23e%25f~");
  EXPECT_EQ(pct_encode("a b/c?d#e%f:@!", Keep::reserved), "a%20b/c%3Fd%23e%25f:@!");
  EXPECT_EQ(pct_encode("a/b?c&d=e#f,g", Keep::reserved_query), "a/b?c%26d%3De%23f,g");
  EXPECT_EQ(pct_encode("a/b:c", Keep::slash), "a/b%3Ac");
  EXPECT_EQ(pct_encode("\xC3\xA9", Keep::unreserved), "%C3%A9");
}

TEST(PctDecode, RoundTripAndMalformed) {
  const std::string all = [] {
    std::string s;
    for (int c = 0; c < 256; ++c) s.push_back(static_cast<char>(c));
    return s;
  }();
  for (Keep k : {Keep::unreserved, Keep::reserved, Keep::reserved_query, Keep::slash}) {
    EXPECT_EQ(pct_decode(pct_encode(all, k)).value_or(""), all);
  }
  EXPECT_FALSE(pct_decode("%").has_value());
  EXPECT_FALSE(pct_decode("%4").has_value());
  EXPECT_FALSE(pct_decode("%zz").has_value());
  EXPECT_EQ(pct_decode("a+b").value_or(""), "a+b");
  EXPECT_EQ(pct_decode("a+b", true).value_or(""), "a b");
  EXPECT_EQ(pct_decode("%c3%a9").value_or(""), "\xC3\xA9");
}

// spec: WHATWG URL §5.2 urlencoded serializer
TEST(FormEncode, SpaceAsPlus) {
  EXPECT_EQ(form_encode("a b&c=d*-._~"), "a+b%26c%3Dd*-._%7E");
  EXPECT_EQ(pct_decode(form_encode("x y+z"), true).value_or(""), "x y+z");
}

// spec: RFC 4648 §10 test vectors
TEST(Base64, Rfc4648Vectors) {
  const char* vectors[][2] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& v : vectors) {
    EXPECT_EQ(base64_encode(v[0]), v[1]);
    EXPECT_EQ(base64_decode(v[1]).value_or("<none>"), v[0]);
  }
}

TEST(Base64, StrictDecoding) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zg==Zg==", "Zh==", "Zm9=", "Zm9v\n", "Zm-v", "=Zg="}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

TEST(Fnv1a64, StableValues) {
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ull);
  EXPECT_EQ(hex_digits(fnv1a64("a"), 16), "af63dc4c8601ec8c");
  EXPECT_EQ(hex_digits(0xabc, 2), "bc");
}

}  // namespace
}  // namespace mcpw::flatten::detail
