// No pattern and no subject can hang or crash a search: catastrophic
// backtracking ends with REGEX_STEP_LIMIT (or the Pike VM answers in linear
// time), and random patterns/subjects never crash (run under ASan+UBSan).
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "test_util.h"

namespace mcpw::regex::testing {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

TEST(RegexSafety, CatastrophicPatternsWithoutBackrefsRunLinear) {
  // No backreference or lookaround: the Pike VM answers exactly, quickly.
  const std::string as(20000, 'a');
  for (const char* p : {"(a*)*b", "^(a+)+$", "(a|aa)+b", "(a|a)*b", "(.*a){12}b", "^(\\w+\\s?)*$"}) {
    const auto t0 = Clock::now();
    const std::string subject = as + "!";
    EXPECT_EQ(outcome(p, subject), "no match") << p;
    EXPECT_LT(seconds_since(t0), 5.0) << p;
  }
  EXPECT_EQ(outcome("^(a+)+$", as), "match");
  // The Pike VM is bounded too (PIKE_STEP_FACTOR x max_steps).
  RegexLimits small;
  small.max_steps = 1000;
  EXPECT_EQ(outcome("(.*a){12}b", as, small), "regex.step_limit");
  EXPECT_EQ(outcome("^x+$", std::string(1000000, 'x')), "match");  // 1 MB under the default budget
}

TEST(RegexSafety, CatastrophicBacktrackingEndsWithStepLimit) {
  // A backreference forces the backtracking VM; the budget stops it.
  const std::string subject = std::string(40, 'a') + "!";
  for (const char* p : {"(a*)*\\1b", "^(a+)+\\1$", "^(?=(a|aa)+b)", "(a|aa)+(?=b)", "(?<!(a+)+b)c\\1"}) {
    const auto t0 = Clock::now();
    const std::string r = outcome(p, subject);
    EXPECT_TRUE(r == "regex.step_limit" || r == "no match") << p << ": " << r;
    EXPECT_LT(seconds_since(t0), 5.0) << p;
  }
  EXPECT_EQ(outcome("(a*)*\\1b", subject), "regex.step_limit");
  RegexLimits small;
  small.max_steps = 100;
  EXPECT_EQ(outcome("(a)\\1", std::string(1000, 'b'), small), "regex.step_limit");
  EXPECT_EQ(outcome("^(a)\\1", "aa", small), "match");
}

TEST(RegexSafety, LongSubjects) {
  const std::string big(100000, 'x');
  EXPECT_EQ(outcome("^x+$", big), "match");
  EXPECT_EQ(outcome("y", big), "no match");
  EXPECT_EQ(outcome("^(?=x)x+$", big), "match");       // backtracker, greedy loop over 100k chars
  EXPECT_EQ(outcome("(?<=x{3})y", big + "y"), "match");  // lookbehind near the end
}

TEST(RegexSafety, RandomPatternsNeverCrash) {
  // Byte soup over the grammar's alphabet; seeded, so failures reproduce.
  std::mt19937 rng(20261125);
  const std::string alphabet = "ab()[]{}|*+?.^$\\-,:=!<>dDwWsSbBpPkuxc0123{}LN\xC3\xA9\xF0\x9F\x90\xB2";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), len(0, 24);
  RegexLimits limits;
  limits.max_steps = 20000;
  std::size_t compiled = 0;
  for (int k = 0; k < 30000; ++k) {
    std::string p;
    const std::size_t n = len(rng);
    for (std::size_t j = 0; j < n; ++j) p += alphabet[pick(rng)];
    Result<Regex> re = Regex::compile(p, limits);
    if (!re) continue;
    ++compiled;
    std::string s;
    const std::size_t m = len(rng);
    for (std::size_t j = 0; j < m; ++j) s += alphabet[pick(rng)];
    (void)re->search(s);
    (void)re->search("");
  }
  EXPECT_GT(compiled, 1000u);
}

TEST(RegexSafety, RandomSubjectBytesNeverCrash) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 40);
  Result<Regex> re1 = Regex::compile("(?<=\\p{L}\\u{1F432}?)\\w+(?=.)|[^\\s]{2}\\b");
  Result<Regex> re2 = Regex::compile("^(?:.|\\s)*$");
  ASSERT_TRUE(re1.ok() && re2.ok());
  for (int k = 0; k < 20000; ++k) {
    std::string s;
    const int n = len(rng);
    for (int j = 0; j < n; ++j) s += static_cast<char>(byte(rng));
    EXPECT_TRUE(re1->search(s).ok());
    Result<bool> all = re2->search(s);
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(*all);  // every byte sequence decodes to some code points
  }
}

}  // namespace
}  // namespace mcpw::regex::testing
