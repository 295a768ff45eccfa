// Verdict-only reads that judge the root object's members while scanning
// (MemberProbe, RootMemberProbe): the scanner hands over each complete
// member, stops after one that fails once the rest is known to be JSON it
// accepts, and otherwise reads on exactly as without a probe. Every verdict
// and every error of is_valid_text must be those of the full read
// (validate_text, which does not probe).

#include <random>
#include <string>
#include <vector>

#include "schema/scan_string.h"
#include "schema/tape.h"
#include "schema_helpers.h"

namespace mcpw::schema {
namespace {

using test_util::compile_ok;

// A probe that records the members it is shown and fails the k-th (1-based;
// 0: none).
struct Recorder final : MemberProbe {
  explicit Recorder(int fail_at) : fail_at(fail_at) {}
  Verdict check(const Tape& tape, std::uint32_t first, std::uint32_t end, std::uint32_t& at) override {
    for (std::uint32_t c = first; c < end; c = tape.nodes[c].end) {
      members.push_back(c);
      if (static_cast<int>(members.size()) == fail_at) {
        at = c;
        return Verdict::fails;
      }
    }
    return Verdict::holds;
  }
  int fail_at;
  std::vector<std::uint32_t> members;
};

TEST(MemberProbe, ScannerShowsEachCompleteRootMemberButTheLast) {
  // Nodes: 0 root, 1 a, 2-6 b (array, 1, 2, object, c), 7 c, 8 d.
  const std::string text = R"({"a": 1, "b": [1, 2, {"c": 3}], "c": "x", "d": null})";
  Recorder all(0);
  Tape tape;
  ASSERT_TRUE(scan_tape_from_text(text, {}, tape, &all).ok());
  EXPECT_EQ(all.members, (std::vector<std::uint32_t>{1, 2, 7}));
  EXPECT_EQ(all.checked_end, 8u);
  EXPECT_FALSE(all.failed);
  EXPECT_EQ(tape.nodes.size(), 9u);

  Recorder second(2);
  ASSERT_TRUE(scan_tape_from_text(text, {}, tape, &second).ok());
  EXPECT_EQ(second.members, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(second.failed);
  EXPECT_EQ(second.checked_end, 2u);
  EXPECT_EQ(tape.nodes.size(), 7u) << "the scan stops after the member that fails";

  // From 12 bytes in, then twice as far each time, while 64 bytes or more
  // are left. The root's commas end at bytes 8 (after a), 31 (after b) and
  // 41 (after c), and a long d follows: the look at 31 takes a and b, the
  // next would be at 62 or later (none; d is last).
  const std::string longer = text.substr(0, text.size() - 5) + '"' + std::string(80, 'y') + "\"}";
  Recorder spaced(0);
  spaced.next_at = 12;
  ASSERT_TRUE(scan_tape_from_text(longer, {}, tape, &spaced).ok());
  EXPECT_EQ(spaced.members, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(spaced.checked_end, 7u);
  EXPECT_EQ(spaced.next_at, 62u);

  // The short text has 22 bytes left after byte 31: too few for a skim to
  // win back a look, so probing ends there with no look at all.
  Recorder short_rest(0);
  short_rest.next_at = 12;
  ASSERT_TRUE(scan_tape_from_text(text, {}, tape, &short_rest).ok());
  EXPECT_TRUE(short_rest.members.empty());
  EXPECT_EQ(short_rest.checked_end, 0u);

  // Not an object at the root, or members only inside nested objects: no calls.
  Recorder none(1);
  ASSERT_TRUE(scan_tape_from_text(R"([{"a": 1, "b": 2}, 3])", {}, tape, &none).ok());
  ASSERT_TRUE(scan_tape_from_text(R"({"only": {"a": 1, "b": 2}})", {}, tape, &none).ok());
  EXPECT_TRUE(none.members.empty());
}

TEST(MemberProbe, AFailingMemberStillNeedsTheRestToBeJson) {
  Recorder probe(1);
  Tape tape;
  // The first member fails; what follows decides between a verdict and an error.
  for (const char* tail : {R"("b": tru})", R"("b": [1, 2})", R"("b": 01})", R"("b": "\q"})", R"("b": 1})" " x",
                           R"("b": 1,})", R"("b": 1)", R"(1: 2})", R"("b" 1})", R"("b": "\uD800"})", "\"b\": \"\xFF\"}",
                           "\"b\": 1}\n\0", R"("b": 1e400})", R"("b": [})", R"("b": {"c": 1]})"}) {
    std::string text = std::string(R"({"a": 1, )") + tail;
    if (text.back() == '\n') text.push_back('\0');  // a NUL after the document
    probe.members.clear();
    probe.failed = false;
    const Status st = scan_tape_from_text(text, {}, tape, &probe);
    EXPECT_FALSE(st.ok()) << text;
    EXPECT_FALSE(probe.failed) << text;
  }
  for (const char* tail : {R"("b": true})", R"("b": [1, {"c": [null, false]}]})", R"("b": -0.5e-400} )",
                           R"("b": "\u00e9\ud83d\ude00"})", "\"b\": \"\xC3\xA9\"}", R"("b": {}, "c": []})"}) {
    const std::string text = std::string(R"({"a": 1, )") + tail;
    probe.members.clear();
    probe.failed = false;
    EXPECT_TRUE(scan_tape_from_text(text, {}, tape, &probe).ok()) << text;
    EXPECT_TRUE(probe.failed) << text;
  }
}

// The skim reads a plain string in place: where plain_string_end finds an
// end, scan_string ends there too, with the same bytes; anything special
// before the closing quote is left to scan_string. Every length from 0 to
// 40 (the word and byte loops here; the Wasm SIMD loop is scan.cpp's, which
// the skim tests above reach), a special byte at every place.
TEST(MemberProbe, PlainStringEndAgreesWithScanString) {
  std::string scratch(128, '\0');
  int plain = 0;
  for (std::size_t len = 0; len <= 40; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (const char special : {'"', '\\', '\x01', '\xC3', 'x'}) {
        std::string text(len, 'a');
        if (at < len) text[at] = special;
        text += "\" tail";
        const char* b = text.data();
        const char* e = b + text.size();
        const char* q = scan_detail::plain_string_end(b, e);
        const scan_detail::StringEnd full = scan_detail::scan_string(b, e, scratch.data());
        if (q) {
          ++plain;
          ASSERT_EQ(full.error, nullptr) << text;
          ASSERT_EQ(full.p, q) << text;
          ASSERT_EQ(std::string(scratch.data(), full.out), std::string(b, q - 1)) << text;
        } else {
          ASSERT_TRUE(at < len && special != 'x' && special != '"') << text;
        }
      }
    }
  }
  EXPECT_GT(plain, 1000);
}

// is_valid_text against validate_text (no probe): the same verdict, or the
// same error id and message, whether the probe looks at every root member
// (first look 0), from a few bytes in, or as by default.
void expect_same(const CompiledSchema& s, const std::string& text, const JsonLimits& limits = {}) {
  auto full = s.validate_text(text, OutputFormat::flag, limits);
  for (const std::size_t first_look : {0, 16, 64}) {
    auto probed = s.is_valid_text(text, limits, first_look);
    ASSERT_EQ(probed.ok(), full.ok()) << text << ": " << (probed.ok() ? full.error().message : probed.error().message);
    if (probed.ok()) {
      EXPECT_EQ(*probed, full->valid) << text << " (first look " << first_look << ")";
    } else {
      EXPECT_EQ(probed.error().id.id, full.error().id.id) << text;
      EXPECT_EQ(probed.error().message, full.error().message) << text;
    }
  }
}

TEST(MemberProbe, VerdictsAndErrorsAreThoseOfTheFullRead) {
  auto open = compile_ok(R"({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
                             "additionalProperties": {"type": "array"}, "required": ["a"]})");
  auto closed = compile_ok(R"({"properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
                               "additionalProperties": false})");
  const JsonLimits tight{1 << 20, 4, 64};
  for (const CompiledSchema* s : {&open, &closed}) {
    for (const char* text : {
             R"({"a": "x", "b": "y"})", R"({"a": 1, "b": 2, "c": []})", R"({"z": 1, "a": 1})",
             // Later duplicates replace earlier members, whichever failed.
             R"({"a": "x", "b": "y", "a": 1})", R"({"a": 1, "b": 2, "b": "s"})", R"({"a": "x", "a": 1, "b": "y", "c": []})",
             R"({"b": "s", "a": 1, "b": "t", "a": "x"})", R"({"b": 1, "a": 2, "b": "t"})",
             R"({"a": 1, "c": {"x": 1, "x": 2}, "b": "s"})", R"({"a": 1, "c": [{"x": 1, "x": 2}], "b": 5})",
             // Errors after a member that fails.
             R"({"a": "x", "b": 1e400})", R"({"a": "x", "b": 1e-400})", R"({"a": "x", "b": [[[[[1]]]]]})",
             R"({"a": "x", "b": "0123456789012345678901234567890123456789012345678901234567890123456789"})",
             R"({"a": "x", "b": "y"} {})", R"({"a": "x", "b": "y")", R"({"a": "x", "a": })"}) {
      expect_same(*s, text);
      expect_same(*s, text, tight);
    }
  }
}

// Random objects, and the same texts with a byte changed, deleted or
// repeated: the probed verdict path never parts from the full read.
TEST(MemberProbe, RandomTextsAgreeWithTheFullRead) {
  auto s = compile_ok(R"({"type": "object",
      "properties": {"id": {"type": "string", "format": "uuid"}, "n": {"type": "integer", "minimum": 0},
                     "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
                     "o": {"type": "object", "properties": {"k": {"enum": [1, 2]}}}},
      "additionalProperties": {"type": ["null", "boolean", "number"]}, "required": ["n", "id"]})");
  std::mt19937 rng(20261207);
  const auto pick = [&](std::initializer_list<const char*> xs) { return xs.begin()[rng() % xs.size()]; };
  const auto value = [&](const std::string& key) -> std::string {
    if (key == "id") return pick({R"("3f2504e0-4f89-11d3-9a0c-0305e82c3311")", R"("nope")", "7"});
    if (key == "n") return pick({"1", "-1", "2.5", "\"1\"", "1e999", "12345678901234567890123"});
    if (key == "tags") return pick({R"(["a", "bc"])", R"(["abcd"])", "[]", R"([1])", R"(["\u00e9"])"});
    if (key == "o") return pick({R"({"k": 1})", R"({"k": 3})", R"({"k": 1, "k": 3})", "{}", "[]"});
    return pick({"null", "true", "1.5", "\"s\"", "[]", "{\"x\": [[]]}"});
  };
  int checked = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = "{";
    const int members = 1 + static_cast<int>(rng() % 6);
    for (int m = 0; m < members; ++m) {
      const std::string key = pick({"id", "n", "tags", "o", "x", "y"});
      text += (m ? ", \"" : "\"") + key + "\": " + value(key);
    }
    text += "}";
    expect_same(s, text);
    std::string bent = text;
    const std::size_t at = rng() % bent.size();
    switch (rng() % 3) {
      case 0: bent[at] = "{}[]\",:0e-\\ \x01\xC3"[rng() % 15]; break;
      case 1: bent.erase(at, 1); break;
      default: bent.insert(at, 1, bent[at]); break;
    }
    expect_same(s, bent);
    checked += 2;
  }
  EXPECT_EQ(checked, 8000);
}

}  // namespace
}  // namespace mcpw::schema
