#include "schema/idna.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "schema/pattern.h"
#include "schema/utf8.h"

namespace mcpw::schema {
namespace {

using CodePoints = std::vector<char32_t>;

// RFC 3492 §5 parameters.
constexpr std::uint32_t BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128;

std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / DAMP : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((BASE - TMIN) * TMAX) / 2) {
    delta /= BASE - TMIN;
    k += BASE;
  }
  return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

// RFC 3492 §6.2 decoding; nullopt on any malformation or overflow.
std::optional<CodePoints> punycode_decode(std::string_view in) {
  CodePoints out;
  const auto dash = in.rfind('-');
  std::size_t pos = 0;
  if (dash != std::string_view::npos) {
    for (std::size_t k = 0; k < dash; ++k) {
      if (static_cast<unsigned char>(in[k]) >= 0x80) return std::nullopt;
      out.push_back(static_cast<char32_t>(in[k]));
    }
    pos = dash + 1;
  }
  std::uint32_t n = INITIAL_N, i = 0, bias = INITIAL_BIAS;
  constexpr std::uint32_t MAX = 0x7FFFFFFF;
  while (pos < in.size()) {
    const std::uint32_t old_i = i;
    std::uint32_t w = 1;
    for (std::uint32_t k = BASE;; k += BASE) {
      if (pos >= in.size()) return std::nullopt;
      const char c = in[pos++];
      std::uint32_t digit;
      if (c >= 'a' && c <= 'z') digit = static_cast<std::uint32_t>(c - 'a');
      else if (c >= 'A' && c <= 'Z') digit = static_cast<std::uint32_t>(c - 'A');
      else if (c >= '0' && c <= '9') digit = static_cast<std::uint32_t>(c - '0' + 26);
      else return std::nullopt;
      if (digit > (MAX - i) / w) return std::nullopt;
      i += digit * w;
      const std::uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (digit < t) break;
      if (w > MAX / (BASE - t)) return std::nullopt;
      w *= BASE - t;
    }
    const auto len = static_cast<std::uint32_t>(out.size() + 1);
    bias = adapt(i - old_i, len, old_i == 0);
    if (i / len > MAX - n) return std::nullopt;
    n += i / len;
    i %= len;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return std::nullopt;
    out.insert(out.begin() + i, n);
    ++i;
  }
  return out;
}

// RFC 3492 §6.3 encoding (lower-case digits).
std::string punycode_encode(const CodePoints& in) {
  std::string out;
  for (char32_t c : in) {
    if (c < 0x80) out.push_back(static_cast<char>(c));
  }
  const auto b = static_cast<std::uint32_t>(out.size());
  std::uint32_t h = b;
  if (b > 0) out.push_back('-');
  std::uint32_t n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
  while (h < in.size()) {
    std::uint32_t m = 0x10FFFF + 1;
    for (char32_t c : in) {
      if (c >= n && c < m) m = c;
    }
    delta += (m - n) * (h + 1);
    n = m;
    for (char32_t c : in) {
      if (c < n) ++delta;
      if (c == n) {
        std::uint32_t q = delta;
        for (std::uint32_t k = BASE;; k += BASE) {
          const std::uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
          if (q < t) break;
          const std::uint32_t d = t + (q - t) % (BASE - t);
          out.push_back(static_cast<char>(d < 26 ? 'a' + d : '0' + d - 26));
          q = (q - t) / (BASE - t);
        }
        out.push_back(static_cast<char>(q < 26 ? 'a' + q : '0' + q - 26));
        bias = adapt(delta, h + 1, h == b);
        delta = 0;
        ++h;
      }
    }
    ++delta;
    ++n;
  }
  return out;
}

std::optional<CodePoints> utf8_decode(std::string_view s) {
  CodePoints out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// Unicode classes through the ECMA-262 engine's \p{...} (its tables are
// Unicode's). Without an engine every class test answers "no".
enum Cls { MARK, GREEK, HEBREW, KANA_HAN, DISALLOWED_CAT, RTL, ARABIC_JOINING, CLS_COUNT };

bool in_class(Cls c, char32_t cp) {
  static const std::array<std::optional<Pattern>, CLS_COUNT> patterns = [] {
    const char* src[CLS_COUNT] = {
        "^\\p{M}$",
        "^\\p{Script=Greek}$",
        "^\\p{Script=Hebrew}$",
        "^[\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}]$",
        "^[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Z}\\p{S}\\p{P}\\p{Lu}\\p{Lt}]$",
        "^[\\p{Script=Hebrew}\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Thaana}\\p{Script=Nko}]$",
        "^[\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Nko}\\p{Script=Mongolian}]$",
    };
    std::array<std::optional<Pattern>, CLS_COUNT> out;
    for (int k = 0; k < CLS_COUNT; ++k) {
      auto p = Pattern::compile(src[k]);
      if (p) out[static_cast<std::size_t>(k)].emplace(std::move(p.value()));
    }
    return out;
  }();
  const auto& p = patterns[static_cast<std::size_t>(c)];
  if (!p) return false;
  std::string one;
  append_utf8(one, cp);
  auto r = p->search(one);
  return r.ok() && r.value();
}

// Code points with canonical combining class 9 (Virama), RFC 5892 A.1/A.2.
bool is_virama(char32_t c) {
  static constexpr char32_t V[] = {0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C,
                                   0x0D4D, 0x0DCA, 0x0E3A, 0x0EBA, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1734, 0x17D2,
                                   0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA8C4, 0xA953,
                                   0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x1107F, 0x110B9, 0x11133, 0x11134,
                                   0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6,
                                   0x1172B, 0x11839, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44, 0x11D45,
                                   0x11D97};
  for (char32_t v : V) {
    if (v == c) return true;
  }
  return false;
}

bool is_ldh(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

// RFC 5891 §5.4 / RFC 5892 checks on one U-label.
bool check_u_label(const CodePoints& l) {
  if (l.empty()) return false;
  if (l.front() == '-' || l.back() == '-') return false;
  if (l.size() >= 4 && l[2] == '-' && l[3] == '-') return false;
  if (in_class(MARK, l.front())) return false;
  bool arabic_indic = false, extended = false, kana_han = false;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const char32_t c = l[i];
    const char32_t prev = i > 0 ? l[i - 1] : 0, next = i + 1 < l.size() ? l[i + 1] : 0;
    if (c < 0x80) {
      if (!is_ldh(c)) return false;
      continue;
    }
    switch (c) {  // RFC 5892 §2.6 exceptions and Appendix A contextual rules
      case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007: continue;
      case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033: case 0x3034:
      case 0x3035: case 0x303B: return false;
      case 0x00B7: if (prev != 'l' || next != 'l') return false; continue;
      case 0x0375: if (!next || !in_class(GREEK, next)) return false; continue;
      case 0x05F3: case 0x05F4: if (!prev || !in_class(HEBREW, prev)) return false; continue;
      case 0x30FB: continue;  // checked over the whole label below
      case 0x200D: if (!is_virama(prev)) return false; continue;
      case 0x200C:
        if (!is_virama(prev) && !(prev && next && in_class(ARABIC_JOINING, prev) && in_class(ARABIC_JOINING, next))) {
          return false;
        }
        continue;
      default: break;
    }
    if (c >= 0x0660 && c <= 0x0669) arabic_indic = true;
    if (c >= 0x06F0 && c <= 0x06F9) extended = true;
    if (in_class(KANA_HAN, c)) kana_han = true;
    if (in_class(DISALLOWED_CAT, c)) return false;
  }
  if (arabic_indic && extended) return false;
  for (char32_t c : l) {
    if (c == 0x30FB && !kana_han) return false;
  }
  return true;
}

// Bidi classes R, AL and AN; the Extended Arabic-Indic digits are EN.
bool is_rtl(char32_t c) {
  if (c >= 0x06F0 && c <= 0x06F9) return false;
  return (c >= 0x0660 && c <= 0x0669) || in_class(RTL, c);
}
bool is_digit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0x06F0 && c <= 0x06F9) || (c >= 0x0660 && c <= 0x0669); }

