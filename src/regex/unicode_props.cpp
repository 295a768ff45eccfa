// \p{...} lookup over the generated tables (see unicode_props.h).
#include "regex/unicode_props.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mcpw::regex::detail {
namespace {

struct SetRef {
  std::uint32_t offset;
  std::uint32_t count;
};
struct NamedSet {
  const char* name;
  SetRef set;
};

#include "regex/unicode_tables.inc"

std::uint32_t read_varint(std::size_t& at) {
  std::uint32_t v = 0;
  for (int shift = 0; at < kSetBytesSize && shift < 32; shift += 7) {
    const auto b = static_cast<unsigned char>(kSetBytes[at++]);
    v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
  }
  return v;
}

void append_set(SetRef ref, std::vector<Range>& out) {
  std::size_t at = ref.offset;
  std::uint32_t prev = 0;
  for (std::uint32_t i = 0; i < ref.count; ++i) {
    const std::uint32_t lo = prev + read_varint(at);
    const std::uint32_t hi = lo + read_varint(at);
    out.push_back({lo, hi});
    prev = hi + 1;
  }
}

template <class T, std::size_t N>
const T* find_name(const T (&table)[N], std::string_view name) {
  const T* it = std::lower_bound(std::begin(table), std::end(table), name,
                                 [](const T& e, std::string_view n) { return std::string_view(e.name) < n; });
  return (it != std::end(table) && std::string_view(it->name) == name) ? it : nullptr;
}

template <std::size_t N>
bool append_named(const NamedSet (&table)[N], std::string_view name, std::vector<Range>& out) {
  const NamedSet* s = find_name(table, name);
  if (!s) return false;
  append_set(s->set, out);
  return true;
}

bool append_gc(std::string_view value, std::vector<Range>& out) {
  return append_named(kGeneralCategory, value, out);
}

}  // namespace

bool lookup_property(std::string_view name, std::string_view value, std::vector<Range>& out) {
  if (value.empty()) {
    // LoneUnicodePropertyNameOrValue: a General_Category value or a binary property.
    return append_gc(name, out) || append_named(kBinaryProperties, name, out);
  }
  if (name == "General_Category" || name == "gc") return append_gc(value, out);
  if (name == "Script" || name == "sc") return append_named(kScripts, value, out);
  if (name == "Script_Extensions" || name == "scx") return append_named(kScriptExtensions, value, out);
  return false;
}

bool has_binary_property(const char* name, char32_t cp) {
  const NamedSet* s = find_name(kBinaryProperties, name);
  if (!s) return false;
  std::vector<Range> r;
  append_set(s->set, r);
  return std::any_of(r.begin(), r.end(), [cp](const Range& x) { return cp >= x.lo && cp <= x.hi; });
}

}  // namespace mcpw::regex::detail
