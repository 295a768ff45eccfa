#include "support/bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace mcpw {
namespace {

// equal_bytes agrees with std::string's == for every length up to 40 (the
// word loop, its overlapping last word and the short byte loop), with one
// byte changed at each position, and at offsets that are not word-aligned.
TEST(Bytes, EqualBytesAgreesWithStringEquality) {
  for (std::size_t offset = 0; offset < 3; ++offset) {
    for (std::size_t n = 0; n <= 40; ++n) {
      std::string a(offset, '_'), b(offset + 1, '_');
      for (std::size_t i = 0; i < n; ++i) {
        a.push_back(static_cast<char>('a' + i % 26));
        b.push_back(static_cast<char>('a' + i % 26));
      }
      const std::string_view va = std::string_view(a).substr(offset), vb = std::string_view(b).substr(offset + 1);
      EXPECT_TRUE(equal_bytes(va, vb)) << n;
      for (std::size_t k = 0; k < n; ++k) {
        std::string c = b;
        c[offset + 1 + k] ^= 0x20;
        EXPECT_FALSE(equal_bytes(va, std::string_view(c).substr(offset + 1))) << n << " " << k;
      }
      if (n > 0) EXPECT_FALSE(equal_bytes(va, vb.substr(0, n - 1))) << n;
    }
  }
}

}  // namespace
}  // namespace mcpw
