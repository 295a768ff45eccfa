#include "support/result.h"

#include <gtest/gtest.h>

#include <string>

namespace mcpw {
namespace {

constexpr ErrorId TEST_ERROR{"test.error", ErrorKind::local};

Result<int> half(int x) {
  if (x % 2) return Error(TEST_ERROR, "odd");
  return x / 2;
}

TEST(Result, CarriesValueOrError) {
  auto a = half(4);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 2);
  auto b = half(3);
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(b.error().is(TEST_ERROR));
  EXPECT_EQ(b.error().kind(), ErrorKind::local);
  EXPECT_EQ(b.error().message, "odd");
}

TEST(Result, ErrorIdsCompareByText) {
  // Ids must stay equal across translation units and copies: compared by text.
  const std::string text = "test.error";
  ErrorId copy{text.c_str(), ErrorKind::local};
  EXPECT_TRUE(copy == TEST_ERROR);
  EXPECT_FALSE(INVALID_ARGUMENT == TEST_ERROR);
}

TEST(Result, VoidStatus) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status bad = Error(INVALID_STATE, "closed");
  ASSERT_FALSE(bad.ok());
  EXPECT_STREQ(bad.error().id.id, "support.invalid_state");
}

}  // namespace
}  // namespace mcpw
