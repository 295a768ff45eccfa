// The formats' fast paths against their full readings. The one-pass reading
// of common URIs against detail::check_uri_general: the same verdict for
// uri, uri-reference, iri and iri-reference on every subject, valid or not,
// built from the pieces URIs are made of (schemes, "//", hosts, ports,
// paths, queries, fragments, "%" escapes, "@", brackets, non-ASCII, bytes no
// component allows). date-time against date and time; uuid's dashes.

#include <cstdio>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "schema/formats.h"

namespace mcpw::schema {
namespace {

std::string random_uri(std::mt19937& rng) {
  static const char* const pieces[] = {
      "https", "http", "a", "Z9", "x+y.z-", "1a", ":", "//", "/", "?", "#", "@", "[", "]", "[::1]", "%",
      "%41", "%4", "%zz", "example.com", "files.example.com", ":8080", ":", ":x", "d", "roadmap", "1.pdf",
      "pwd=abc", "&", "=", "~", "_", "-", ".", "!", "$", "'", "(", ")", "*", "+", ",", ";", " ", "\"",
      "<", ">", "\\", "^", "`", "{", "|", "}", "é", "\xFF", "\x01", "user:pw@", "v1.x", "[v1.x]"};
  constexpr std::size_t n = sizeof pieces / sizeof pieces[0];
  std::string s;
  // Most subjects open like a URI does, so the fast path is entered deeply.
  if (rng() % 4 != 0) s = rng() % 2 ? "https://" : "mailto:";
  const std::size_t len = rng() % 10;
  for (std::size_t k = 0; k < len; ++k) s += pieces[rng() % n];
  return s;
}

TEST(UriFormat, OnePassAgreesWithTheFullReading) {
  std::mt19937 rng(20261207);
  std::size_t valid = 0;
  for (int round = 0; round < 200000; ++round) {
    const std::string s = random_uri(rng);
    const bool uri = detail::check_uri_general(s, true, false);
    valid += uri;
    ASSERT_EQ(check_format(Format::uri, s), uri) << s;
    ASSERT_EQ(check_format(Format::uri_reference, s), detail::check_uri_general(s, false, false)) << s;
    ASSERT_EQ(check_format(Format::iri, s), detail::check_uri_general(s, true, true)) << s;
    ASSERT_EQ(check_format(Format::iri_reference, s), detail::check_uri_general(s, false, true)) << s;
  }
  // Both verdicts are common, so neither side is tested against a constant.
  EXPECT_GT(valid, 20000u);
  EXPECT_LT(valid, 180000u);
}

TEST(UriFormat, CommonShapes) {
  for (const char* s : {"https://meet.example.com/j/305628?pwd=abc", "https://files.example.com/d/sync/0.pdf",
                        "http://host:8080/", "http://host:/x", "mailto:a@example.com", "urn:isbn:0451450523",
                        "https://example.com/a#frag?x", "a:"}) {
    EXPECT_TRUE(check_format(Format::uri, s)) << s;
  }
  for (const char* s : {"not a uri", "https://exa mple.com", "https://example.com/%zz", "//example.com/x",
                        "1http://x", "https://x/#a#b", "http://host:8x/"}) {
    EXPECT_FALSE(check_format(Format::uri, s)) << s;
  }
}

// date-time is full-date "T" full-time (RFC 3339 §5.6): check_format's
// reading of the usual shape against the date and time formats' own.
TEST(DateTimeFormat, SameVerdictAsDateAndTime) {
  static const char* const templates[] = {"2026-03-11T09:30:00Z", "2026-03-11T10:15:00.250+02:00",
                                          "2024-02-29T23:59:60Z", "1990-12-31T15:59:60-08:00",
                                          "2100-02-29t00:00:00z", "0000-01-01T00:00:00.1-23:59"};
  static const char swaps[] = "0123456789-:T tZz+.x\xff";
  std::mt19937 rng(7);
  std::size_t valid = 0;
  for (int round = 0; round < 100000; ++round) {
    std::string s = templates[rng() % 6];
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) s[rng() % s.size()] = swaps[rng() % (sizeof swaps - 1)];
    if (rng() % 8 == 0) s.resize(rng() % (s.size() + 1));
    const bool expected = s.size() > 10 && (s[10] == 'T' || s[10] == 't') &&
                          check_format(Format::date, s.substr(0, 10)) && check_format(Format::time, s.substr(11));
    valid += expected;
    ASSERT_EQ(check_format(Format::date_time, s), expected) << s;
  }
  EXPECT_GT(valid, 10000u);
  EXPECT_LT(valid, 90000u);
}

// Each month's last day, the day after it, and February 29th in leap and
// common years (RFC 3339 §5.7: divisible by 4, not by 100 unless by 400).
TEST(DateTimeFormat, MonthLengthsAndLeapYears) {
  static const int last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const auto at = [](int y, int m, int d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT12:00:00Z", y, m, d);
    return std::string(buf);
  };
  for (int m = 1; m <= 12; ++m) {
    EXPECT_TRUE(check_format(Format::date_time, at(2023, m, last[m - 1]))) << m;
    EXPECT_FALSE(check_format(Format::date_time, at(2023, m, last[m - 1] + 1))) << m;
    EXPECT_FALSE(check_format(Format::date_time, at(2023, m, 0))) << m;
  }
  for (int y : {2000, 2024, 1996, 400}) EXPECT_TRUE(check_format(Format::date_time, at(y, 2, 29))) << y;
  for (int y : {1900, 2100, 2023, 2019}) EXPECT_FALSE(check_format(Format::date_time, at(y, 2, 29))) << y;
  EXPECT_FALSE(check_format(Format::date_time, at(2024, 2, 30)));
  EXPECT_FALSE(check_format(Format::date_time, at(2024, 0, 1)));
  EXPECT_FALSE(check_format(Format::date_time, at(2024, 13, 1)));
}

TEST(UuidFormat, DashesOnlyWhereTheyBelong) {
  EXPECT_TRUE(check_format(Format::uuid, "3f2504e0-4f89-11d3-9a0c-0305e82c3311"));
  EXPECT_TRUE(check_format(Format::uuid, "3F2504E0-4F89-11D3-9A0C-0305E82C3311"));
  EXPECT_FALSE(check_format(Format::uuid, "3f2504e0-4f89-11d3-9a0c-0305e82c331-"));
  EXPECT_FALSE(check_format(Format::uuid, "-f2504e0-4f89-11d3-9a0c-0305e82c3311"));
  EXPECT_FALSE(check_format(Format::uuid, "3f2504e0-4f89-11d3-9a0c-0305e82c331g"));
  EXPECT_FALSE(check_format(Format::uuid, "3f2504e0a4f89-11d3-9a0c-0305e82c3311"));
  EXPECT_FALSE(check_format(Format::uuid, "3f2504e0-4f89-11d3-9a0c-0305e82c33111"));
}

}  // namespace
}  // namespace mcpw::schema
