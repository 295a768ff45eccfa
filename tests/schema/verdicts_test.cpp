// Verdicts that take a shortcut keep those of the full evaluation: leaf
// subschemas judged in place, assertion-only and shallow subschemas run from
// their member, `required` counted by `properties`. Each case is judged on the DOM
// path and from text with flag and basic output.

#include <string>
#include <utility>
#include <vector>

#include "schema_helpers.h"

namespace mcpw::schema {
namespace {

using test_util::compile_ok;
using test_util::located;
using test_util::Located;
using test_util::parse;

// Members and items under a subschema with no keywords, or a `type` alone,
// are checked in place without evaluating it (SchemaNode::leaf): the same
// verdicts, from text and from a value, and the same errors where one fails
// (integer-valued numbers count as integers; annotation-only schemas hold).
// Each text's verdict is `valid` on the DOM path and in the flag and basic
// outputs (basic lists errors exactly when invalid).
void expect_verdicts(const CompiledSchema& s, const std::vector<std::pair<const char*, bool>>& cases) {
  for (const auto& [text, valid] : cases) {
    auto dom = s.validate(parse(text));
    auto flag = s.validate_text(text);
    auto basic = s.validate_text(text, OutputFormat::basic);
    ASSERT_TRUE(dom.ok() && flag.ok() && basic.ok()) << text;
    EXPECT_EQ(dom->valid, valid) << text;
    EXPECT_EQ(flag->valid, valid) << text;
    EXPECT_EQ(basic->valid, valid) << text;
    EXPECT_EQ(basic->errors.empty(), valid) << text;
  }
}

TEST(Schema, LeafSubschemasJudgedInPlaceKeepVerdictsAndErrors) {
  auto s = compile_ok(R"({
    "properties": {"any": {}, "doc": {"description": "only words"}, "n": {"type": "integer"},
                   "maybe": {"type": ["string", "null"]}, "list": {"items": {"type": "number"}}},
    "additionalProperties": {"type": "object"}})");
  const std::vector<std::pair<const char*, bool>> cases = {
      {R"({"any": [1, {"x": null}], "doc": 3, "n": 2, "maybe": null, "list": [1, 2.5, -0], "extra": {}})", true},
      {R"({"n": 2.0, "maybe": "s", "list": []})", true},
      {R"({"n": 2.5})", false},
      {R"({"maybe": 1})", false},
      {R"({"list": [1, "2", 3]})", false},
      {R"({"extra": []})", false},
      {R"({"n": "1", "extra": 1, "list": [true]})", false},
  };
  expect_verdicts(s, cases);
  auto out = s.validate_text(R"({"n": "1", "extra": 1, "list": [true, 2]})", OutputFormat::basic);
  ASSERT_TRUE(out.ok());
  Located want = {
      {"/properties/n/type", "/n"},
      {"/additionalProperties/type", "/extra"},
      {"/properties/list/items/type", "/list/0"},
  };
  std::sort(want.begin(), want.end());
  EXPECT_EQ(located(*out), want);
}

// Subschemas of assertions only (no applicator) are run from the member or
// item when only a verdict is wanted; the verdicts stay those of the full
// evaluation (basic output, and the DOM path).
TEST(Schema, AssertionOnlySubschemasKeepVerdicts) {
  auto s = compile_ok(R"({
    "properties": {"repo": {"type": "string", "pattern": "^[a-z]+/[a-z]+$", "maxLength": 20},
                   "state": {"enum": ["open", "closed"]}, "kind": {"const": "issue"},
                   "page": {"type": "integer", "minimum": 1, "multipleOf": 2},
                   "never": false, "at": {"type": "string", "format": "date-time"},
                   "meta": {"type": "object", "required": ["id"], "dependentRequired": {"a": ["b"]}, "maxProperties": 3},
                   "tags": {"items": {"type": "string", "minLength": 2}, "minItems": 1, "uniqueItems": true}},
    "additionalProperties": {"type": "number", "exclusiveMaximum": 10}})",
                      [] {
                        CompileOptions o;
                        o.format_assertion = true;
                        return o;
                      }());
  const std::vector<std::pair<const char*, bool>> cases = {
      {R"({"repo": "a/b", "state": "open", "kind": "issue", "page": 4, "at": "2026-03-11T09:30:00Z",
           "meta": {"id": 1, "a": 1, "b": 2}, "tags": ["ab", "cd"], "x": 9.5})", true},
      {R"({})", true},
      {R"({"repo": "A/b"})", false},
      {R"({"repo": "aaaaaaaaaaaaaaaaaaaa/b"})", false},
      {R"({"state": "opened"})", false},
      {R"({"kind": "pr"})", false},
      {R"({"page": 3})", false},
      {R"({"page": 0})", false},
      {R"({"never": null})", false},
      {R"({"at": "2026-03-11 09:30"})", false},
      {R"({"meta": {"a": 1}})", false},
      {R"({"meta": {"id": 1, "a": 1}})", false},
      {R"({"meta": {"id": 1, "p": 1, "q": 2, "r": 3}})", false},
      {R"({"tags": []})", false},
      {R"({"tags": ["ab", "ab"]})", false},
      {R"({"tags": ["ab", "c"]})", false},
      {R"({"x": 10})", false},
  };
  expect_verdicts(s, cases);
}

