// Property tests over every operation of the test documents: each flat key
// maps to exactly one place, and random arguments -> build_request ->
// parse_request give the same arguments back.

#include <set>

#include <gtest/gtest.h>

#include "arg_generator.h"
#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

constexpr int kIterations = 50;

void expect_one_place_per_key(const Tool& t) {
  std::set<std::string> keys;
  std::set<std::pair<int, std::string>> places;
  for (const KeyBinding& k : t.binding.keys) {
    EXPECT_TRUE(keys.insert(k.flat_key).second) << t.name << ": key " << k.flat_key << " twice";
    const std::string wire = k.location == Location::header ? detail::ascii_lower(k.name) : k.name;
    const int loc = k.location == Location::body ? static_cast<int>(Location::body_field) : static_cast<int>(k.location);
    EXPECT_TRUE(places.emplace(loc, wire).second) << t.name << ": place of " << k.flat_key << " twice";
  }
  const json* props = find_object(t.input_schema, "properties");
  ASSERT_NE(props, nullptr) << t.name;
  EXPECT_EQ(props->size(), keys.size()) << t.name;
  for (const std::string& k : keys) EXPECT_NE(find_member(*props, k), nullptr) << t.name << ": " << k;
}

// Returns the number of round trips run.
int round_trip_all(const FlattenResult& r, std::uint32_t seed, int iterations) {
  testing::ArgGenerator gen(seed);
  int runs = 0;
  for (const Tool& t : r.tools) {
    expect_one_place_per_key(t);
    for (int i = 0; i < iterations; ++i) {
      const json args = gen.arguments(t);
      auto req = build_request(t.binding, args);
      if (!req.ok()) {
        ADD_FAILURE() << t.name << ": build failed: " << req.error().message << "\nargs: " << dump_json(args);
        return runs;
      }
      auto back = parse_request(t.binding, req.value());
      if (!back.ok()) {
        ADD_FAILURE() << t.name << ": parse failed: " << back.error().message << "\nargs: " << dump_json(args)
                      << "\ntarget: " << req->target << "\nbody: " << req->body;
        return runs;
      }
      if (back.value() != testing::with_file_defaults(t, args)) {
        ADD_FAILURE() << t.name << ": round trip differs\nargs: " << dump_json(args)
                      << "\nback: " << dump_json(back.value()) << "\ntarget: " << req->target << "\nbody: " << req->body;
        return runs;
      }
      ++runs;
    }
  }
  return runs;
}

TEST(RoundTrip, DuvoDocument) {
  const FlattenResult r = testing::flatten_file("duvo-openapi.json");
  ASSERT_EQ(r.tools.size(), 53u);
  EXPECT_EQ(round_trip_all(r, 1, kIterations), 53 * kIterations);
}

TEST(RoundTrip, EdgeCaseDocument) {
  const FlattenResult r = testing::flatten_file("edge-cases-3.0.json");
  ASSERT_EQ(r.tools.size(), 23u);  // 25 operations, 2 with bad $refs
  EXPECT_EQ(round_trip_all(r, 2, kIterations), static_cast<int>(r.tools.size()) * kIterations);
}

TEST(RoundTrip, Small31Document) {
  const FlattenResult r = testing::flatten_file("small-3.1.json");
  ASSERT_EQ(r.tools.size(), 4u);
  EXPECT_EQ(round_trip_all(r, 3, kIterations), 4 * kIterations);
}

// A binding reloaded from its JSON form builds the same requests.
TEST(RoundTrip, BindingJsonFormIsLossless) {
  for (const char* file : {"duvo-openapi.json", "edge-cases-3.0.json", "small-3.1.json"}) {
    const FlattenResult r = testing::flatten_file(file);
    testing::ArgGenerator gen(5);
    for (const Tool& t : r.tools) {
      const json j = make_binding_json(t.binding);
      auto back = parse_binding_json(parse_json(dump_json(j)).value());
      ASSERT_TRUE(back.ok()) << t.name << ": " << back.error().message;
      EXPECT_EQ(make_binding_json(back.value()), j) << t.name;
      for (int i = 0; i < 5; ++i) {
        const json args = gen.arguments(t);
        auto a = build_request(t.binding, args), b = build_request(back.value(), args);
        ASSERT_TRUE(a.ok() && b.ok()) << t.name;
        EXPECT_EQ(a->target, b->target);
        EXPECT_EQ(a->body, b->body);
        EXPECT_EQ(a->headers, b->headers);
      }
    }
    const json tool = make_tool_json(r.tools[0]);
    EXPECT_EQ(tool["name"], r.tools[0].name);
    EXPECT_TRUE(tool["inputSchema"].is_object());
  }
  EXPECT_FALSE(parse_binding_json(json::array()).ok());
  EXPECT_TRUE(parse_binding_json({{"method", "GET"}, {"path", "/"}, {"body", "xml"}, {"keys", json::array()}})
                  .error()
                  .is(BAD_BINDING));
}

// The generator really varies what it draws (else the property is vacuous).
TEST(RoundTrip, GeneratorCoversOptionalKeysAndNulls) {
  const FlattenResult r = testing::flatten_file("duvo-openapi.json");
  const Tool* t = testing::find_tool(r, "updateAgentFolder");
  ASSERT_NE(t, nullptr);
  testing::ArgGenerator gen(4);
  int with_null = 0, with_name = 0;
  for (int i = 0; i < 200; ++i) {
    json a = gen.arguments(*t);
    if (a.contains("parent_folder_id") && a["parent_folder_id"].is_null()) ++with_null;
    if (a.contains("name")) ++with_name;
  }
  EXPECT_GT(with_null, 10);
  EXPECT_GT(with_name, 50);
  EXPECT_LT(with_name, 190);
}

}  // namespace
}  // namespace mcpw::flatten
