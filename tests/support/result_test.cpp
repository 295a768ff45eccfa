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

// Result is a tagged union of its own (not std::variant): copies, moves and
// assignments between a value and an error keep exactly one alive.
TEST(Result, CopiesMovesAndAssignsAcrossStates) {
  Result<std::string> v = std::string(40, 'v');
  Result<std::string> e = Error(TEST_ERROR, "bad");
  Result<std::string> v2 = v;
  EXPECT_EQ(*v2, std::string(40, 'v'));
  Result<std::string> e2 = e;
  EXPECT_EQ(e2.error().message, "bad");
  v2 = e;  // value -> error
  ASSERT_FALSE(v2.ok());
  EXPECT_EQ(v2.error().message, "bad");
  e2 = v;  // error -> value
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(*e2, std::string(40, 'v'));
  e2 = Result<std::string>(std::string("w"));  // value -> value, moved
  EXPECT_EQ(*e2, "w");
  Result<std::string> m = std::move(e2);
  EXPECT_EQ(*m, "w");
  v = Result<std::string>(Error(INVALID_STATE, "later"));  // error moved in
  EXPECT_TRUE(v.error().is(INVALID_STATE));
  EXPECT_EQ(std::move(m).value(), "w");
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
