// The instance tape: built from text (SAX) and from an nlohmann value, the two
// must agree. Property test: mutated JSON texts never crash the text path, and
// whenever the text parses, both paths give the same verdict.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "schema/schema.h"
#include "schema/tape.h"

namespace mcpw::schema {
namespace {

// Node by node, the same tape (keys and strings compared as bytes).
void expect_same_tape(const Tape& a, const Tape& b, const std::string& text) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size()) << text;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const TapeNode &x = a.nodes[i], &y = b.nodes[i];
    ASSERT_EQ(x.kind, y.kind) << text << " node " << i;
    EXPECT_EQ(x.end, y.end) << text;
    EXPECT_EQ(a.key(x), b.key(y)) << text;
    if (x.kind == NodeKind::string) EXPECT_EQ(a.str(x), b.str(y)) << text;
    if (x.kind == NodeKind::array || x.kind == NodeKind::object) EXPECT_EQ(x.count, y.count) << text;
    if (x.kind == NodeKind::integer) EXPECT_EQ(x.i, y.i) << text;
    if (x.kind == NodeKind::number) EXPECT_EQ(x.num, y.num) << text;
    if (x.kind == NodeKind::boolean) EXPECT_EQ(x.flag, y.flag) << text;
  }
}

TEST(Tape, ScannerSaxAndDomBuildTheSameTape) {
  for (const std::string& text : std::initializer_list<std::string>{
           std::string(R"({"a":[1,-2,3.5,18446744073709551615,"x\u00e9\ud83d\ude00\n\/",true,null,{}],"b":{"c":[[]]}})"),
           std::string(R"([-9223372036854775808,9223372036854775807,9223372036854775808,-9223372036854775809,1e400x])").substr(0, 86) + "]",
           std::string(R"(  [0, -0, 0.5e-3, 1E+2, 123456789012345678901234567890, "\u0000", "é€😀", "a\"b"]  )"),
           std::string("\xEF\xBB\xBF{\"bom\":1}"),
       }) {
    Tape scanned, sax, dom;
    auto parsed = parse_json(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_TRUE(scan_tape_from_text(text, {}, scanned).ok()) << text;
    ASSERT_TRUE(build_tape_from_text(text, {}, sax).ok()) << text;
    ASSERT_TRUE(build_tape_from_json(parsed.value(), 128, dom).ok()) << text;
    expect_same_tape(scanned, sax, text);
    expect_same_tape(scanned, dom, text);
  }
}

// Strings are read in blocks (16 bytes with Wasm SIMD, 8 otherwise, then
// byte by byte): an escape, a quote, UTF-8, a control byte or a stray
// continuation byte at every position of strings up to 40 bytes, after
// prefixes of 0-3 bytes, is read as nlohmann reads it (same value, or both
// refuse).
TEST(Tape, EverySpecialByteAtEveryPositionOfAString) {
  const std::vector<std::string> specials = {"\\n", "\\\"", "\\u00e9", "\xC3\xA9", "\xE2\x82\xAC", "\x01", "\x80", "\x7F"};
  for (std::size_t pad = 0; pad < 4; ++pad) {
    for (std::size_t len = 0; len <= 40; ++len) {
      for (std::size_t at = 0; at <= len; ++at) {
        for (const std::string& special : specials) {
          std::string body(len, 'a');
          body.insert(at, special);
          const std::string text = "[" + std::string(pad, ' ') + "\"" + body + "\",1]";
          Tape scanned, dom;
          auto parsed = parse_json(text);
          const bool ok = scan_tape_from_text(text, {}, scanned).ok();
          ASSERT_EQ(ok, parsed.ok()) << pad << " " << len << " " << at << " " << special;
          if (!ok) continue;
          ASSERT_TRUE(build_tape_from_json(parsed.value(), 128, dom).ok());
          expect_same_tape(scanned, dom, text);
        }
      }
    }
  }
}

// A tools/list-shaped answer scanned into a tape reserved for its size: the
// same nodes as into a bare tape, with no reallocation on the way.
TEST(Tape, ReservedForItsTextTheTapeDoesNotGrow) {
  std::string text = R"({"tools":[)";
  for (int i = 0; i < 300; ++i) {
    if (i) text += ',';
    text += R"({"name":"op_)" + std::to_string(i) +
            R"(","description":"Lists the things of an account, newest first.","inputSchema":{"type":"object","properties":{"id":{"type":"integer"},)"
            R"("q":{"type":"string","maxLength":50}},"required":["id"]},"annotations":{"readOnlyHint":true}})";
  }
  text += "]}";
  Tape bare, reserved;
  ASSERT_TRUE(scan_tape_from_text(text, JsonLimits{}, bare).ok());
  reserve_nodes(reserved, text.size());
  const TapeNode* before = reserved.nodes.data();
  ASSERT_TRUE(scan_tape_from_text(text, JsonLimits{}, reserved).ok());
  EXPECT_EQ(reserved.nodes.data(), before);
  expect_same_tape(bare, reserved, text);
}

