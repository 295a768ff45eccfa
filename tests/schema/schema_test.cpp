#include "schema/schema.h"

#include <gtest/gtest.h>

namespace mcpw::schema {
namespace {

TEST(Schema, Smoke) {
  auto s = CompiledSchema::compile(json{{"type", "integer"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->validate(json(3)).value().valid);
}

}  // namespace
}  // namespace mcpw::schema
