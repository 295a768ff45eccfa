#pragma once
// Helpers shared by the validator's unit tests (schema_test.cpp,
// verdicts_test.cpp).

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/schema.h"

#include <gtest/gtest.h>

namespace mcpw::schema::test_util {

inline json parse(std::string_view text) {
  auto r = parse_json(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : json();
}

inline CompiledSchema compile_ok(std::string_view schema, const CompileOptions& opt = {}) {
  auto s = CompiledSchema::compile(parse(schema), opt);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok()) return std::move(CompiledSchema::compile(json(true)).value());
  return std::move(s.value());
}

// (keywordLocation, instanceLocation) of each error, sorted.
using Located = std::vector<std::pair<std::string, std::string>>;
inline Located located(const ValidationOutput& out) {
  Located got;
  for (const auto& e : out.errors) got.emplace_back(e.keyword_location, e.instance_location);
  std::sort(got.begin(), got.end());
  return got;
}

inline bool valid(const CompiledSchema& s, std::string_view instance) {
  auto dom = s.validate(parse(instance));
  auto text = s.validate_text(instance);
  EXPECT_TRUE(dom.ok() && text.ok());
  if (!dom.ok() || !text.ok()) return false;
  EXPECT_EQ(dom->valid, text->valid) << "DOM and text paths disagree on " << instance;
  auto probed = s.is_valid_text(instance);
  EXPECT_TRUE(probed.ok() && *probed == dom->valid) << "is_valid_text disagrees on " << instance;
  return dom->valid;
}

}  // namespace mcpw::schema::test_util
