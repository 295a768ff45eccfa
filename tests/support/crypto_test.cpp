#include <gtest/gtest.h>

#include <random>
#include <string>

#include "support/base64.h"
#include "support/sha256.h"

namespace mcpw {
namespace {

std::string hex(const std::array<std::uint8_t, 32>& d) {
  static const char* H = "0123456789abcdef";
  std::string out;
  for (auto b : d) {
    out += H[b >> 4];
    out += H[b & 15];
  }
  return out;
}

// spec: FIPS 180-4 / NIST CSRC examples (SHA256.pdf), plus padding boundaries.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
  const std::pair<std::size_t, const char*> cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
  };
  for (const auto& [n, digest] : cases) EXPECT_EQ(hex(sha256(std::string(n, 'a'))), digest) << n;
}

// spec: RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_std_encode(""), "");
  EXPECT_EQ(base64_std_encode("f"), "Zg==");
  EXPECT_EQ(base64_std_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_std_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_std_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_std_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_std_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xfe", 3)), "-__-");
  EXPECT_EQ(base64_std_encode(std::string("\xfb\xff\xfe", 3)), "+//+");
}

TEST(Base64, UrlDecodeRoundTripsAndRejectsJunk) {
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    auto back = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(base64url_decode("Zm9vYmE="), std::optional<std::string>("fooba"));
  EXPECT_FALSE(base64url_decode("Zm9v+g").has_value());
  EXPECT_FALSE(base64url_decode("Z").has_value());
  EXPECT_FALSE(base64url_decode("Zm 9").has_value());
}

}  // namespace
}  // namespace mcpw

namespace mcpw {
namespace {

TEST(Hex, DecodesBothCasesAndRefusesGarbage) {
  EXPECT_EQ(hex_decode("00ff7Fa0"), std::string("\x00\xff\x7f\xa0", 4));
  EXPECT_EQ(hex_decode(""), std::string());
  EXPECT_FALSE(hex_decode("abc").has_value());   // odd length
  EXPECT_FALSE(hex_decode("zz").has_value());
  EXPECT_FALSE(hex_decode("0g").has_value());
}

}  // namespace
}  // namespace mcpw
