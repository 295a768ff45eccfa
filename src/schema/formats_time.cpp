// RFC 3339 dates and times for the formats (formats.cpp's check_format):
// date, time, date-time (§5.6, with the leap-second rule of §5.7) and
// duration (Appendix A).

#include "schema/formats_time.h"

#include <cstddef>
#include <cstdint>

namespace mcpw::schema::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[i..]; advances i.
bool digits(std::string_view s, std::size_t& i, int n, int& out) {
  out = 0;
  for (int k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || !is_digit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Whether year y has month m and day d in it (RFC 3339 §5.7). Inline, and
// the leap year only asked about on a February 29th: a call and three
// remainders per date-time were a quarter of its check in Wasm.
[[gnu::always_inline]] inline bool date_ok(int y, int m, int d) {
  static constexpr std::uint8_t days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
  return m != 2 || d != 29 || (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// RFC 3339 §5.6 full-date.
bool parse_date(std::string_view s, std::size_t& i) {
  int y, m, d;
  if (!digits(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !digits(s, i, 2, m) || i >= s.size() ||
      s[i++] != '-' || !digits(s, i, 2, d)) {
    return false;
  }
  return date_ok(y, m, d);
}

[[gnu::always_inline]] inline bool time_rest(std::string_view s, std::size_t& i, int h, int mi, int se);

// RFC 3339 §5.6 full-time, with the leap-second rule of §5.7 (23:59:60 UTC).
bool parse_time(std::string_view s, std::size_t& i) {
  int h, mi, se;
  if (!digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, mi) || i >= s.size() ||
      s[i++] != ':' || !digits(s, i, 2, se)) {
    return false;
  }
  return time_rest(s, i, h, mi, se);
}

// full-time after its partial-time's "HH:MM:SS" (read as h, mi, se): the
// ranges, time-secfrac, time-offset and the leap-second rule. Inline (its
// cursor by reference kept it in memory across the call).
[[gnu::always_inline]] inline bool time_rest(std::string_view s, std::size_t& i, int h, int mi, int se) {
  if (h > 23 || mi > 59 || se > 60) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int off = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const int sign = s[i] == '+' ? 1 : -1;
    ++i;
    int oh, om;
    if (!digits(s, i, 2, oh) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, om)) return false;
    if (oh > 23 || om > 59) return false;
    off = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (se == 60) {
    const int utc = ((h * 60 + mi - off) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

}  // namespace

bool check_date_time(std::string_view s) {
  // The usual shape first: "YYYY-MM-DDTHH:MM:SS" at fixed places, its
  // fourteen digits read without a bounds check each.
  if (s.size() >= 20 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') && s[13] == ':' &&
      s[16] == ':') {
    const auto d = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[k])) - '0'; };
    constexpr std::size_t at[14] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    bool all = true;
    for (std::size_t k : at) all &= d(k) <= 9;
    if (!all) return false;
    const auto two = [&](std::size_t k) { return static_cast<int>(d(k) * 10 + d(k + 1)); };
    if (!date_ok(two(0) * 100 + two(2), two(5), two(8))) return false;
    std::size_t i = 19;
    return time_rest(s, i, two(11), two(14), two(17)) && i == s.size();
  }
  std::size_t i = 0;
  if (!parse_date(s, i) || i >= s.size() || (s[i] != 'T' && s[i] != 't')) return false;
  ++i;
  return parse_time(s, i) && i == s.size();
}

// RFC 3339 Appendix A duration.
bool check_duration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  std::size_t i = 1;
  auto element = [&](char& unit) -> bool {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i >= s.size()) return false;
    unit = s[i++];
    return true;
  };
  const std::string_view date_units = "YMD", time_units = "HMS";
  bool any = false;
  // Weeks stand alone.
  if (s.back() == 'W') {
    char u;
    return element(u) && u == 'W' && i == s.size();
  }
  // Units in their order, each at most once and consecutive (RFC 3339 ABNF),
  // up to `stop` (a NUL byte ends no valid duration early: element() refuses it).
  const auto run = [&](std::string_view units, char stop) {
    std::size_t pos = 0;  // next allowed index in units
    int last = -1;
    while (i < s.size() && s[i] != stop) {
      char u;
      if (!element(u)) return false;
      const auto k = units.find(u);
      if (k == std::string_view::npos || k < pos) return false;
      if (last >= 0 && k != static_cast<std::size_t>(last) + 1) return false;
      last = static_cast<int>(k);
      pos = k + 1;
      any = true;
    }
    return true;
  };
  if (!run(date_units, 'T')) return false;
  if (i < s.size() && s[i] == 'T') {
    ++i;
    if (i >= s.size() || !run(time_units, '\0')) return false;
  }
  // "dur-date = (dur-day / dur-month / dur-year) [dur-time]": Y must be
  // followed by M when D is present ("P1Y2D" is not RFC 3339).
  return any && i == s.size();
}

bool check_date(std::string_view s) {
  std::size_t i = 0;
  return parse_date(s, i) && i == s.size();
}

bool check_time(std::string_view s) {
  std::size_t i = 0;
  return parse_time(s, i) && i == s.size();
}

}  // namespace mcpw::schema::detail
