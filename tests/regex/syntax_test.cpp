// Syntax errors of the Unicode-mode grammar (ECMA-262 §22.2.1 with [+UnicodeMode]:
// no Annex B leniency) and the compile limits.
#include <gtest/gtest.h>

#include <string>

#include "support/json.h"
#include "test_util.h"

namespace mcpw::regex::testing {
namespace {

std::string compile_error(std::string_view pattern, const RegexLimits& limits = {}) {
  Result<Regex> re = Regex::compile(pattern, limits);
  return re.ok() ? "ok" : re.error().id.id;
}

TEST(RegexSyntax, RejectsWhatUnicodeModeRejects) {
  // spec: ECMA-262 §22.2.1.1 Static Semantics: Early Errors.
  for (const char* p : {"(", ")", "a)", "(?:a", "[", "[a", "]", "{", "}", "a{", "a{1", "a{1,", "a{,5}", "a{2,1}", "*",
                        "+a", "?", "a**", "a{1}{2}", "a|*", "\\", "\\a", "\\e", "\\z", "\\c", "\\c1", "\\x4", "\\xG0",
                        "\\u12", "\\u{}", "\\u{110000}", "\\u{1F432", "\\00", "\\01", "\\1", "(a)\\2", "\\8",
                        "\\k", "\\k<", "\\k<x>", "(?<x>a)\\k<y>", "(?<x>a)(?<x>b)", "(?<1a>x)", "(?<>x)", "(?<a-b>x)",
                        "(?x)", "(?P<x>a)", "(?i)", "[z-a]", "[\\d-z]", "[a-\\d]", "[\\B]", "[\\1]", "[\\k]",
                        "\\-", "\\p", "\\pL", "\\p{", "\\p{L", "\\p{Foo}", "\\p{Latin}", "\\p{sc=Foo}",
                        "\\p{Script=L}", "\\p{gc=Latin}", "\\p{=L}", "\\p{L=}", "\\p{letter}", "\\P{Any", "(?=a)*",
                        "(?!a)+", "(?<=a)?", "(?<!a){2}", "^*", "$+", "\\b*", "\\B{2}", "a\xFF", "[\xC3]"}) {
    EXPECT_EQ(compile_error(p), "regex.syntax") << p;
  }
}

TEST(RegexSyntax, InlineModifiersAreUnsupported) {
  // ES2025 RegularExpressionModifiers: valid in the newest ECMA-262, a
  // SyntaxError in Node 20; JSON Schema patterns carry no flags anyway.
  EXPECT_EQ(compile_error("(?i:a)"), "regex.unsupported");
  EXPECT_EQ(compile_error("(?-s:.)"), "regex.unsupported");
  EXPECT_EQ(compile_error("(?ims-:a)"), "regex.unsupported");
}

TEST(RegexSyntax, AcceptsValidUnicodeModePatterns) {
  for (const char* p : {"", "a", "\\/", "[\\-]", "[-]", "[a-]", "\\0", "[\\0]", "\\cZ", "[\\cZ]", "\\u{10FFFF}",
                        "(?<$>a)\\k<$>", "(?<_a1>a)", "(?<\\u0061>a)\\k<a>", "(?<\xC3\xA9>a)\\k<\xC3\xA9>",
                        "\\1(a)", "a{0}", "a{0,0}", "a{1,}?", "(?:)", "()", "|", "[^]", "[]", "\\p{L}", "\\P{Lu}",
                        "\\p{General_Category=L}", "\\p{gc=LC}", "\\p{Script_Extensions=Latin}", "\\p{ID_Start}",
                        "\\p{AHex}", "\\p{Ideo}", "(?<=a)", "(?<!a)", "(?=(a))\\1"}) {
    EXPECT_EQ(compile_error(p), "ok") << p;
  }
}

TEST(RegexSyntax, EveryPrefixOfEveryTablePatternCompilesOrFailsCleanly) {
  // Feeds each pattern of the differential table byte by byte: every prefix
  // (often cut inside an escape, a group name or a UTF-8 sequence) must
  // compile or fail with regex.syntax (regex.unsupported for a cut "(?i:"),
  // never crash (ASan/UBSan build).
  const std::string text = read_file(std::string(MCPW_SOURCE_DIR) + "/tests/regex/data/differential.json");
  Result<json> doc = parse_json(text);
  ASSERT_TRUE(doc.ok());
  const json* cases = find_member(*doc, "cases");
  ASSERT_TRUE(cases && cases->is_array());
  std::size_t prefixes = 0, patterns = 0;
  for (const json& c : *cases) {
    if (++patterns > 600) break;  // the hand-written ones and some random ones: keeps the debug build fast
    ASSERT_TRUE(c.is_array() && !c.empty() && c[0].is_string());
    const std::string& p = c[0].get_ref<const std::string&>();
    for (std::size_t n = 0; n <= p.size(); ++n, ++prefixes) {
      const std::string r = compile_error(std::string_view(p).substr(0, n));
      EXPECT_TRUE(r == "ok" || r == "regex.syntax" || r == "regex.unsupported") << p.substr(0, n) << ": " << r;
    }
  }
  EXPECT_GT(prefixes, 5000u);
}

TEST(RegexSyntax, PatternSizeLimit) {
  RegexLimits limits;
  limits.max_pattern_bytes = 8;
  EXPECT_EQ(compile_error("abcdefgh", limits), "ok");
  EXPECT_EQ(compile_error("abcdefghi", limits), "regex.too_large");
  EXPECT_EQ(compile_error(std::string(20000, 'a')), "regex.too_large");  // default 16 KiB
}

TEST(RegexSyntax, ExpansionLimit) {
  // {n,m} is expanded at compile time; the instruction count is bounded.
  EXPECT_EQ(compile_error("a{1000}"), "ok");
  EXPECT_EQ(compile_error("a{1000000}"), "regex.too_large");
  EXPECT_EQ(compile_error("a{0,1000000}"), "regex.too_large");
  EXPECT_EQ(compile_error("(?:a{1000}){1000}"), "regex.too_large");
  EXPECT_EQ(compile_error("((a{100}){100}){100}"), "regex.too_large");
  EXPECT_EQ(compile_error("a{99999999999999999999}"), "regex.too_large");
  EXPECT_EQ(compile_error(std::string(2000, 'a') + "{1000}"), "ok");  // applies to the last atom only
}

TEST(RegexSyntax, LargePatternsCompileInLinearTime) {
  // Names are looked up in a map and lookbehind terms are reversed once, so
  // neither many groups nor a long lookbehind is quadratic.
  RegexLimits big;
  big.max_pattern_bytes = 1u << 20;
  std::string named, refs;
  for (int k = 0; k < 20000; ++k) {
    named += "(?<n" + std::to_string(k) + ">a)";
    refs += "\\k<n" + std::to_string(k) + ">";
  }
  EXPECT_EQ(outcome("^" + named + refs, std::string(40000, 'a'), big), "match");
  EXPECT_EQ(outcome("^" + named + refs, std::string(39999, 'a'), big), "no match");
  EXPECT_EQ(outcome("b(?<=" + std::string(50000, 'a') + "b)", std::string(50000, 'a') + "b", big), "match");
  EXPECT_EQ(outcome("b(?<=" + std::string(50000, 'a') + "b)", std::string(49999, 'a') + "b", big), "no match");
}

TEST(RegexSyntax, DeepNestingIsAnErrorNotACrash) {
  RegexLimits big;
  big.max_pattern_bytes = 1u << 20;
  const std::string open(100000, '('), close(100000, ')');
  EXPECT_EQ(compile_error(open + close), "regex.too_large");          // over the default byte limit
  EXPECT_EQ(compile_error(open + close, big), "regex.too_large");     // over the nesting limit
  EXPECT_EQ(compile_error(std::string(100000, '['), big), "regex.syntax");
  EXPECT_EQ(compile_error(std::string(100000, '(') , big), "regex.too_large");
  EXPECT_EQ(compile_error(std::string(500, '(') + "a" + std::string(500, ')'), big), "ok");
  const std::string lots_of_lookaheads = [] {
    std::string s;
    for (int k = 0; k < 900; ++k) s += "(?=";
    s += "a";
    for (int k = 0; k < 900; ++k) s += ")";
    return s;
  }();
  EXPECT_EQ(outcome(lots_of_lookaheads, "a", big), "match");
}

}  // namespace
}  // namespace mcpw::regex::testing
