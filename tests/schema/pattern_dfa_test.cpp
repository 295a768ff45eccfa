// The DFA fast path of `pattern` (pattern_dfa.h) against the regex module's
// engine: same verdict on every subject, for the patterns it takes; the ones
// outside its subset are left to the engine. Subjects mix ASCII, non-ASCII
// letters and spaces, astral characters, line terminators and invalid UTF-8.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "regex/regex.h"
#include "schema/pattern.h"
#include "schema/pattern_dfa.h"

namespace mcpw::schema {
namespace {

const char* const ACCELERATED[] = {
    // MCP-shaped (the bench corpus) and common in tool schemas.
    "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", "^[a-z0-9:-]{1,50}$", "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
    "^[^@\\s]+@[^@\\s]+$", "^\\+[1-9][0-9]{7,14}$", "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    "^\\d{4}-\\d{2}-\\d{2}$", "^https?://", "\\.pdf$", "^(GET|POST|PUT)$", "^x-", "^[a-zA-Z_][a-zA-Z0-9_]*$",
    // Shapes of the suite and of hand-written schemas.
    "", "a", "^a", "a$", "^$", "^a*$", "a+", "a?b", "ab|cd", "^ab|cd$", "(a|b)*c", "(?:ab)+$", "^(a|aa)+$",
    "^(a+)+$", "a{3}", "a{2,}", "^a{2,4}$", "^a{0,2}?b", "[^a]", "[^]", "[]", "^[]*$", ".", "^.$", "^..$",
    "[\\s\\S]", "\\S+", "^\\w+$", "\\W", "\\D", "[\\d\\s]", "[a\\-z]", "[-a]", "[a-]", "\\x41", "\\u00e9",
    "\\u{1F389}", "\\uD83C\\uDF89", "[\\u00e0-\\u00ff]+", "é", "🎉", "^🎉{2}$", "[🎉-🎊]", "\\n", "[\\b]",
    "\\0", "\\/", "a|", "|a", "(|a)b", "((a))", "(a*)*b", "^(?:\\s*,\\s*|\\s+)$", "\\$\\{[a-z]+\\}",
    "\\.", "[.]", "\\t\\v\\f\\r",
};

const char* const NOT_ACCELERATED[] = {
    "\\bword\\b", "(a)\\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "\\p{L}", "\\P{Lu}", "(?<n>a)\\k<n>",
    "a^b", "(^a)", "(a$)", "^*", "a{300}",
};

std::string random_subject(std::mt19937& rng) {
  static const char* const pieces[] = {"a", "b", "c", "A", "Z", "z", "0", "5", "9", "_", "-", ".", "/", ":", "@",
                                       "+", " ", "\t", "\n", "\r", "\v", "é", "ÿ", "\xC2\xA0", "\xE2\x80\xA8",
                                       "🎉", "🎊", "\xFF", "\xC3", "\xED\xA0\x80", "http://", "${x}", "\b", ",",
                                       "x-", ".pdf", "GET", "aa"};
  constexpr std::size_t n = sizeof pieces / sizeof pieces[0];
  std::string s;
  const std::size_t len = rng() % 12;
  for (std::size_t k = 0; k < len; ++k) {
    const std::size_t i = rng() % (n + 1);
    if (i == n) {
      s.push_back('\0');
    } else {
      s += pieces[i];
    }
  }
  return s;
}

TEST(PatternDfa, SameVerdictsAsTheRegexEngine) {
  std::mt19937 rng(12345);
  for (const char* p : ACCELERATED) {
    auto re = regex::Regex::compile(p);
    ASSERT_TRUE(re.ok()) << p;
    auto dfa = PatternDfa::build(p);
    ASSERT_TRUE(dfa.has_value()) << "expected a DFA for " << p;
    std::vector<std::string> subjects = {"", "a", "aaaa", "aaaa!", "ab", "cd", "x@y.io", "+14155550123",
                                         "owner/name", "2026-01-02", "🎉🎉", "\n", "é", "\xFF"};
    for (int k = 0; k < 400; ++k) subjects.push_back(random_subject(rng));
    for (const auto& s : subjects) {
      auto want = re->search(s);
      ASSERT_TRUE(want.ok()) << p;
      ASSERT_EQ(dfa->search(s), want.value()) << "pattern " << p << " subject \"" << s << "\"";
    }
  }
}

TEST(PatternDfa, OutsideTheSubsetTheEngineRuns) {
  for (const char* p : NOT_ACCELERATED) {
    EXPECT_FALSE(PatternDfa::build(p).has_value()) << p;
    auto pat = Pattern::compile(p);
    if (pat.ok()) {
      EXPECT_FALSE(pat->accelerated()) << p;
    }
  }
  auto pat = Pattern::compile("^[a-z]+$");
  ASSERT_TRUE(pat.ok());
  EXPECT_TRUE(pat->accelerated());
}

TEST(PatternDfa, LinearOnPathologicalInput) {
  // Catastrophic for a backtracking engine; one pass here, and a verdict, not a budget error.
  const std::string subject = std::string(200000, 'a') + "!";
  for (const char* p : {"^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "(x+x+)+y", "^(\\w+\\s?)*$"}) {
    auto pat = Pattern::compile(p);
    ASSERT_TRUE(pat.ok()) << p;
    ASSERT_TRUE(pat->accelerated()) << p;
    auto r = pat->search(subject);
    ASSERT_TRUE(r.ok()) << p;
    EXPECT_FALSE(r.value()) << p;
  }
}

TEST(PatternDfa, LargeAutomataAreRefused) {
  // (a|b)*a(a|b){n}: the DFA needs 2^(n+1) states.
  EXPECT_FALSE(PatternDfa::build("(a|b)*a(a|b){20}").has_value());
  auto pat = Pattern::compile("(a|b)*a(a|b){20}");
  ASSERT_TRUE(pat.ok());
  EXPECT_FALSE(pat->accelerated());
  auto r = pat->search(std::string(30, 'a'));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value());
}

}  // namespace
}  // namespace mcpw::schema
