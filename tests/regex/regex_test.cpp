#include "regex/regex.h"
#include <gtest/gtest.h>
using namespace mcpw::regex;
TEST(Regex, Smoke) {
  auto r = Regex::compile("^a+b$");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r->search("aab"));
  EXPECT_FALSE(*r->search("aabc"));
}