// RFC 5893 §2, approximated by scripts: in a name with any right-to-left
// label, every label starts with a letter of its direction, and a label is
// either all left-to-right or all right-to-left (digits aside), with one kind
// of Arabic digit.
bool check_bidi(const std::vector<CodePoints>& labels) {
  bool bidi_domain = false;
  for (const auto& l : labels) {
    for (char32_t c : l) bidi_domain = bidi_domain || is_rtl(c);
  }
  if (!bidi_domain) return true;
  for (const auto& l : labels) {
    if (l.empty() || is_digit(l.front())) return false;
    const bool rtl = is_rtl(l.front());
    bool en = false, an = false;
    for (char32_t c : l) {
      if ((c >= '0' && c <= '9') || (c >= 0x06F0 && c <= 0x06F9)) en = true;
      if (c >= 0x0660 && c <= 0x0669) an = true;
      if (c < 0x80 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && rtl) return false;
      if (!rtl && is_rtl(c) && !(c >= 0x0660 && c <= 0x0669)) return false;
    }
    if (rtl && en && an) return false;
  }
  return true;
}

bool starts_with_ace(std::string_view s) {
  return s.size() >= 4 && (s[0] == 'x' || s[0] == 'X') && (s[1] == 'n' || s[1] == 'N') && s[2] == '-' && s[3] == '-';
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return o;
}