TEST(Tape, ScannerRefusesWhatNlohmannRefuses) {
  for (const std::string& text : std::initializer_list<std::string>{"", " ", "[", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru",
                                 "nul", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\nb\"",
                                 "\"\xC0\x80\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xE2\x82\"", "1e400", "[1] 2",
                                 "{\"a\":1}}", "[}", "{]", "\"\\u12G4\""}) {
    Tape t;
    EXPECT_FALSE(scan_tape_from_text(text, {}, t).ok()) << text;
    EXPECT_FALSE(parse_json(text).ok()) << "nlohmann accepts " << text;
  }
}

// nlohmann stops at a NUL byte between tokens ("0\0x" parses as 0); the
// scanner does not hide trailing bytes that way.
TEST(Tape, ScannerRefusesTrailingBytesAfterNul) {
  const std::string text("0\0{\"evil\":1}", 12);
  Tape t;
  EXPECT_FALSE(scan_tape_from_text(text, {}, t).ok());
  EXPECT_FALSE(parse_json(text).ok());  // both readers refuse it (support's parse_json rejects raw NUL)
}

TEST(Tape, TextAndDomBuildTheSameTape) {
  const std::string text = R"({"a":[1,-2,3.5,18446744073709551615,"x\u00e9",true,null,{}],"b":{"c":[[]]}})";
  Tape from_text, from_dom;
  ASSERT_TRUE(build_tape_from_text(text, {}, from_text).ok());
  ASSERT_TRUE(build_tape_from_json(parse_json(text).value(), 128, from_dom).ok());
  ASSERT_EQ(from_text.nodes.size(), from_dom.nodes.size());
  EXPECT_TRUE(tape_equal(from_text, 0, from_dom, 0));
  EXPECT_EQ(tape_hash(from_text, 0), tape_hash(from_dom, 0));
  for (std::size_t i = 0; i < from_text.nodes.size(); ++i) {
    EXPECT_EQ(from_text.nodes[i].end, from_dom.nodes[i].end) << i;
    EXPECT_EQ(from_text.nodes[i].count, from_dom.nodes[i].count) << i;
    EXPECT_EQ(from_text.nodes[i].kind, from_dom.nodes[i].kind) << i;
  }
  EXPECT_EQ(from_text.nodes[0].count, 2u);
}

// The scanner's fast decimal path (Clinger) must give strtod's double, bit for bit.
TEST(Tape, ScannerNumbersMatchNlohmannBitForBit) {
  std::uint64_t x = 88172645463325252ull;
  auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  std::string text = "[0.1,0.2,0.3,-0.0,1e22,1e23,1e-22,9007199254740993.5,123456789012345.6,1.7976931348623157e308,"
                     "5e-324,2.2250738585072014e-308,0.000000000000000000001,100000000000000000000000.5,1E2,1e+2,-1.5e-7";
  for (int k = 0; k < 3000; ++k) {
    std::string mant = std::to_string(next() % 1000000000000000000ull);
    mant = mant.substr(0, 1 + next() % mant.size());
    const std::size_t dot = next() % (mant.size() + 1);
    if (dot < mant.size()) mant.insert(dot, dot == 0 ? "0." : ".");
    else mant += ".5";
    if (next() % 2) mant += "e" + std::to_string(static_cast<int>(next() % 60) - 30);
    text += "," + std::string(next() % 2 ? "-" : "") + mant;
  }
  text += "]";
  Tape scanned, sax;
  ASSERT_TRUE(scan_tape_from_text(text, {}, scanned).ok());
  ASSERT_TRUE(build_tape_from_text(text, {}, sax).ok());
  ASSERT_EQ(scanned.nodes.size(), sax.nodes.size());
  for (std::size_t i = 1; i < scanned.nodes.size(); ++i) {
    std::uint64_t a, b;
    std::memcpy(&a, &scanned.nodes[i].num, 8);
    std::memcpy(&b, &sax.nodes[i].num, 8);
    ASSERT_EQ(a, b) << "number " << i << ": " << scanned.nodes[i].num << " vs " << sax.nodes[i].num;
  }
}

