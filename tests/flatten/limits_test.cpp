// Bounds (DESIGN.md "Limits"): hostile documents end in an error value or a
// per-operation diagnostic, quickly, never in a crash, a hang or unbounded
// recursion.

#include <chrono>

#include <gtest/gtest.h>

#include "flatten/flatten.h"

namespace mcpw::flatten {
namespace {

json doc_with_schemas(json schemas, json body_schema) {
  return json{{"openapi", "3.0.3"},
              {"paths",
               {{"/x",
                 {{"post",
                   {{"operationId", "op"},
                    {"requestBody", {{"content", {{"application/json", {{"schema", body_schema}}}}}}},
                    {"responses", json::object()}}},
                  {"get", {{"operationId", "fine"}, {"responses", json::object()}}}}}}},
              {"components", {{"schemas", std::move(schemas)}}}};
}

const Diagnostic* only_diagnostic(const FlattenResult& r) { return r.diagnostics.size() == 1 ? &r.diagnostics[0] : nullptr; }

TEST(FlattenLimits, NotAnOpenApiDocument) {
  EXPECT_TRUE(flatten_openapi(json::array()).error().is(NOT_OPENAPI));
  EXPECT_TRUE(flatten_openapi(json{{"swagger", "1.2"}, {"paths", json::object()}}).error().is(NOT_OPENAPI));
  auto swagger = flatten_openapi(json{{"swagger", "2.0"}, {"paths", json::object()}});  // converted, no operations
  ASSERT_TRUE(swagger.ok());
  EXPECT_TRUE(swagger->tools.empty());
  EXPECT_TRUE(flatten_openapi(json{{"openapi", "2.0"}}).error().is(NOT_OPENAPI));
  auto empty = flatten_openapi(json{{"openapi", "3.1.0"}});  // webhooks-only documents have no paths
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->tools.empty());
}

TEST(FlattenLimits, DocumentTooDeep) {
  json deep = json::object();
  for (int i = 0; i < 400; ++i) deep = json{{"x", std::move(deep)}};
  json doc = {{"openapi", "3.0.0"}, {"paths", json::object()}, {"x-deep", std::move(deep)}};
  auto r = flatten_openapi(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(TOO_LARGE));
  FlattenLimits generous;
  generous.max_doc_depth = 1000;
  EXPECT_TRUE(flatten_openapi(doc, generous).ok());
}

TEST(FlattenLimits, TooManyOperations) {
  json paths = json::object();
  for (int i = 0; i < 20; ++i) paths["/p" + std::to_string(i)] = {{"get", {{"responses", json::object()}}}};
  json doc = {{"openapi", "3.0.0"}, {"paths", paths}};
  FlattenLimits limits;
  limits.max_operations = 19;
  EXPECT_TRUE(flatten_openapi(doc, limits).error().is(TOO_LARGE));
  limits.max_operations = 20;
  auto ok = flatten_openapi(doc, limits);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->tools.size(), 20u);
}

