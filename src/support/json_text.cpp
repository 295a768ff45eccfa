#include "support/json_text.h"

#include <array>
#include <cstring>
#include <string>

#include "support/json.h"

namespace mcpw {
namespace {

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

// What a byte means to skip_value.
enum : unsigned char { PLAIN, QUOTE, OPEN, CLOSE, STOP };
constexpr auto CLASSES = [] {
  std::array<unsigned char, 256> c{};
  c['"'] = QUOTE;
  c['{'] = c['['] = OPEN;
  c['}'] = c[']'] = CLOSE;
  c[','] = c[':'] = c[' '] = c['\t'] = c['\n'] = c['\r'] = STOP;
  return c;
}();

// Index just past the value that starts at text[i]; for a container, past its closing bracket.
std::size_t skip_value(std::string_view text, std::size_t i) {
  std::size_t depth = 0;  // no recursion: a depth count
  bool escaped = false;
  const std::size_t n = text.size();
  while (i < n) {
    switch (CLASSES[static_cast<unsigned char>(text[i])]) {
      case PLAIN:
        ++i;
        break;
      case QUOTE:
        i = skip_string(text, i, escaped);
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

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}

// Whether the quoted name `raw` (written with escapes when `escaped`) is `key`.
bool name_is(std::string_view raw, bool escaped, std::string_view key) {
  if (!escaped) return raw.size() == key.size() + 2 && raw.substr(1, key.size()) == key;
  auto name = parse_json(raw);
  return name.ok() && name->is_string() && name->get_ref<const std::string&>() == key;
}

}  // namespace

std::string_view member_text(std::string_view text, std::string_view key) {
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') return {};
  std::string_view found;
  for (++i;;) {
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != '"') return found;  // '}' (or invalid text)
    bool escaped = false;
    const std::size_t name_end = skip_string(text, i, escaped);
    const bool match = name_is(text.substr(i, name_end - i), escaped, key);
    i = skip_space(text, name_end);
    if (i < text.size() && text[i] == ':') ++i;
    i = skip_space(text, i);
    const std::size_t start = i;
    i = skip_value(text, i);
    if (match) found = text.substr(start, i - start);
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != ',') return found;
    ++i;
  }
}

}  // namespace mcpw
