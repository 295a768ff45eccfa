#include "transport/http.h"

#include "support/url.h"

namespace mcpw::transport {
namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = lower(c);
  return out;
}

std::optional<std::string> resolve_same_origin(std::string_view base, std::string_view ref) {
  auto b = parse_url(base);
  if (!b.ok() || ref.empty()) return std::nullopt;
  const std::string origin = url_origin(*b);
  std::string candidate;
  if (ref.substr(0, 2) == "//") {
    candidate = b->scheme + ":" + std::string(ref);
  } else if (ref[0] == '/') {
    candidate = origin + std::string(ref);
  } else if (ref.find("://") != std::string_view::npos) {
    candidate = std::string(ref);
  } else {
    const auto slash = b->path.rfind('/');
    candidate = origin + (slash == std::string::npos ? std::string("/") : b->path.substr(0, slash + 1)) + std::string(ref);
  }
  auto r = parse_url(candidate);
  if (!r.ok() || url_origin(*r) != origin) return std::nullopt;
  return to_string(*r);
}

namespace {

std::optional<int> digits(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" -> Unix ms.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
  static constexpr std::string_view MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT") {
    return std::nullopt;
  }
  auto day = digits(s.substr(5, 2));
  auto year = digits(s.substr(12, 4));
  auto hh = digits(s.substr(17, 2));
  auto mm = digits(s.substr(20, 2));
  auto ss = digits(s.substr(23, 2));
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (s.substr(8, 3) == MONTHS[i]) month = i + 1;
  }
  if (!day || !year || !hh || !mm || !ss || month == 0 || *day < 1 || *day > 31 || *hh > 23 || *mm > 59 || *ss > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(*year, month, static_cast<unsigned>(*day));
  return ((days * 24 + *hh) * 60 + *mm) * 60 * 1000 + static_cast<std::int64_t>(*ss) * 1000;
}

}  // namespace

std::optional<std::uint64_t> parse_retry_after(std::string_view value, std::uint64_t now_ms) {
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value[0] >= '0' && value[0] <= '9') {
    if (value.size() > 9) return std::nullopt;  // over ~30 years: not a wait we honour
    std::uint64_t secs = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return std::nullopt;
      secs = secs * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return secs * 1000;
  }
  auto at = parse_imf_fixdate(value);
  if (!at) return std::nullopt;
  const auto now = static_cast<std::int64_t>(now_ms);
  return *at <= now ? 0 : static_cast<std::uint64_t>(*at - now);
}

}  // namespace mcpw::transport
