// One test per feature of ECMA-262 §22.2 with the `u` flag, as JSON Schema
// uses it (2020-12 validation §6.3.3 `pattern`, core §6.4 regular expressions).
#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace mcpw::regex::testing {
namespace {

TEST(RegexFeatures, LiteralsAndUnanchoredSearch) {
  // spec: ECMA-262 §22.2.7.2 RegExpBuiltinExec: test() tries every start.
  EXPECT_TRUE(matches("a+", "xxaaxx"));
  EXPECT_TRUE(matches("abc", "zabcz"));
  EXPECT_FALSE(matches("abc", "abd"));
  EXPECT_TRUE(matches("", ""));
  EXPECT_TRUE(matches("", "anything"));
  EXPECT_FALSE(matches("a", ""));
  EXPECT_FALSE(matches("A", "a"));  // case sensitive: no flags in JSON Schema
}

TEST(RegexFeatures, DotExcludesLineTerminatorsOnly) {
  // spec: ECMA-262 §22.2.2.7.1 `.` without the s flag.
  EXPECT_TRUE(matches("^.$", "x"));
  EXPECT_TRUE(matches("^.$", "\t"));
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_FALSE(matches("^.$", "\r"));
  EXPECT_FALSE(matches("^.$", "\xE2\x80\xA8"));  // U+2028
  EXPECT_FALSE(matches("^.$", "\xE2\x80\xA9"));  // U+2029
  EXPECT_TRUE(matches("^.$", "\xC2\x85"));       // U+0085 is not a line terminator in ECMA
}

TEST(RegexFeatures, AnchorsWithoutMultiline) {
  // spec: ECMA-262 §22.2.2.6 Assertion ^ $ (multiline false).
  EXPECT_TRUE(matches("^abc$", "abc"));
  EXPECT_FALSE(matches("^abc$", "abc\n"));  // $ does not match before a trailing newline
  EXPECT_FALSE(matches("^abc$", "x\nabc"));
  EXPECT_FALSE(matches("a$", "a\nb"));
  EXPECT_TRUE(matches("^$", ""));
  EXPECT_TRUE(matches("a|^b", "ab"));
  EXPECT_FALSE(matches("x^", "x"));
}

TEST(RegexFeatures, ClassesRangesNegation) {
  EXPECT_TRUE(matches("^[a-z]+$", "hello"));
  EXPECT_FALSE(matches("^[a-z]+$", "Hello"));
  EXPECT_TRUE(matches("^[^a-z]$", "Q"));
  EXPECT_FALSE(matches("^[^a-z]$", "q"));
  EXPECT_TRUE(matches("^[-a]$", "-"));
  EXPECT_TRUE(matches("^[a-]$", "-"));
  EXPECT_TRUE(matches("^[\\]]$", "]"));
  EXPECT_TRUE(matches("^[\\b]$", "\b"));
  EXPECT_TRUE(matches("^[\\w-]+$", "a-b_c"));
  EXPECT_TRUE(matches("^[^]$", "x"));   // [^] matches any code point, even \n
  EXPECT_TRUE(matches("^[^]$", "\n"));
  EXPECT_FALSE(matches("[]", "x"));      // [] never matches
  EXPECT_TRUE(matches("^[\\u{1F400}-\\u{1F4FF}]$", "\xF0\x9F\x90\xB2"));
  EXPECT_TRUE(matches("^[^\\d\\s]$", "x"));
  EXPECT_FALSE(matches("^[^\\d\\s]$", "5"));
}

TEST(RegexFeatures, ClassEscapesAreEcmaSets) {
  // spec: ECMA-262 §22.2.2.9 CharacterClassEscape: \d and \w are ASCII only.
  EXPECT_TRUE(matches("^\\d$", "7"));
  EXPECT_FALSE(matches("^\\d$", "\xDF\xA0"));     // U+07C0 NKO DIGIT ZERO
  EXPECT_FALSE(matches("^\\d$", "\xD9\xA1"));     // U+0661 ARABIC-INDIC ONE
  EXPECT_TRUE(matches("^\\D$", "\xD9\xA1"));
  EXPECT_TRUE(matches("^\\w$", "_"));
  EXPECT_FALSE(matches("^\\w$", "\xC3\xA9"));     // é
  EXPECT_TRUE(matches("^\\W$", "\xC3\xA9"));
  EXPECT_FALSE(matches("\\wcole", "\xC3\xA9" "cole"));
  // \s: WhiteSpace + LineTerminator, incl. U+FEFF, U+00A0, U+2028/9 and Zs.
  for (const char* ws : {" ", "\t", "\n", "\v", "\f", "\r", "\xC2\xA0", "\xEF\xBB\xBF", "\xE2\x80\xA8", "\xE2\x80\xA9",
                         "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x8A", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"}) {
    EXPECT_TRUE(matches("^\\s$", ws)) << ws;
    EXPECT_FALSE(matches("^\\S$", ws)) << ws;
  }
  EXPECT_FALSE(matches("^\\s$", "\xE2\x80\x8B"));  // U+200B ZERO WIDTH SPACE is Cf, not Zs
  EXPECT_FALSE(matches("^\\s$", "\xC2\x85"));      // U+0085 NEL is not ECMA whitespace
}

TEST(RegexFeatures, WordBoundaries) {
  EXPECT_TRUE(matches("\\bfoo\\b", "a foo b"));
  EXPECT_FALSE(matches("\\bfoo\\b", "afoob"));
  EXPECT_TRUE(matches("\\Boo\\B", "afoob"));
  EXPECT_TRUE(matches("\\b", "\xC3\xA9" "a"));     // é is not a word character
  EXPECT_FALSE(matches("\\b", "\xC3\xA9"));
  EXPECT_TRUE(matches("^\\B$", ""));
}

TEST(RegexFeatures, CharacterEscapes) {
  // spec: ECMA-262 §22.2.1 CharacterEscape.
  EXPECT_TRUE(matches("^\\t$", "\t"));
  EXPECT_TRUE(matches("^\\n\\r\\v\\f$", "\n\r\v\f"));
  EXPECT_TRUE(matches("^\\cC$", "\x03"));
  EXPECT_TRUE(matches("^\\cc$", "\x03"));
  EXPECT_FALSE(matches("^\\cC$", "C"));
  EXPECT_TRUE(matches("^\\0$", std::string_view("\0", 1)));
  EXPECT_TRUE(matches("^\\x41$", "A"));
  EXPECT_TRUE(matches("^\\u00e9$", "\xC3\xA9"));
  EXPECT_TRUE(matches("^\\u{1F432}$", "\xF0\x9F\x90\xB2"));
  EXPECT_TRUE(matches("^\\u{0000000041}$", "A"));
  EXPECT_TRUE(matches("^\\uD83D\\uDC32$", "\xF0\x9F\x90\xB2"));  // surrogate pair joins with u
  EXPECT_FALSE(matches("\\uD83D", "\xF0\x9F\x90\xB2"));          // a lone surrogate never matches UTF-8
  EXPECT_TRUE(matches("^\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\$", "/.*+?()[]{}|^$\\"));
}

TEST(RegexFeatures, GroupsAndAlternation) {
  EXPECT_TRUE(matches("^(a|b)c$", "bc"));
  EXPECT_FALSE(matches("^(a|b)c$", "abc"));
  EXPECT_TRUE(matches("^(?:ab|cd)+$", "abcdab"));
  EXPECT_TRUE(matches("^(?<year>\\d{4})-(?<month>\\d{2})$", "2024-05"));
  EXPECT_TRUE(matches("^a||b$", "x"));  // the empty alternative matches anywhere
  EXPECT_TRUE(matches("^()$", ""));
}

TEST(RegexFeatures, Quantifiers) {
  EXPECT_TRUE(matches("^a*$", ""));
  EXPECT_TRUE(matches("^a*$", "aaaa"));
  EXPECT_FALSE(matches("^a+$", ""));
  EXPECT_TRUE(matches("^a?b$", "b"));
  EXPECT_TRUE(matches("^a{3}$", "aaa"));
  EXPECT_FALSE(matches("^a{3}$", "aa"));
  EXPECT_TRUE(matches("^a{2,}$", "aaaaa"));
  EXPECT_FALSE(matches("^a{2,3}$", "aaaa"));
  EXPECT_TRUE(matches("^a{0}b$", "b"));
  EXPECT_TRUE(matches("^a*?b$", "aab"));
  EXPECT_TRUE(matches("^a+?$", "aaa"));
  EXPECT_TRUE(matches("^(?:a{1,2}?){2}$", "aaa"));
  EXPECT_TRUE(matches("^[0-9]{2,}$", "123"));
  EXPECT_TRUE(matches("^\\u{1F432}{2}$", "\xF0\x9F\x90\xB2\xF0\x9F\x90\xB2"));  // the quantifier repeats a code point
}

TEST(RegexFeatures, Lookarounds) {
  // spec: ECMA-262 §22.2.2.4 Lookahead / Lookbehind (backward matching).
  EXPECT_TRUE(matches("a(?=b)", "ab"));
  EXPECT_FALSE(matches("a(?=b)", "ac"));
  EXPECT_TRUE(matches("a(?!b)", "ac"));
  EXPECT_FALSE(matches("^a(?!b)", "ab"));
  EXPECT_TRUE(matches("(?<=a)b", "ab"));
  EXPECT_FALSE(matches("(?<=a)b", "cb"));
  EXPECT_TRUE(matches("(?<!a)b", "cb"));
  EXPECT_TRUE(matches("(?<=\\u{1F432})b", "\xF0\x9F\x90\xB2" "b"));
  EXPECT_TRUE(matches("(?<=^\\w+)!", "abc!"));
  EXPECT_FALSE(matches("(?<=^\\w+)!", "a c!"));
  EXPECT_TRUE(matches("^(?=.*\\d)(?=.*[a-z]).{6,}$", "abc123"));
  EXPECT_FALSE(matches("^(?=.*\\d)(?=.*[a-z]).{6,}$", "abcdef"));
  EXPECT_FALSE(matches("(?<=(?=b)\\w)b", "ab"));  // the lookahead inside looks forward from the char before
  EXPECT_TRUE(matches("(?<=a(?=b))b", "ab"));
}

TEST(RegexFeatures, Backreferences) {
  EXPECT_TRUE(matches("^(a+)b\\1$", "aabaa"));
  EXPECT_FALSE(matches("^(a+)b\\1$", "aaba"));
  EXPECT_TRUE(matches("^(?<q>['\"]).*\\k<q>$", "'x'"));
  EXPECT_FALSE(matches("^(?<q>['\"]).*\\k<q>$", "'x\""));
  EXPECT_TRUE(matches("^\\1(a)$", "a"));              // forward reference: group unset, matches empty
  EXPECT_TRUE(matches("^(?:(a)|b)\\1$", "b"));        // unset group in the taken branch
  EXPECT_TRUE(matches("^(?:(a)|b){2}\\1$", "ab"));    // captures reset per iteration (RepeatMatcher step 4)
  EXPECT_TRUE(matches("(?<=\\1(a))b", "aab"));        // backward: the group is matched before \1
  EXPECT_TRUE(matches("^(\\u{1F432})\\1$", "\xF0\x9F\x90\xB2\xF0\x9F\x90\xB2"));
}

TEST(RegexFeatures, EmptyIterationsStop) {
  // spec: ECMA-262 §22.2.2.3.1 RepeatMatcher: an iteration past the minimum
  // that matches the empty string fails.
  EXPECT_TRUE(matches("^(a*)*$", "aaa"));
  EXPECT_TRUE(matches("^(?:a?)*b$", "aab"));
  // Observable through a backreference: an engine that allowed the empty
  // second iteration would set \1 to "" and match; ECMA-262 (and V8) do not.
  EXPECT_FALSE(matches("^(a?)+\\1$", "a"));
}

TEST(RegexFeatures, UnicodePropertyEscapes) {
  // spec: ECMA-262 §22.2.2.9 UnicodePropertyValueExpression, tables 67-69.
  EXPECT_TRUE(matches("^\\p{L}+$", "\xC3\x89" "cole"));
  EXPECT_TRUE(matches("\\p{Letter}cole", "\xC3\x89" "cole"));
  EXPECT_TRUE(matches("^\\p{Lu}$", "\xD0\x96"));  // Ж
  EXPECT_FALSE(matches("^\\p{Ll}$", "\xD0\x96"));
  EXPECT_TRUE(matches("^\\p{Lt}$", "\xC7\x85"));  // ǅ
  EXPECT_TRUE(matches("^\\p{Lm}$", "\xCA\xB0"));  // ʰ
  EXPECT_TRUE(matches("^\\p{Lo}$", "\xE4\xB8\xAD"));  // 中
  EXPECT_TRUE(matches("^\\p{N}+$", "\xD9\xA1" "2"));
  EXPECT_TRUE(matches("^\\p{Nd}$", "\xDF\x80"));
  EXPECT_TRUE(matches("^\\p{digit}+$", "\xE0\xA7\xA7\xE0\xA7\xA8"));  // Bengali digits, `digit` alias of Nd
  EXPECT_TRUE(matches("^\\p{General_Category=Decimal_Number}$", "5"));
  EXPECT_TRUE(matches("^\\p{gc=Zs}$", "\xE3\x80\x80"));
  EXPECT_TRUE(matches("^\\P{L}$", "5"));
  EXPECT_FALSE(matches("^\\P{L}$", "x"));
  EXPECT_TRUE(matches("^\\p{Script=Greek}+$", "\xCE\xA9\xCE\xBC"));
  EXPECT_TRUE(matches("^\\p{sc=Cyrl}$", "\xD0\x96"));
  EXPECT_TRUE(matches("^\\p{Script=Latin}$", "\xC3\xA9"));
  EXPECT_FALSE(matches("^\\p{Script=Latin}$", "\xD0\x96"));
  EXPECT_TRUE(matches("^\\p{scx=Grek}$", "\xCD\x82"));  // U+0342 is Inherited, Greek by extension
  EXPECT_TRUE(matches("^\\p{Emoji_Presentation}$", "\xF0\x9F\x90\xB2"));
  EXPECT_TRUE(matches("^\\p{ASCII}+$", "abc"));
  EXPECT_TRUE(matches("^\\p{Any}$", "\xF4\x8F\xBF\xBF"));
  EXPECT_TRUE(matches("^[\\p{L}\\p{N}_-]+$", "ab_1-\xC3\xA9"));
  EXPECT_EQ(outcome("\\p{Latin}", "a"), "regex.syntax");  // a Script value needs Script=
}

TEST(RegexFeatures, AstralCodePointsAreOneCharacter) {
  // spec: ECMA-262 §22.2.2 with [[UnicodeMode]]: patterns match code points.
  EXPECT_TRUE(matches("^.$", "\xF0\x9F\x90\xB2"));
  EXPECT_FALSE(matches("^..$", "\xF0\x9F\x90\xB2"));
  EXPECT_TRUE(matches("^\xF0\x9F\x90\xB2*$", "\xF0\x9F\x90\xB2\xF0\x9F\x90\xB2"));
  EXPECT_FALSE(matches("^\xF0\x9F\x90\xB2*$", "\xF0\x9F\x90\xB2\xF0\x9F\x90"));
  EXPECT_TRUE(matches("^[^a]$", "\xF0\x9F\x90\xB2"));
  EXPECT_TRUE(matches("^\\S$", "\xF0\x9F\x90\xB2"));
}

TEST(RegexFeatures, InvalidUtf8SubjectsDecodeAsReplacement) {
  // Documented in utf8.h: each bad byte is one U+FFFD, never a crash.
  EXPECT_TRUE(matches("^.$", "\xFF"));
  EXPECT_TRUE(matches("^..$", "\xC3"  "\xC3"));
  EXPECT_TRUE(matches("^\\u{FFFD}$", "\x80"));
  EXPECT_FALSE(matches("^a.b$", "a\xED\xA0\x80" "b"));  // CESU surrogate: three bad bytes
  EXPECT_TRUE(matches("^a...b$", "a\xED\xA0\x80" "b"));
  EXPECT_TRUE(matches("^.{2}$", "\xC0\xAF"));  // overlong '/'
  EXPECT_FALSE(matches("/", "\xC0\xAF"));
  EXPECT_TRUE(matches("(?<=\\u{FFFD})a", "\xF0\x9F\x90" "a"));  // lookbehind decodes the same way
  EXPECT_TRUE(matches("(?<=\\u{1F432})a", "\xF0\x9F\x90\xB2" "a"));
}

TEST(RegexFeatures, CompiledRegexIsReusable) {
  Result<Regex> re = Regex::compile("^[a-z]+\\d*$");
  ASSERT_TRUE(re.ok());
  for (int k = 0; k < 1000; ++k) {
    EXPECT_TRUE(*re->search("abc" + std::to_string(k)));
    EXPECT_FALSE(*re->search(std::to_string(k)));
  }
  Regex moved = std::move(re.value());
  EXPECT_TRUE(*moved.search("x1"));
}

}  // namespace
}  // namespace mcpw::regex::testing
