#pragma once
// Reading members and items straight from JSON text, without a DOM: for large
// documents where only a few members matter (a tools/list page of 1,000 tools
// built as a DOM was most of the client's time on it). The text must already
// be known to be valid JSON (checked by a parser or scanner); on other text the
// answers are unspecified but every read stays in bounds. Nothing recurses.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpw {

/// Index just past the JSON value that starts at text[i] (leading white space
/// not skipped); for a container, past its closing bracket.
std::size_t skip_json_value(std::string_view text, std::size_t i);

/// A member name as text gives it: `raw` is the quoted name; `decoded()` is
/// the name itself (escapes resolved; cheap when there are none).
struct MemberName {
  std::string_view raw;
  bool escaped = false;
  std::string decoded() const;
  bool is(std::string_view key) const;
};

/// Calls fn(MemberName, value_text) for each member of the object `text`, in
/// document order (duplicates included); stops early when fn returns false.
/// Returns false when `text` is not an object.
template <class F>
bool for_each_member(std::string_view text, F&& fn);
/// Calls fn(item_text) for each item of the array `text`; stops when fn
/// returns false. Returns false when `text` is not an array.
template <class F>
bool for_each_item(std::string_view text, F&& fn);

/// The text of the LAST member `key` of the object `text` (the one JSON.parse
/// and the DOM keep), or empty when absent or `text` is no object.
std::string_view member_text(std::string_view object_text, std::string_view key);

/// The value of a JSON string's text (`"..."`), escapes resolved; nullopt when
/// `value_text` is not a string.
std::optional<std::string> string_from_text(std::string_view value_text);
/// The value of an integer's text (no fraction or exponent, within int64).
std::optional<std::int64_t> integer_from_text(std::string_view value_text);

// ---- implementation of the templates ----
namespace json_text_detail {
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}
/// Index just past the string at t[i] == '"'; sets `escaped` when it holds a backslash.
std::size_t skip_string(std::string_view t, std::size_t i, bool& escaped);
}  // namespace json_text_detail

template <class F>
bool for_each_member(std::string_view text, F&& fn) {
  using namespace json_text_detail;
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') return false;
  ++i;
  while (true) {
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != '"') return true;  // '}' (or invalid text)
    MemberName name;
    const std::size_t name_end = skip_string(text, i, name.escaped);
    name.raw = text.substr(i, name_end - i);
    i = skip_space(text, name_end);
    if (i < text.size() && text[i] == ':') ++i;
    i = skip_space(text, i);
    const std::size_t start = i;
    i = skip_json_value(text, i);
    if (!fn(name, text.substr(start, i - start))) return true;
    i = skip_space(text, i);
    if (i < text.size() && text[i] == ',') ++i;
    else return true;
  }
}

template <class F>
bool for_each_item(std::string_view text, F&& fn) {
  using namespace json_text_detail;
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '[') return false;
  ++i;
  while (true) {
    i = skip_space(text, i);
    if (i >= text.size() || text[i] == ']') return true;
    const std::size_t start = i;
    i = skip_json_value(text, i);
    if (i == start) return true;  // invalid text: no progress
    if (!fn(text.substr(start, i - start))) return true;
    i = skip_space(text, i);
    if (i < text.size() && text[i] == ',') ++i;
    else return true;
  }
}

}  // namespace mcpw