TEST(FlattenLimits, RefOnlyCycleIsAnError) {
  // A -> B -> A with no schema in between: nothing to keep as $defs.
  auto r = flatten_openapi(doc_with_schemas({{"A", {{"$ref", "#/components/schemas/B"}}}, {"B", {{"$ref", "#/components/schemas/A"}}}},
                                            {{"$ref", "#/components/schemas/A"}}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.bad_ref");
  EXPECT_EQ(r->tools.size(), 1u);  // "fine" still flattens
}

TEST(FlattenLimits, SelfRefIsAnError) {
  auto r = flatten_openapi(doc_with_schemas({{"A", {{"$ref", "#/components/schemas/A"}}}}, {{"$ref", "#/components/schemas/A"}}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.bad_ref");
}

TEST(FlattenLimits, LongRefChain) {
  json schemas = json::object();
  for (int i = 0; i < 40; ++i) schemas["R" + std::to_string(i)] = {{"$ref", "#/components/schemas/R" + std::to_string(i + 1)}};
  schemas["R40"] = {{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
  auto r = flatten_openapi(doc_with_schemas(schemas, {{"$ref", "#/components/schemas/R0"}}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.bad_ref");
  FlattenLimits generous;
  generous.max_ref_chain = 64;
  generous.max_schema_depth = 128;
  auto ok = flatten_openapi(doc_with_schemas(schemas, {{"$ref", "#/components/schemas/R0"}}), generous);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->diagnostics.empty());
}

TEST(FlattenLimits, ParameterRefLoop) {
  json doc = {{"openapi", "3.0.0"},
              {"paths", {{"/x", {{"get", {{"parameters", {{{"$ref", "#/components/parameters/P"}}}}, {"responses", json::object()}}}}}}},
              {"components", {{"parameters", {{"P", {{"$ref", "#/components/parameters/Q"}}}, {"Q", {{"$ref", "#/components/parameters/P"}}}}}}}};
  auto r = flatten_openapi(doc);
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.bad_ref");
}

TEST(FlattenLimits, PathItemRefLoop) {
  json doc = {{"openapi", "3.1.0"},
              {"paths", {{"/x", {{"$ref", "#/paths/~1y"}}}, {"/y", {{"$ref", "#/paths/~1x"}}}}}};
  auto r = flatten_openapi(doc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->diagnostics.size(), 2u);
  EXPECT_TRUE(r->tools.empty());
}

// Ten properties each referring to the next level, eight levels deep: 10^8
// nodes if inlined naively. The node budget stops it early.
TEST(FlattenLimits, ExponentialRefFanOutIsBounded) {
  json schemas = json::object();
  for (int level = 0; level < 8; ++level) {
    json props = json::object();
    for (int i = 0; i < 10; ++i) props["p" + std::to_string(i)] = {{"$ref", "#/components/schemas/L" + std::to_string(level + 1)}};
    schemas["L" + std::to_string(level)] = {{"type", "object"}, {"properties", props}};
  }
  schemas["L8"] = {{"type", "string"}};
  FlattenLimits limits;
  limits.max_schema_nodes = 20000;  // the default (200,000) ends the same way, later
  const auto t0 = std::chrono::steady_clock::now();
  auto r = flatten_openapi(doc_with_schemas(schemas, {{"$ref", "#/components/schemas/L0"}}), limits);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.schema_too_large");
  EXPECT_LT(s, 20.0);
}

TEST(FlattenLimits, DeepInlineNestingIsBounded) {
  json schemas = json::object();
  for (int i = 0; i < 100; ++i)
    schemas["S" + std::to_string(i)] = {{"type", "object"}, {"properties", {{"x", {{"$ref", "#/components/schemas/S" + std::to_string(i + 1)}}}}}};
  schemas["S100"] = {{"type", "string"}};
  auto r = flatten_openapi(doc_with_schemas(schemas, {{"$ref", "#/components/schemas/S0"}}));
  ASSERT_TRUE(r.ok());
  ASSERT_NE(only_diagnostic(*r), nullptr);
  EXPECT_EQ(only_diagnostic(*r)->id, "flatten.schema_too_large");
}

TEST(FlattenLimits, BadPointerSyntax) {
  for (const char* ref : {"#/components/schemas/Missing", "#components", "#/components/schemas/%zz", "other.json#/A", "#/paths/~2"}) {
    auto r = flatten_openapi(doc_with_schemas(json::object(), {{"$ref", ref}}));
    ASSERT_TRUE(r.ok()) << ref;
    ASSERT_NE(only_diagnostic(*r), nullptr) << ref;
    EXPECT_EQ(only_diagnostic(*r)->id, "flatten.bad_ref") << ref;
  }
}

TEST(FlattenLimits, PointerEscapesResolve) {
  json schemas = {{"a/b~c", {{"type", "object"}, {"properties", {{"k", {{"type", "integer"}}}}}}}};
  auto r = flatten_openapi(doc_with_schemas(schemas, {{"$ref", "#/components/schemas/a~1b~0c"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->diagnostics.empty());
  ASSERT_EQ(r->tools.size(), 2u);
}

// Malformed values where objects are expected are skipped or reported,
// never dereferenced blindly.
TEST(FlattenLimits, WrongTypesEverywhere) {
  const json junk[] = {json(1), json("x"), json::array({1, 2}), json(nullptr), json(true)};
  for (const json& j : junk) {
    json doc = {{"openapi", "3.0.0"},
                {"paths",
                 {{"/a/{id}",
                   {{"parameters", j},
                    {"get", {{"parameters", json::array({j, {{"in", "path"}, {"name", "id"}, {"schema", j}}})},
                             {"requestBody", {{"content", {{"application/json", {{"schema", {{"properties", j}, {"required", j}, {"allOf", j}}}}}}}}},
                             {"responses", {{"200", j}, {"201", {{"content", j}}}}}}},
                    {"post", j}}},
                  {"/b", j}}}};
    auto r = flatten_openapi(doc);
    ASSERT_TRUE(r.ok()) << dump_json(j);
  }
}

}  // namespace
}  // namespace mcpw::flatten