TEST(Tape, EqualityIsJsonEquality) {
  auto tape = [](std::string_view t) {
    Tape x;
    EXPECT_TRUE(build_tape_from_text(t, {}, x).ok());
    return x;
  };
  EXPECT_TRUE(tape_equal(tape(R"({"a":1,"b":[1.0,{}]})"), 0, tape(R"({"b":[1,{}],"a":1.0})"), 0));
  EXPECT_FALSE(tape_equal(tape(R"({"a":1})"), 0, tape(R"({"a":1,"b":1})"), 0));
  EXPECT_FALSE(tape_equal(tape("[1,2]"), 0, tape("[2,1]"), 0));
  EXPECT_FALSE(tape_equal(tape("0"), 0, tape("false"), 0));
  EXPECT_EQ(tape_hash(tape(R"({"a":1,"b":2})"), 0), tape_hash(tape(R"({"b":2,"a":1.0})"), 0));
}

TEST(Tape, DuplicateNamesKeepTheLastLikeTheDom) {
  auto s = CompiledSchema::compile(parse_json(R"({"properties":{"a":{"type":"integer"},"b":{"type":"object","properties":{"c":{"const":2}}}},"required":["a"]})").value());
  ASSERT_TRUE(s.ok());
  for (const char* text : {R"({"a":"x","a":1})", R"({"a":1,"a":"x"})", R"({"a":1,"b":{"c":1},"a":2,"b":{"c":2}})",
                           R"({"b":{"c":2,"c":1,"c":2},"z":[{"q":1,"q":[1,2]}],"a":0})",
                           R"({"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"a":"no","k3":[{}],"a":5})"}) {
    auto dom = parse_json(text);
    ASSERT_TRUE(dom.ok());
    auto v1 = s->validate(dom.value());
    auto v2 = s->validate_text(text);
    ASSERT_TRUE(v1.ok() && v2.ok());
    EXPECT_EQ(v1->valid, v2->valid) << text;
    Tape a, b, c;
    ASSERT_TRUE(build_tape_from_text(text, {}, a).ok());
    ASSERT_TRUE(build_tape_from_json(dom.value(), 128, b).ok());
    ASSERT_TRUE(scan_tape_from_text(text, {}, c).ok());
    EXPECT_TRUE(tape_equal(a, 0, b, 0)) << text;
    EXPECT_EQ(a.nodes.size(), b.nodes.size()) << text;
    expect_same_tape(c, a, text);
  }
}

// Duplicate names are found by bins of (length, first byte, last byte) and
// then compared (two members: compared directly): every pair of positions in
// objects of 2 to 20 members, with names that share bins without being equal.
TEST(Tape, EveryDuplicatePairIsFound) {
  for (const char* text : {R"({"ab":1,"ac":2})", R"({"ab":1,"ba":2})", R"({"":1,"a":2})"}) {
    Tape tape;
    ASSERT_TRUE(scan_tape_from_text(text, {}, tape).ok());
    EXPECT_EQ(tape.nodes[0].count, 2u) << text;  // names of one length, not equal: both kept
  }
  for (std::uint32_t count = 2; count <= 20; ++count) {
    std::vector<std::string> names;
    for (std::uint32_t i = 0; i < count; ++i) names.push_back("k" + std::string(i % 3, 'x') + std::to_string(i % 10) + "y");
    for (std::uint32_t i = 0; i < count; ++i) names[i] += std::string(1, static_cast<char>('a' + i));  // all distinct
    const auto text_of = [](const std::vector<std::string>& ns) {
      std::string t = "{";
      for (std::size_t i = 0; i < ns.size(); ++i) t += (i ? ",\"" : "\"") + ns[i] + "\":" + std::to_string(i);
      return t + "}";
    };
    Tape tape;
    ASSERT_TRUE(scan_tape_from_text(text_of(names), {}, tape).ok());
    EXPECT_EQ(tape.nodes[0].count, count);
    for (std::uint32_t i = 0; i < count; ++i) {
      for (std::uint32_t j = i + 1; j < count; ++j) {
        auto dup = names;
        dup[j] = dup[i];
        const std::string text = text_of(dup);
        ASSERT_TRUE(scan_tape_from_text(text, {}, tape).ok());
        EXPECT_EQ(tape.nodes[0].count, count - 1) << text;
        const std::uint32_t kept = find_member_node(tape, 0, dup[i]);
        ASSERT_NE(kept, 0u) << text;
        EXPECT_EQ(tape.nodes[kept].i, static_cast<std::int64_t>(j)) << text;  // the last one
      }
    }
  }
}

// A small deterministic generator: the same mutations on every run.
struct Lcg {
  std::uint64_t s = 0x9E3779B97F4A7C15ULL;
  std::uint32_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  }
};

