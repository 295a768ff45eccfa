// Hostile input never crashes (DESIGN.md: no input may abort the Wasm
// instance): mutated requests into parse_request, mutated documents into
// flatten_openapi, model arguments of the wrong shape into the mappers.
// ASan/UBSan natively turn any slip into a failure.

#include <random>

#include <gtest/gtest.h>

#include "arg_generator.h"
#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> op(0, 3), byte(0, 255);
  const int n = std::uniform_int_distribution<int>(1, 4)(rng);
  for (int i = 0; i < n && !s.empty(); ++i) {
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng);
    switch (op(rng)) {
      case 0: s[at] = static_cast<char>(byte(rng)); break;
      case 1: s.erase(at, 1); break;
      case 2: s.insert(at, 1, "%[]{}=&;,.|\r\n\"-"[byte(rng) % 15]); break;
      default: s.resize(at); break;
    }
  }
  return s;
}

TEST(Robustness, MutatedRequestsNeverCrashParseRequest) {
  const FlattenResult r = testing::flatten_file("duvo-openapi.json");
  const FlattenResult e = testing::flatten_file("edge-cases-3.0.json");
  std::mt19937 rng(21);
  testing::ArgGenerator gen(22);
  int parsed = 0, rejected = 0;
  for (const FlattenResult* doc : {&r, &e}) {
    for (const Tool& t : doc->tools) {
      for (int i = 0; i < 20; ++i) {
        auto req = build_request(t.binding, gen.arguments(t));
        ASSERT_TRUE(req.ok()) << t.name;
        HttpRequest m = req.value();
        m.target = mutate(m.target, rng);
        if (i % 2) m.body = mutate(m.body, rng);
        for (auto& h : m.headers) {
          if (i % 3 == 0) h.second = mutate(h.second, rng);
        }
        auto back = parse_request(t.binding, m);
        (back.ok() ? parsed : rejected) += 1;
        if (!back.ok()) EXPECT_TRUE(back.error().is(BAD_REQUEST)) << back.error().id.id;
      }
    }
  }
  EXPECT_GT(rejected, 100);  // the mutations really break requests
  EXPECT_GT(parsed, 10);
}

// Replaces random subtrees of a real document by junk values.
TEST(Robustness, MutatedDocumentsNeverCrashFlatten) {
  const json original = testing::load_doc(testing::data_path("edge-cases-3.0.json"));
  ASSERT_TRUE(original.is_object());
  std::mt19937 rng(23);
  const json junk[] = {json(nullptr), json(7), json("#/components/schemas/Node"), json::array({1}), json::object(),
                       json{{"$ref", "#/components/schemas/Node"}}, json{{"$ref", "#"}}, json{{"$ref", "#/paths"}},
                       json{{"allOf", json::array({json{{"$ref", "#/components/schemas/A"}}, 3})}}};
  int ok = 0;
  for (int round = 0; round < 80; ++round) {
    json doc = original;
    for (int m = 0; m < 3; ++m) {
      json* cur = &doc;
      for (int depth = 0; depth < 12 && cur->is_structured() && !cur->empty(); ++depth) {
        const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, cur->size() - 1)(rng);
        json* next = cur->is_object() ? &std::next(cur->begin(), static_cast<std::ptrdiff_t>(pick)).value() : &(*cur)[pick];
        if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) break;
        cur = next;
      }
      *cur = junk[std::uniform_int_distribution<std::size_t>(0, std::size(junk) - 1)(rng)];
    }
    auto r = flatten_openapi(doc);
    if (!r.ok()) continue;
    ++ok;
    for (const Tool& t : r->tools) {
      for (Provider p : {Provider::openai_strict, Provider::anthropic, Provider::gemini}) {
        auto a = adapt_tool(t.name, t.description, t.input_schema, p);
        if (a.ok()) (void)arguments_from_provider(a.value(), {{"x", json::array({1, nullptr})}});
      }
      (void)build_request(t.binding, {{"id", json::object()}});
    }
  }
  EXPECT_GT(ok, 10);  // many mutations hit "openapi" or the root itself
}

TEST(Robustness, ModelArgumentsOfTheWrongShape) {
  const FlattenResult r = testing::flatten_file("duvo-openapi.json");
  const json shapes[] = {json(nullptr), json(1), json("x"), json::array(), json::object(),
                         json::array({json{{"key", 1}}}), json{{"value", json::object()}}};
  for (Provider p : {Provider::openai, Provider::openai_strict, Provider::anthropic, Provider::gemini}) {
    AdaptResult a = adapt_tools(r.tools, p);
    for (const ProviderTool& t : a.tools) {
      const json* props = find_object(t.parameters, "properties");
      for (const json& s : shapes) {
        json args = json::object();
        if (props) {
          for (auto it = props->begin(); it != props->end(); ++it) args[it.key()] = s;
        }
        auto back = arguments_from_provider(t, args);
        if (back.ok()) (void)build_request(testing::find_tool(r, t.original_name)->binding, back.value());
      }
    }
  }
}

}  // namespace
}  // namespace mcpw::flatten