// `required` names that are all `properties` are counted by the properties'
// lookup when only a verdict is wanted (REQUIRED_BY_PROPS), in closed and
// open objects, with or without patternProperties; names required twice and
// names no property covers keep their own check.
TEST(Schema, RequiredCountedByPropertiesKeepsVerdicts) {
  const char* schemas[] = {
      R"({"properties": {"a": {}, "b": {"type": "string"}, "c": {}}, "required": ["a", "c", "a"]})",
      R"({"properties": {"a": {}, "b": {"type": "string"}, "c": {}}, "required": ["c", "a"],
          "additionalProperties": false})",
      R"({"properties": {"a": {}, "b": {"type": "string"}, "c": {}}, "required": ["a", "c"],
          "patternProperties": {"^x": {"type": "integer"}}})",
      R"({"properties": {"a": {}, "b": {"type": "string"}, "c": {}}, "required": ["a", "c"],
          "additionalProperties": {"type": "integer"}})",
      R"({"properties": {"a": {}, "b": {"type": "string"}}, "required": ["a", "c"]})",
      R"({"items": {"properties": {"a": {}, "b": {"type": "string"}, "c": {}}, "required": ["a", "c"]}})",
  };
  // Per schema: the verdicts of the instances below, in order.
  const std::vector<std::vector<bool>> want = {
      {true, true, false, false, false, true, true, false, true},
      {true, true, false, false, false, false, false, false, true},
      {true, true, false, false, false, true, false, false, true},
      {true, true, false, false, false, true, false, false, true},
      {true, true, false, false, false, true, true, false, true},
  };
  const char* instances[] = {
      R"({"a": 1, "c": 2})",
      R"({"c": 2, "b": "x", "a": null})",
      R"({"a": 1})",
      R"({"c": 1, "b": "x"})",
      R"({"a": 1, "c": 2, "b": 3})",
      R"({"a": 1, "c": 2, "x1": 5})",
      R"({"a": 1, "c": 2, "x1": "5"})",
      R"({})",
      R"([1, "not an object"])",
  };
  for (std::size_t k = 0; k + 1 < std::size(schemas); ++k) {
    auto s = compile_ok(schemas[k]);
    std::vector<std::pair<const char*, bool>> cases;
    for (std::size_t i = 0; i < std::size(instances); ++i) cases.emplace_back(instances[i], want[k][i]);
    SCOPED_TRACE(schemas[k]);
    expect_verdicts(s, cases);
  }
  // The same object as an item of an array: each item counts on its own.
  auto items = compile_ok(schemas[std::size(schemas) - 1]);
  expect_verdicts(items, {{R"([{"a": 1, "c": 2}, {"c": 0, "a": 0}])", true},
                          {R"([{"a": 1, "c": 2}, {"a": 1}])", false},
                          {R"([{"c": 2}, {"a": 1, "c": 2}])", false},
                          {R"([])", true}});
}

