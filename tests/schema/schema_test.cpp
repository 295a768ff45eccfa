// Unit tests of the compiled validator: errors as values, limits, output
// shapes, references, formats. The official suite is in suite_test.cpp.

#include "schema/schema.h"

#include <string>

#include "schema/program.h"  // internal: the word-at-a-time name helpers
#include "schema_helpers.h"

#include <gtest/gtest.h>

namespace mcpw::schema {
namespace {

using namespace test_util;

TEST(Schema, TypeAndRequired) {
  auto s = compile_ok(R"({"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}})");
  EXPECT_TRUE(valid(s, R"({"a":1})"));
  EXPECT_TRUE(valid(s, R"({"a":1.0})"));  // core §4.2.2: 1.0 is an integer
  EXPECT_FALSE(valid(s, R"({"a":1.5})"));
  EXPECT_FALSE(valid(s, R"({})"));
  EXPECT_FALSE(valid(s, R"([])"));
}

// minContains / maxContains past 32 bits saturate (fuzz: a 64-digit
// minContains was converted to uint32, undefined behaviour).
TEST(Schema, HugeContainsCountsSaturate) {
  auto at_least = compile_ok(R"({"contains":{"type":"null"},"minContains":6.6e63})");
  EXPECT_FALSE(valid(at_least, "[null, null]"));
  auto at_most = compile_ok(R"({"contains":{"type":"null"},"maxContains":1e300})");
  EXPECT_TRUE(valid(at_most, "[null, null, null]"));
  EXPECT_FALSE(valid(at_most, "[1]"));
}

