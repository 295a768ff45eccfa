// Code point sets: normalisation, membership, and the predefined sets of
// ECMA-262 §22.2.2.9 (CharacterClassEscape) and §22.2.2.7 (`.`).
#include <algorithm>

#include "regex/char_class.h"

namespace mcpw::regex::detail {

void normalize_ranges(std::vector<Range>& r, bool negate) {
  const auto by_lo = [](const Range& a, const Range& b) { return a.lo < b.lo; };
  if (!std::is_sorted(r.begin(), r.end(), by_lo)) std::sort(r.begin(), r.end(), by_lo);
  std::vector<Range> merged;
  for (const Range& x : r) {
    if (!merged.empty() && x.lo <= merged.back().hi + 1) {
      merged.back().hi = std::max(merged.back().hi, x.hi);
    } else {
      merged.push_back(x);
    }
  }
  if (negate) {
    std::vector<Range> inv;
    char32_t next = 0;
    for (const Range& x : merged) {
      if (x.lo > next) inv.push_back({next, x.lo - 1});
      next = x.hi + 1;
    }
    if (next <= MAX_CODE_POINT) inv.push_back({next, MAX_CODE_POINT});
    merged.swap(inv);
  }
  r.swap(merged);
}

bool ProgramData::class_has(std::uint32_t idx, char32_t cp) const {
  const CharClass& c = classes[idx];
  if (cp < 128) return (c.ascii[cp >> 6] >> (cp & 63)) & 1;
  const Range* first = ranges.data() + c.first;
  const Range* last = first + c.count;
  // First range whose hi >= cp.
  const Range* it = std::lower_bound(first, last, cp, [](const Range& r, char32_t v) { return r.hi < v; });
  return it != last && it->lo <= cp;
}

std::uint32_t add_class(ProgramData& prog, std::vector<Range> r, bool negate) {
  normalize_ranges(r, negate);
  CharClass c;
  c.first = static_cast<std::uint32_t>(prog.ranges.size());
  c.count = static_cast<std::uint32_t>(r.size());
  for (const Range& x : r) {
    for (char32_t cp = x.lo; cp <= x.hi && cp < 128; ++cp) c.ascii[cp >> 6] |= std::uint64_t{1} << (cp & 63);
  }
  prog.ranges.insert(prog.ranges.end(), r.begin(), r.end());
  prog.classes.push_back(c);
  return static_cast<std::uint32_t>(prog.classes.size() - 1);
}

void append_predefined(char letter, std::vector<Range>& out) {
  std::vector<Range> r;
  switch (letter | 0x20) {  // lower case: the set; upper case: its complement
    case 'd':
      r = {{'0', '9'}};
      break;
    case 'w':
      r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
      break;
    case 's':
      // WhiteSpace (§12.2: TAB VT FF ZWNBSP + Zs) and LineTerminator (§12.3).
      r = {{0x09, 0x0D}, {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
           {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
      break;
    default:
      return;
  }
  normalize_ranges(r, (letter & 0x20) == 0);
  out.insert(out.end(), r.begin(), r.end());
}

void append_dot(std::vector<Range>& out) {
  std::vector<Range> r = {{0x0A, 0x0A}, {0x0D, 0x0D}, {0x2028, 0x2029}};
  normalize_ranges(r, true);
  out.insert(out.end(), r.begin(), r.end());
}

}  // namespace mcpw::regex::detail