// Shallow subschemas (assertions plus properties / additionalProperties /
// items whose subschemas are leaves) run from their member or item when only
// a verdict is wanted (Leaf::shallow); one level only: a shallow schema's
// subschemas are never shallow themselves.
TEST(Schema, ShallowSubschemasKeepVerdicts) {
  auto s = compile_ok(R"({
    "properties": {
      "files": {"type": "array", "items": {"type": "object", "required": ["href"], "maxProperties": 3,
                "properties": {"href": {"type": "string", "format": "uri"}, "size": {"type": "integer", "minimum": 0}},
                "additionalProperties": {"type": "string"}}},
      "tags": {"type": "array", "items": {"type": "string", "minLength": 2}, "maxItems": 3},
      "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"enum": ["a", "b"]}], "items": false},
      "nested": {"type": "object", "properties": {"inner": {"type": "object", "properties": {"x": {"type": "integer"}}}}}}})",
                      [] {
                        CompileOptions o;
                        o.format_assertion = true;
                        return o;
                      }());
  const std::vector<std::pair<const char*, bool>> cases = {
      {R"({"files": [{"href": "https://a.example/x.pdf", "size": 3, "note": "n"}, {"href": "urn:x"}],
           "tags": ["ab"], "pair": [1, "a"], "nested": {"inner": {"x": 1}}})", true},
      {R"({"files": [], "tags": [], "pair": [], "nested": {}})", true},
      {R"({"files": [{"size": 3}]})", false},
      {R"({"files": [{"href": "not a uri"}]})", false},
      {R"({"files": [{"href": "urn:x", "size": -1}]})", false},
      {R"({"files": [{"href": "urn:x", "note": 5}]})", false},
      {R"({"files": [{"href": "urn:x", "a": "1", "b": "2", "c": "3"}]})", false},
      {R"({"files": [{"href": "urn:x"}, 7]})", false},
      {R"({"tags": ["ab", "c"]})", false},
      {R"({"tags": ["ab", "cd", "ef", "gh"]})", false},
      {R"({"pair": [1, "c"]})", false},
      {R"({"pair": [1, "a", 2]})", false},
      {R"({"pair": ["1"]})", false},
      {R"({"nested": {"inner": {"x": "1"}}})", false},
      {R"({"nested": {"inner": 3}})", false},
  };
  expect_verdicts(s, cases);
}

// A `format` that asserts, alone or beside a `type`, is checked in place
// (Leaf::format): non-strings pass a format alone, the type still counts
// beside one, and a failure's error is that of the full evaluation.
TEST(Schema, FormatLeavesKeepVerdictsAndErrors) {
  CompileOptions o;
  o.format_assertion = true;
  auto s = compile_ok(R"({
    "properties": {"at": {"type": "string", "format": "date-time"}, "link": {"format": "uri"},
                   "mail": {"type": ["string", "null"], "format": "email"}, "id": {"format": "uuid", "type": "string"},
                   "list": {"items": {"format": "date"}}},
    "additionalProperties": {"format": "ipv4"}})",
                      o);
  const std::vector<std::pair<const char*, bool>> cases = {
      {R"({"at": "2026-03-11T09:30:00Z", "link": "https://a.example/x", "mail": "a@b.example",
           "id": "3f2504e0-4f89-11d3-9a0c-0305e82c3311", "list": ["2026-02-28", 7], "x": "10.0.0.1"})", true},
      {R"({"link": 3, "mail": null, "list": [null, {}], "x": true})", true},
      {R"({"at": 20260311})", false},
      {R"({"at": "2026-02-30T09:30:00Z"})", false},
      {R"({"link": "not a uri"})", false},
      {R"({"mail": 7})", false},
      {R"({"mail": "nobody"})", false},
      {R"({"id": 1})", false},
      {R"({"id": "3f2504e0-4f89-11d3-9a0c"})", false},
      {R"({"list": ["2026-13-01"]})", false},
      {R"({"x": "10.0.0.256"})", false},
  };
  expect_verdicts(s, cases);
  auto out = s.validate_text(R"({"at": 1, "mail": "nobody", "list": [1, "x"], "y": "1.2.3"})", OutputFormat::basic);
  ASSERT_TRUE(out.ok());
  Located want = {
      {"/properties/at/type", "/at"},
      {"/properties/mail/format", "/mail"},
      {"/properties/list/items/format", "/list/1"},
      {"/additionalProperties/format", "/y"},
  };
  std::sort(want.begin(), want.end());
  EXPECT_EQ(located(*out), want);
}

}  // namespace
}  // namespace mcpw::schema