// spec: 2020-12 core §9.3.1: `$schema` names a dialect; unknown ones are refused.
TEST(Schema, UnknownDialectIsATypedError) {
  auto s = CompiledSchema::compile(parse(R"({"$schema":"https://example.com/nope","type":"string"})"));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(SCHEMA_UNKNOWN_DIALECT)) << s.error().id.id;
  auto d4 = CompiledSchema::compile(parse(R"({"$schema":"http://json-schema.org/draft-04/schema#"})"));
  ASSERT_FALSE(d4.ok());
  EXPECT_TRUE(d4.error().is(SCHEMA_UNKNOWN_DIALECT));
}

TEST(Schema, EmbeddedDialectsWorkOffline) {
  auto d7 = compile_ok(R"({"$schema":"http://json-schema.org/draft-07/schema#","items":[{"type":"string"}],"additionalItems":false})");
  EXPECT_TRUE(valid(d7, R"(["a"])"));
  EXPECT_FALSE(valid(d7, R"(["a",1])"));
  auto d19 = compile_ok(R"({"$schema":"https://json-schema.org/draft/2019-09/schema","items":[{"type":"string"}],"additionalItems":false})");
  EXPECT_FALSE(valid(d19, R"(["a",1])"));
  // Validating a schema against the embedded 2020-12 metaschema ($dynamicRef through its vocabularies).
  auto meta = compile_ok(R"({"$ref":"https://json-schema.org/draft/2020-12/schema"})");
  EXPECT_TRUE(valid(meta, R"({"type":"string","minLength":2})"));
  EXPECT_FALSE(valid(meta, R"({"type":"strin"})"));
  EXPECT_FALSE(valid(meta, R"({"minLength":-1})"));
  EXPECT_FALSE(valid(meta, R"({"properties":{"a":{"type":7}}})"));
  auto meta7 = compile_ok(R"({"$ref":"http://json-schema.org/draft-07/schema#"})");
  EXPECT_FALSE(valid(meta7, R"({"required":"a"})"));
}

TEST(Schema, UnresolvableRefFailsCompile) {
  auto s = CompiledSchema::compile(parse(R"({"$ref":"#/$defs/missing"})"));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(SCHEMA_UNRESOLVED_REF));
  // Even where nothing reaches it.
  auto unused = CompiledSchema::compile(parse(R"({"$defs":{"unused":{"items":{"$ref":"#/$defs/nope"}}},"type":"object"})"));
  ASSERT_FALSE(unused.ok());
  EXPECT_TRUE(unused.error().is(SCHEMA_UNRESOLVED_REF));
  auto remote = CompiledSchema::compile(parse(R"({"$ref":"https://example.com/other.json"})"));
  ASSERT_FALSE(remote.ok());
  EXPECT_TRUE(remote.error().is(SCHEMA_UNRESOLVED_REF));
}

TEST(Schema, ResolverSuppliesOtherDocuments) {
  std::vector<std::string> asked;
  CompileOptions opt;
  opt.resolver = [&](std::string_view uri) -> Result<std::string> {
    asked.emplace_back(uri);
    if (uri == "https://example.com/defs.json") return std::string(R"({"$defs":{"id":{"type":"string","minLength":3}}})");
    return Error(INVALID_ARGUMENT, "unknown");
  };
  auto s = compile_ok(R"({"$id":"https://example.com/root.json","properties":{"id":{"$ref":"defs.json#/$defs/id"}}})", opt);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], "https://example.com/defs.json");
  EXPECT_TRUE(valid(s, R"({"id":"abc"})"));
  EXPECT_FALSE(valid(s, R"({"id":"ab"})"));
  auto bad = CompiledSchema::compile(parse(R"({"$ref":"https://example.com/none.json"})"), opt);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(SCHEMA_UNRESOLVED_REF));
}

// spec: 2020-12 core §8.1.2: a required vocabulary we do not know is an error.
TEST(Schema, UnknownRequiredVocabularyIsRefused) {
  CompileOptions opt;
  opt.resolver = [](std::string_view uri) -> Result<std::string> {
    if (uri == "https://example.com/meta") {
      return std::string(R"({"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/meta",
        "$vocabulary":{"https://json-schema.org/draft/2020-12/vocab/core":true,"https://example.com/vocab/magic":true}})");
    }
    return Error(INVALID_ARGUMENT, "unknown");
  };
  auto s = CompiledSchema::compile(parse(R"({"$schema":"https://example.com/meta","type":"string"})"), opt);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(SCHEMA_UNKNOWN_DIALECT) || s.error().is(SCHEMA_UNSUPPORTED)) << s.error().id.id;
}

// A self-referential schema must end with an error, not loop or overflow.
TEST(Schema, ReferenceCyclesEndWithAnError) {
  for (const char* text : {R"({"$ref":"#"})", R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"})",
                           R"({"anyOf":[{"type":"string"},{"$ref":"#"}]})"}) {
    auto s = compile_ok(text);
    auto r = s.validate(json(1));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_TRUE(r.error().is(SCHEMA_EVAL_DEPTH));
    auto b = s.validate(json(1), OutputFormat::basic);
    ASSERT_FALSE(b.ok());
  }
  // The same schema is fine where it terminates.
  auto s = compile_ok(R"({"anyOf":[{"type":"string"},{"$ref":"#"}]})");
  EXPECT_TRUE(s.validate(json("x")).value().valid);
}

// A schema whose evaluation fans out exponentially ends with an error too.
TEST(Schema, ExponentialFanOutHitsTheStepBudget) {
  json defs = json::object();
  for (int i = 0; i < 40; ++i) {
    const std::string next = "#/$defs/d" + std::to_string(i + 1);
    defs["d" + std::to_string(i)] = json{{"anyOf", json::array({json{{"$ref", next}}, json{{"$ref", next}}})}};
  }
  defs["d40"] = json{{"type", "string"}};
  auto s = CompiledSchema::compile(json{{"$defs", defs}, {"$ref", "#/$defs/d0"}});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->validate(json("x")).value().valid);  // the first branch succeeds at once
  CompileOptions small;
  small.limits.max_eval_steps = 100'000;
  auto t = CompiledSchema::compile(json{{"$defs", defs}, {"$ref", "#/$defs/d0"}}, small);
  ASSERT_TRUE(t.ok());
  auto r = t->validate(json(1));  // every branch fails: 2^40 paths
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(SCHEMA_EVAL_BUDGET));
}

// Pattern work is charged too: many members times many patterns is bounded.
TEST(Schema, PatternWorkCountsAgainstTheBudget) {
  json pp = json::object();
  for (int i = 0; i < 50; ++i) pp["x" + std::to_string(i) + "$"] = json{{"type", "string"}};
  CompileOptions opt;
  opt.limits.max_eval_steps = 5'000;  // + 64 per instance node
  auto s = CompiledSchema::compile(json{{"patternProperties", pp}}, opt);
  if (!s.ok() && s.error().is(SCHEMA_UNSUPPORTED)) GTEST_SKIP() << "built without the regex engine";
  ASSERT_TRUE(s.ok());
  json inst = json::object();
  for (int i = 0; i < 100; ++i) inst[std::to_string(i) + std::string(512, 'k')] = 1;
  auto r = s->validate(inst);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(SCHEMA_EVAL_BUDGET));
  // A document of the same size with little work per member is fine.
  auto plain = CompiledSchema::compile(json{{"additionalProperties", json{{"type", "integer"}}}}, opt);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->validate(inst).value().valid);
}

// Recursion through an instance is fine as deep as the instance limit allows.
TEST(Schema, RecursiveSchemaOnDeepInstance) {
  auto s = compile_ok(R"({"type":"array","items":{"$ref":"#"}})");
  std::string deep(100, '[');
  deep.append(100, ']');
  EXPECT_TRUE(valid(s, deep));
}

TEST(Schema, MillionDeepInstanceIsRefused) {
  auto s = compile_ok(R"({"type":"array","items":{"$ref":"#"}})");
  std::string deep(1'000'000, '[');
  deep.append(1'000'000, ']');
  auto r = s.validate_text(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_TOO_DEEP));
  // With the parse limit lifted, evaluation depth still bounds the walk.
  JsonLimits lax;
  lax.max_depth = 2'000'000;
  auto r2 = s.validate_text(deep, OutputFormat::flag, lax);
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(r2.error().is(SCHEMA_EVAL_DEPTH));
  // A deep nlohmann value is refused while converting it.
  json v = json::array();
  for (int i = 0; i < 1000; ++i) v = json::array({std::move(v)});
  auto r3 = s.validate(v);
  ASSERT_FALSE(r3.ok());
  EXPECT_TRUE(r3.error().is(JSON_TOO_DEEP));
}

TEST(Schema, DeepSchemaIsRefusedBeforeAnyWalk) {
  std::string text;
  for (int i = 0; i < 100'000; ++i) text += R"({"not":)";
  text += "true";
  text.append(100'000, '}');
  JsonLimits lax;
  lax.max_depth = 200'000;
  auto doc = parse_json(text, lax);
  ASSERT_TRUE(doc.ok());
  auto s = CompiledSchema::compile(doc.value());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(SCHEMA_TOO_LARGE));
  // Tearing the document down recursively would overflow: flatten it first.
  json* cur = &doc.value();
  std::vector<json> parts;
  while (cur->is_object() && cur->contains("not")) {
    json next = std::move((*cur)["not"]);
    *cur = nullptr;
    parts.push_back(std::move(next));
    cur = &parts.back();
  }
}

TEST(Schema, CompileLimits) {
  CompileOptions opt;
  opt.limits.max_instructions = 3;
  auto s = CompiledSchema::compile(parse(R"({"type":"object","minProperties":1,"maxProperties":3,"required":["a"]})"), opt);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(SCHEMA_TOO_LARGE));
}

TEST(Schema, InvalidKeywordValuesAreRefused) {
  for (const char* text : {R"({"type":"strin"})", R"({"minLength":-1})", R"({"required":"a"})",
                           R"({"properties":[]})", R"({"allOf":[]})", R"({"multipleOf":0})", R"({"items":3})", "3"}) {
    auto s = CompiledSchema::compile(parse(text));
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_TRUE(s.error().is(SCHEMA_INVALID)) << text << " " << s.error().id.id;
  }
}

// spec: 2020-12 core §12.4 output formats: "flag" and "basic".
TEST(Schema, BasicOutputHasPointers) {
  auto s = compile_ok(R"({
    "$defs": {"name": {"type": "string", "minLength": 2}},
    "properties": {"a/b": {"$ref": "#/$defs/name"}, "list": {"items": {"minimum": 0}}},
    "required": ["must"]})");
  auto out = s.validate(parse(R"({"a/b": "x", "list": [1, -1, 2, -5]})"), OutputFormat::basic);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->valid);
  Located want = {
      {"/required", ""},
      {"/properties/a~1b/$ref/minLength", "/a~1b"},
      {"/properties/list/items/minimum", "/list/1"},
      {"/properties/list/items/minimum", "/list/3"},
  };
  std::sort(want.begin(), want.end());
  EXPECT_EQ(located(*out), want);
  for (const auto& e : out->errors) EXPECT_FALSE(e.message.empty());
  const json j = make_basic_output(out.value());
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["errors"].size(), 4u);
  // flag: verdict only.
  auto flag = s.validate(parse(R"({"a/b": "x"})"));
  ASSERT_TRUE(flag.ok());
  EXPECT_FALSE(flag->valid);
  EXPECT_TRUE(flag->errors.empty());
}

TEST(Schema, AnyOfErrorsAreDroppedWhenOneBranchPasses) {
  auto s = compile_ok(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})");
  auto ok = s.validate(json(3), OutputFormat::basic);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->valid);
  EXPECT_TRUE(ok->errors.empty());
  auto bad = s.validate(json(3.5), OutputFormat::basic);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->valid);
  ASSERT_FALSE(bad->errors.empty());
  EXPECT_EQ(bad->errors.back().keyword_location, "/anyOf");
}

// spec: 2020-12 validation §7.2: formats annotate unless assertion is asked for.
TEST(Schema, FormatsAnnotateByDefault) {
  auto annotate = compile_ok(R"({"format":"date-time"})");
  EXPECT_TRUE(valid(annotate, R"("yesterday")"));
  CompileOptions opt;
  opt.format_assertion = true;
  auto assert_ = compile_ok(R"({"format":"date-time"})", opt);
  EXPECT_FALSE(valid(assert_, R"("yesterday")"));
  EXPECT_TRUE(valid(assert_, R"("2026-03-11T09:30:00Z")"));
  EXPECT_TRUE(valid(assert_, "12"));
}

TEST(Schema, UnevaluatedPropertiesSeeOnlyTheirOwnSubtree) {
  auto s = compile_ok(R"({"properties":{"foo":true},"allOf":[{"unevaluatedProperties":false}]})");
  EXPECT_FALSE(valid(s, R"({"foo":1})"));
  auto t = compile_ok(R"({"allOf":[{"properties":{"foo":true}}],"unevaluatedProperties":false})");
  EXPECT_TRUE(valid(t, R"({"foo":1})"));
  EXPECT_FALSE(valid(t, R"({"foo":1,"bar":2})"));
}

// ECMA-262 patterns through the regex module; a catastrophic pattern ends
// with a verdict or a budget error, never a hang.
TEST(Schema, PatternsAreEcmaScriptAndBounded) {
  auto s = CompiledSchema::compile(parse(R"({"pattern":"^\\p{L}+$"})"));
  if (!s.ok() && s.error().is(SCHEMA_UNSUPPORTED)) GTEST_SKIP() << "built without the regex engine";
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(valid(s.value(), R"("héllo")"));
  EXPECT_FALSE(valid(s.value(), R"("a1")"));
  auto evil = CompiledSchema::compile(parse(R"({"pattern":"^(a+)+$"})"));
  ASSERT_TRUE(evil.ok());
  std::string subject = "\"" + std::string(5000, 'a') + "!\"";
  auto r = evil->validate_text(subject);
  if (r.ok()) {
    EXPECT_FALSE(r->valid);
  } else {
    EXPECT_TRUE(r.error().is(SCHEMA_REGEX_BUDGET));
  }
}

// The host may inject its own engine (in Wasm: JS RegExp through a callback).
class SubstringEngine : public PatternEngine {
 public:
  Result<std::uint32_t> compile(std::string_view pattern) override {
    if (pattern.find('(') != std::string_view::npos) return Error(INVALID_ARGUMENT, "no groups here");
    patterns.emplace_back(pattern);
    return static_cast<std::uint32_t>(patterns.size() - 1);
  }
  Result<bool> search(std::uint32_t handle, std::string_view subject) const override {
    ++searches;
    if (subject == "boom") return Error(INVALID_ARGUMENT, "host failed");
    return subject.find(patterns[handle]) != std::string_view::npos;
  }
  std::vector<std::string> patterns;
  mutable int searches = 0;
};

TEST(Schema, InjectedPatternEngine) {
  auto engine = std::make_shared<SubstringEngine>();
  CompileOptions opt;
  opt.pattern_engine = engine;
  auto s = compile_ok(R"({"properties":{"a":{"pattern":"xy"}},"patternProperties":{"^":{"type":"string"}}})", opt);
  EXPECT_EQ(engine->patterns.size(), 2u);
  EXPECT_TRUE(valid(s, R"({"a":"axyz"})"));
  EXPECT_FALSE(valid(s, R"({"a":"ab"})"));
  EXPECT_GT(engine->searches, 0);
  auto failing = s.validate(parse(R"({"a":"boom"})"));
  ASSERT_FALSE(failing.ok());
  EXPECT_TRUE(failing.error().is(SCHEMA_REGEX_BUDGET));
  auto bad = CompiledSchema::compile(parse(R"j({"pattern":"(a)"})j"), opt);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(SCHEMA_INVALID));
}

TEST(Schema, InstanceSyntaxErrorsKeepJsonIds) {
  auto s = compile_ok(R"({"type":"object"})");
  auto r = s.validate_text(R"({"a":)");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(JSON_SYNTAX));
  auto big = s.validate_text(R"({"a":1})", OutputFormat::flag, JsonLimits{4, 128, 16});
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().is(JSON_TOO_LARGE));
}

// Large property sets and enums use hashed lookups: same answers as small ones.
TEST(Schema, ManyPropertiesAndLargeEnums) {
  json props = json::object();
  json names = json::array();
  for (int i = 0; i < 40; ++i) {
    props["p" + std::to_string(i)] = json{{"type", i % 2 ? "string" : "integer"}};
    names.push_back("v" + std::to_string(i));
  }
  props["e"] = json{{"enum", names}};
  auto s = CompiledSchema::compile(json{{"properties", props}, {"additionalProperties", false}});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(valid(s.value(), R"({"p0":1,"p1":"a","p38":2,"p39":"z","e":"v17"})"));
  EXPECT_FALSE(valid(s.value(), R"({"p0":"x"})"));
  EXPECT_FALSE(valid(s.value(), R"({"p39":1})"));
  EXPECT_FALSE(valid(s.value(), R"({"p40":1})"));
  EXPECT_FALSE(valid(s.value(), R"({"e":"v40"})"));
  for (int i = 0; i < 40; ++i) {
    EXPECT_TRUE(valid(s.value(), "{\"e\":\"v" + std::to_string(i) + "\"}"));
  }
}

// Verdict-only output checks a closed object's member names before any value
// (object_props with PROPS_CLOSED); the verdicts must match the basic output,
// which still lists every error.
TEST(Schema, ClosedObjectsAgreeAcrossOutputs) {
  auto s = compile_ok(
      R"({"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"additionalProperties":false})");
  const auto basic_errors = [&](std::string_view instance) {
    auto out = s.validate_text(instance, OutputFormat::basic);
    EXPECT_TRUE(out.ok());
    return out.ok() ? out->errors.size() : 0u;
  };
  EXPECT_TRUE(valid(s, R"({"a":1,"b":"y"})"));
  EXPECT_TRUE(valid(s, R"({"b":"y","a":1})"));
  EXPECT_TRUE(valid(s, "{}"));
  EXPECT_TRUE(valid(s, R"({"a":"x","a":1})"));  // the last of a repeated name counts
  EXPECT_FALSE(valid(s, R"({"a":1,"z":1})"));
  EXPECT_FALSE(valid(s, R"({"z":1,"a":1})"));
  EXPECT_FALSE(valid(s, R"({"a":"x"})"));
  EXPECT_FALSE(valid(s, R"({"a":1,"a":"x"})"));
  EXPECT_EQ(basic_errors(R"({"a":"x","z":1})"), 2u);  // the bad value and the unknown name

  // No properties at all: every member is unknown.
  auto none = compile_ok(R"({"additionalProperties":false})");
  EXPECT_TRUE(valid(none, "{}"));
  EXPECT_TRUE(valid(none, "[1]"));
  EXPECT_FALSE(valid(none, R"({"a":1})"));

  // patternProperties keep a member the properties do not name.
  auto patterned = compile_ok(R"({"properties":{"a":{}},"patternProperties":{"^x":{"type":"integer"}},"additionalProperties":false})");
  EXPECT_TRUE(valid(patterned, R"({"x1":1,"a":null})"));
  EXPECT_FALSE(valid(patterned, R"({"x1":"s"})"));
  EXPECT_FALSE(valid(patterned, R"({"y":1})"));

  // Past 32 members the names are looked up as the values are evaluated.
  std::string props, many;
  for (int i = 0; i < 40; ++i) {
    props += (i ? "," : "") + std::string("\"p") + std::to_string(i) + "\":{\"type\":\"integer\"}";
    many += (i ? "," : "") + std::string("\"p") + std::to_string(i) + "\":" + std::to_string(i);
  }
  auto wide = compile_ok("{\"properties\":{" + props + "},\"additionalProperties\":false}");
  EXPECT_TRUE(valid(wide, "{" + many + "}"));
  EXPECT_FALSE(valid(wide, "{" + many + ",\"q\":1}"));
  EXPECT_FALSE(valid(wide, "{" + many + ",\"p3\":\"x\"}"));
}

// Up to 8 scalar items are compared pairwise; longer or nested arrays by hash.
TEST(Schema, UniqueItemsSmallAndLarge) {
  auto s = compile_ok(R"({"uniqueItems":true})");
  EXPECT_TRUE(valid(s, "[]"));
  EXPECT_TRUE(valid(s, R"(["a","b","c"])"));
  EXPECT_FALSE(valid(s, R"(["a","b","a"])"));
  EXPECT_FALSE(valid(s, "[1,1.0]"));  // equal as numbers
  EXPECT_TRUE(valid(s, "[1,true]"));
  EXPECT_TRUE(valid(s, "[0,false,null]"));
  EXPECT_FALSE(valid(s, "[null,null]"));
  EXPECT_TRUE(valid(s, "[1,2,3,4,5,6,7,8]"));
  EXPECT_FALSE(valid(s, "[1,2,3,4,5,6,7,1]"));
  EXPECT_TRUE(valid(s, "[1,2,3,4,5,6,7,8,9]"));
  EXPECT_FALSE(valid(s, "[1,2,3,4,5,6,7,8,9,1]"));
  EXPECT_FALSE(valid(s, "[[1],[1]]"));
  EXPECT_TRUE(valid(s, R"([{"a":1},{"a":2}])"));
}

// object_props looks member names up a word at a time where 8 bytes are
// readable, else byte by byte: both must give the same hash and equality.
TEST(Schema, PaddedNameHelpersMatchTheByteLoops) {
  std::string buf(64, '\0');
  for (std::size_t n = 0; n <= 24; ++n) {
    for (std::size_t at : {std::size_t{0}, std::size_t{3}, std::size_t{17}}) {
      for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>('a' + (i * 7 + n) % 26);
      const std::string_view name(buf.data() + at, n);
      const std::string copy(name);
      EXPECT_EQ(hash_name_padded(name.data(), n), hash_name(name)) << n;
      std::string other = copy + std::string(8, 'z');  // padded, different bytes after the name
      EXPECT_TRUE(names_equal_padded(name.data(), other.data(), n)) << n;
      if (n > 0) {
        other[n - 1] = static_cast<char>(other[n - 1] ^ 1);
        EXPECT_FALSE(names_equal_padded(name.data(), other.data(), n)) << n;
        other[n - 1] = static_cast<char>(other[n - 1] ^ 1);
        other[0] = static_cast<char>(other[0] ^ 0x20);
        EXPECT_FALSE(names_equal_padded(name.data(), other.data(), n)) << n;
      }
    }
  }
}

TEST(Schema, CompiledSchemaIsReusableAfterMove) {
  auto s = compile_ok(R"({"enum":[1,"a",{"b":[1,2]}]})");
  CompiledSchema moved = std::move(s);
  EXPECT_TRUE(valid(moved, R"({"b":[1,2.0]})"));
  EXPECT_FALSE(valid(moved, R"({"b":[2,1]})"));
  EXPECT_TRUE(valid(moved, "1.0"));
  EXPECT_GT(moved.instruction_count(), 0u);
}

}  // namespace
}  // namespace mcpw::schema
