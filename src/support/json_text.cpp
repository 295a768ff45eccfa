#include "support/json_text.h"

#include <array>
#include <cstring>
#include <limits>

#include "support/json.h"

namespace mcpw {
namespace json_text_detail {

std::size_t skip_string(std::string_view t, std::size_t i, bool& escaped) {
  // memchr to each quote; a quote after an odd run of backslashes is escaped.
  const char* const base = t.data();
  const std::size_t n = t.size();
  for (++i; i < n;) {
    const void* q = std::memchr(base + i, '"', n - i);
    if (!q) return n;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - base);
    std::size_t slashes = 0;
    while (at - slashes > i && base[at - slashes - 1] == '\\') ++slashes;
    if (slashes != 0 || std::memchr(base + i, '\\', at - i)) escaped = true;
    if (slashes % 2 == 0) return at + 1;
    i = at + 1;
  }
  return n;
}

}  // namespace json_text_detail

namespace {

// What a byte means to skip_json_value.
enum : unsigned char { PLAIN, QUOTE, OPEN, CLOSE, STOP };
constexpr auto CLASSES = [] {
  std::array<unsigned char, 256> c{};
  c['"'] = QUOTE;
  c['{'] = c['['] = OPEN;
  c['}'] = c[']'] = CLOSE;
  c[','] = c[':'] = c[' '] = c['\t'] = c['\n'] = c['\r'] = STOP;
  return c;
}();

}  // namespace

std::size_t skip_json_value(std::string_view text, std::size_t i) {
  std::size_t depth = 0;  // no recursion: a depth count
  bool escaped = false;
  const std::size_t n = text.size();
  while (i < n) {
    switch (CLASSES[static_cast<unsigned char>(text[i])]) {
      case PLAIN:
        ++i;
        break;
      case QUOTE:
        i = json_text_detail::skip_string(text, i, escaped);
        if (depth == 0) return i;
        break;
      case OPEN:
        ++depth;
        ++i;
        break;
      case CLOSE:
        if (depth == 0) return i;  // the end of the enclosing container
        ++i;
        if (--depth == 0) return i;
        break;
      default:  // STOP: ends a number or literal at the top
        if (depth == 0) return i;
        ++i;
        break;
    }
  }
  return i;
}

std::string MemberName::decoded() const {
  if (!escaped) return std::string(raw.substr(1, raw.size() >= 2 ? raw.size() - 2 : 0));
  return string_from_text(raw).value_or(std::string());
}

bool MemberName::is(std::string_view key) const {
  if (!escaped) return raw.size() == key.size() + 2 && raw.substr(1, key.size()) == key;
  return decoded() == key;
}

std::string_view member_text(std::string_view text, std::string_view key) {
  std::string_view found;
  for_each_member(text, [&](const MemberName& name, std::string_view value) {
    if (name.is(key)) found = value;
    return true;
  });
  return found;
}

std::optional<std::string> string_from_text(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::nullopt;
  if (v.find('\\') == std::string_view::npos) return std::string(v.substr(1, v.size() - 2));
  auto s = parse_json(v);
  if (!s.ok() || !s->is_string()) return std::nullopt;
  return s->get<std::string>();
}

std::optional<std::int64_t> integer_from_text(std::string_view v) {
  std::size_t i = 0;
  const bool negative = !v.empty() && v[0] == '-';
  if (negative) ++i;
  if (i >= v.size()) return std::nullopt;
  std::uint64_t magnitude = 0;
  constexpr std::uint64_t max_negative = std::uint64_t{1} << 63;
  for (; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(v[i] - '0');
    if (magnitude > (max_negative - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return magnitude == max_negative ? std::numeric_limits<std::int64_t>::min()
                                                 : -static_cast<std::int64_t>(magnitude);
  if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return static_cast<std::int64_t>(magnitude);
}

}  // namespace mcpw
