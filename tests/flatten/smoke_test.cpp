#include <gtest/gtest.h>
#include "flatten/flatten.h"
TEST(Smoke, Builds) { EXPECT_EQ(mcpw::flatten::sanitize_tool_name("a/b"), "a_b"); }