TEST(Tape, MutatedTextNeverCrashesAndAgreesWithTheDom) {
  auto schema = CompiledSchema::compile(parse_json(R"({
    "type":"object","required":["id"],
    "properties":{"id":{"type":"integer","minimum":0},"tags":{"type":"array","items":{"type":"string"},"uniqueItems":true},
                  "meta":{"type":"object","additionalProperties":{"type":["number","null"]}}},
    "additionalProperties":false})").value());
  ASSERT_TRUE(schema.ok());
  const std::string seed = R"({"id":7,"tags":["a","b","\u00e9"],"meta":{"x":1.5,"y":null,"z":-3e2}})";
  const std::string alphabet = "{}[]\",:0123456789.-eE truefalsenull\\u00";
  Lcg rng;
  int parsed = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string t = seed;
    const int edits = 1 + static_cast<int>(rng.next() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t pos = rng.next() % t.size();
      switch (rng.next() % 4) {
        case 0: t[pos] = alphabet[rng.next() % alphabet.size()]; break;
        case 1: t.erase(pos, 1 + rng.next() % 3); break;
        case 2: t.insert(pos, 1, alphabet[rng.next() % alphabet.size()]); break;
        default: t.resize(pos); break;
      }
    }
    auto text = schema->validate_text(t);
    auto sax = schema->validate_text(t, OutputFormat::flag, {}, TextReader::nlohmann_sax);
    auto dom = parse_json(t);
    ASSERT_EQ(text.ok(), dom.ok()) << t;
    ASSERT_EQ(sax.ok(), dom.ok()) << t;
    if (!dom.ok()) continue;
    EXPECT_EQ(text->valid, sax->valid) << t;
    Tape a, b;
    ASSERT_TRUE(scan_tape_from_text(t, {}, a).ok());
    ASSERT_TRUE(build_tape_from_text(t, {}, b).ok());
    expect_same_tape(a, b, t);
    ++parsed;
    auto via_dom = schema->validate(dom.value());
    ASSERT_TRUE(via_dom.ok());
    EXPECT_EQ(text->valid, via_dom->valid) << t;
  }
  EXPECT_GT(parsed, 100);  // the property was exercised on parseable texts too
}

// The scanner keeps each container's text: every container's text parses to
// the same value as the DOM's member at that place; a member is found by
// name (the last of duplicates); a node validates on its own.
TEST(Tape, ContainersKeepTheirTextAndValidateInPlace) {
  const std::string text =
      " {\"jsonrpc\":\"2.0\", \"id\":7, \"result\" : { \"tools\" : [ {\"name\":\"a\",\"x\":[1, {}]} , [] ],"
      " \"n\":1, \"n\":{\"k\" : \"}]\\\"\"} } } ";
  Tape tape;
  ASSERT_TRUE(scan_tape_from_text(text, {}, tape).ok());
  auto dom = parse_json(text);
  ASSERT_TRUE(dom.ok());
  const std::uint32_t result = find_member_node(tape, 0, "result");
  ASSERT_NE(result, 0u);
  EXPECT_EQ(*parse_json(container_text(text, tape.nodes[result])), (*dom)["result"]);
  EXPECT_EQ(container_text(text, tape.nodes[0]), text.substr(1, text.size() - 2));
  const std::uint32_t n = find_member_node(tape, result, "n");
  ASSERT_EQ(tape.nodes[n].kind, NodeKind::object);  // the last "n"
  EXPECT_EQ(container_text(text, tape.nodes[n]), R"({"k" : "}]\""})");
  EXPECT_EQ(find_member_node(tape, result, "absent"), 0u);
  EXPECT_EQ(find_member_node(tape, find_member_node(tape, 0, "id"), "x"), 0u);  // not an object
  int containers = 0;
  for (std::uint32_t i = 0; i < tape.nodes.size(); ++i) {
    const TapeNode& node = tape.nodes[i];
    if (node.kind != NodeKind::object && node.kind != NodeKind::array) continue;
    Tape again;
    ASSERT_TRUE(scan_tape_from_text(container_text(text, node), {}, again).ok()) << i;
    EXPECT_EQ(again.nodes.size(), node.end - i) << i;
    ++containers;
  }
  EXPECT_EQ(containers, 8);
  auto tools_schema = CompiledSchema::compile(*parse_json(R"({"type":"object","required":["tools"],
      "properties":{"tools":{"type":"array","items":{"type":"object","required":["name"]}}}})"));
  ASSERT_TRUE(tools_schema.ok());
  EXPECT_EQ(*tools_schema->is_valid_tape(tape, result), false);  // the [] item has no name
  const std::uint32_t tools = find_member_node(tape, result, "tools");
  EXPECT_EQ(*tools_schema->is_valid_tape(tape, tools), false);   // an array, not an object
  EXPECT_EQ(*CompiledSchema::compile(*parse_json(R"({"required":["name"]})"))->is_valid_tape(tape, tools + 1), true);
  EXPECT_FALSE(tools_schema->is_valid_tape(tape, 1000).ok());
}

}  // namespace
}  // namespace mcpw::schema