// One label, ASCII (LDH or A-label) or, for idn, a U-label; appends its code points.
bool check_label(std::string_view label, bool idn, std::vector<CodePoints>& labels) {
  if (label.empty()) return false;
  bool ascii = true;
  for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    if (label.size() > 63) return false;
    for (char c : label) {
      if (!is_ldh(static_cast<unsigned char>(c))) return false;
    }
    if (label.front() == '-' || label.back() == '-') return false;
    if (!starts_with_ace(label)) {
      if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
      labels.emplace_back(label.begin(), label.end());
      return true;
    }
    auto u = punycode_decode(label.substr(4));
    if (!u) return false;
    bool non_ascii = false;
    for (char32_t c : *u) non_ascii = non_ascii || c >= 0x80;
    if (!non_ascii || punycode_encode(*u) != lower(label.substr(4))) return false;
    if (!check_u_label(*u)) return false;
    labels.push_back(std::move(*u));
    return true;
  }
  if (!idn) return false;
  auto u = utf8_decode(label);
  if (!u || !check_u_label(*u)) return false;
  if (4 + punycode_encode(*u).size() > 63) return false;
  labels.push_back(std::move(*u));
  return true;
}

bool check_name(std::string_view s, bool idn) {
  // No valid name is longer (253 octets in ASCII form, at most 4 bytes of
  // UTF-8 per code point); this also bounds the Punycode work.
  if (s.empty() || s.size() > 4 * 253) return false;
  std::vector<CodePoints> labels;
  std::size_t ace_length = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size();) {
    std::size_t sep = 0;  // bytes of a label separator at i
    if (i == s.size() || s[i] == '.') {
      sep = 1;
    } else if (idn && s.substr(i, 3) == "\xE3\x80\x82") {  // U+3002
      sep = 3;
    } else if (idn && (s.substr(i, 3) == "\xEF\xBC\x8E" || s.substr(i, 3) == "\xEF\xBD\xA1")) {  // U+FF0E, U+FF61
      sep = 3;
    }
    if (sep == 0) {
      ++i;
      continue;
    }
    const std::string_view label = s.substr(start, i - start);
    if (!check_label(label, idn, labels)) return false;
    bool ascii = true;
    for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    ace_length += (ascii ? label.size() : 4 + punycode_encode(labels.back()).size()) + 1;
    if (i == s.size()) break;
    i += sep;
    start = i;
    if (i == s.size()) return false;  // trailing separator
  }
  if (ace_length - 1 > 253) return false;
  return check_bidi(labels);
}

}  // namespace

bool check_ascii_hostname(std::string_view s) { return check_name(s, false); }

bool check_idn_hostname(std::string_view s) { return check_name(s, true); }

}  // namespace mcpw::schema
