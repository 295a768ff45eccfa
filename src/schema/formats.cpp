#include "schema/formats.h"

#include <cstddef>
#include <cstdint>
#include <string>

#include "schema/formats_time.h"
#include "schema/idna.h"
#include "schema/pattern.h"
#include "support/hex.h"

namespace mcpw::schema {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Character classes of the formats, one table lookup per byte (range tests
// and short sets scanned per byte cost several branches each in Wasm, and
// string_view::find is an out-of-line memchr call there). The URI classes
// are RFC 3986 §3's components: unreserved, sub-delims and their own
// delimiters.
enum : std::uint8_t {
  HOST_CHAR = 1,    // RFC 3986 unreserved / sub-delims
  PATH_CHAR = 2,    // and ":" "@" "/"
  QUERY_CHAR = 4,   // and "?" (fragments too)
  SCHEME_CHAR = 8,  // ALPHA / DIGIT / "+" / "-" / "."
  HEX_CHAR = 16,
  ATEXT_CHAR = 32,  // RFC 5322 atext
  LABEL_CHAR = 64,  // ALPHA / DIGIT / "-" (RFC 1123 labels)
  USERINFO_CHAR = 128,  // unreserved / sub-delims / ":" (also IPvFuture's tail)
};
struct CharClasses {
  std::uint8_t v[256] = {};
  constexpr CharClasses() {
    for (int c = 0; c < 128; ++c) {
      const char ch = static_cast<char>(c);
      const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
      const auto in = [ch](std::string_view set) {
        for (char x : set) {
          if (x == ch) return true;
        }
        return false;
      };
      std::uint8_t f = 0;
      if (alnum || in("-._~!$&'()*+,;=")) f |= HOST_CHAR | PATH_CHAR | QUERY_CHAR;
      if (alnum || in("-._~!$&'()*+,;=:")) f |= USERINFO_CHAR;
      if (in(":@/")) f |= PATH_CHAR | QUERY_CHAR;
      if (ch == '?') f |= QUERY_CHAR;
      if (alnum || in("+-.")) f |= SCHEME_CHAR;
      if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')) f |= HEX_CHAR;
      if (alnum || in("!#$%&'*+-/=?^_`{|}~")) f |= ATEXT_CHAR;
      if (alnum || ch == '-') f |= LABEL_CHAR;
      v[c] = f;
    }
  }
  constexpr bool is(char c, std::uint8_t cls) const { return (v[static_cast<unsigned char>(c)] & cls) != 0; }
};
constexpr CharClasses CLASS{};

// The first byte from p (before e) not of class `cls`, or e. Four bytes a
// step with one test of their classes together: a byte a step was a bound
// test and V8's stack check per byte of a URI's host and path.
template <std::uint8_t cls>
[[gnu::always_inline]] inline const char* class_run(const char* p, const char* e) {
  const auto of = [](char c) { return CLASS.v[static_cast<unsigned char>(c)]; };
  for (; e - p >= 4; p += 4) {
    if (!(of(p[0]) & of(p[1]) & of(p[2]) & of(p[3]) & cls)) break;
  }
  while (p < e && CLASS.is(*p, cls)) ++p;
  return p;
}

// string_view::find and rfind are memchr calls in Wasm (out of line, per
// call); the strings here are short, a plain loop is cheaper.
constexpr std::size_t find_byte(std::string_view s, char c, std::size_t from = 0) {
  for (std::size_t i = from; i < s.size(); ++i) {
    if (s[i] == c) return i;
  }
  return std::string_view::npos;
}
constexpr std::size_t rfind_byte(std::string_view s, char c) {
  for (std::size_t i = s.size(); i > 0; --i) {
    if (s[i - 1] == c) return i - 1;
  }
  return std::string_view::npos;
}

bool check_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    int v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
    const std::size_t n = i - start;
    if (n == 0 || v > 255 || (n > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool check_ipv6(std::string_view s) {
  if (s.empty()) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && is_hex_digit(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {  // embedded IPv4 ends the address
      if (!check_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (i - start == 0 || i - start > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// RFC 1123 §2.1 host names (ASCII labels; IDNA A-labels are not decoded).
bool check_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t i = 0;
  while (true) {
    const auto dot = find_byte(s, '.', i);
    const std::string_view label = s.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!CLASS.is(c, LABEL_CHAR)) return false;
    }
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-' &&
        !((label[0] == 'x' || label[0] == 'X') && (label[1] == 'n' || label[1] == 'N'))) {
      return false;  // RFC 5891 §4.2.3.1: "--" in positions 3-4 only for A-labels
    }
    if (dot == std::string_view::npos) return true;
    i = dot + 1;
  }
}

// RFC 5321 §4.1.2 Mailbox, ASCII (idn: UTF-8 allowed in the local part).
bool check_email(std::string_view s, bool idn) {
  const auto at = rfind_byte(s, '@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      const char c = local[i];
      if (c == '\\') {
        ++i;
        continue;
      }
      if (c == '"' || static_cast<unsigned char>(c) < 32) return false;
    }
  } else {
    if (local.front() == '.' || local.back() == '.') return false;
    for (std::size_t i = 0; i < local.size(); ++i) {
      const char c = local[i];
      if (c == '.') {
        if (local[i + 1] == '.') return false;  // never the last byte: checked above
        continue;
      }
      if (static_cast<unsigned char>(c) >= 0x80 && idn) continue;
      if (!CLASS.is(c, ATEXT_CHAR)) return false;
    }
  }
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    const std::string_view lit = domain.substr(1, domain.size() - 2);
    if (lit.substr(0, 5) == "IPv6:") return check_ipv6(lit.substr(5));
    return check_ipv4(lit);
  }
  if (idn) {
    for (char c : domain) {
      if (static_cast<unsigned char>(c) >= 0x80) return true;  // U-labels: not decoded here
    }
  }
  return check_hostname(domain);
}

// Characters of one URI component; `iri` admits UTF-8 (RFC 3987 ucschar).
bool component_ok(std::string_view s, std::uint8_t allowed, bool iri) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (CLASS.is(s[i], allowed)) continue;
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex_digit(s[i + 1]) || !is_hex_digit(s[i + 2])) return false;
      i += 2;
    } else if (c < 0x80 || !iri) {
      return false;
    }
  }
  return true;
}

// RFC 3986 §3.2.2 IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ).
bool check_ip_future(std::string_view s) {
  if (s.size() < 4 || (s[0] != 'v' && s[0] != 'V')) return false;
  std::size_t i = 1;
  while (i < s.size() && is_hex_digit(s[i])) ++i;
  if (i == 1 || i >= s.size() || s[i] != '.' || i + 1 == s.size()) return false;
  for (++i; i < s.size(); ++i) {
    if (!CLASS.is(s[i], USERINFO_CHAR)) return false;
  }
  return true;
}

bool check_authority(std::string_view a, bool iri) {
  const auto at = rfind_byte(a, '@');
  if (at != std::string_view::npos) {
    if (!component_ok(a.substr(0, at), USERINFO_CHAR, iri)) return false;
    a = a.substr(at + 1);
  }
  std::string_view host = a;
  if (!a.empty() && a.front() == '[') {
    const auto close = find_byte(a, ']');
    if (close == std::string_view::npos) return false;
    const std::string_view lit = a.substr(1, close - 1);
    if (!check_ipv6(lit) && !check_ip_future(lit)) return false;
    host = {};
    a = a.substr(close + 1);
    if (!a.empty() && a.front() != ':') return false;
  } else {
    const auto colon = rfind_byte(a, ':');
    host = a.substr(0, colon);
    a = colon == std::string_view::npos ? std::string_view() : a.substr(colon);
  }
  if (!a.empty()) {  // ":" port
    for (char c : a.substr(1)) {
      if (!is_digit(c)) return false;
    }
  }
  return component_ok(host, HOST_CHAR, iri);
}

// The common URI in one pass: scheme "://" host [":" port] path ["?" query]
// ["#" fragment], or scheme ":" path..., in plain ASCII with no "%", "@" or
// "[". True only when check_uri would be true for it (any `absolute`,
// `iri`); false means "read it in full" (check_uri's general path).
bool plain_uri(std::string_view s) {
  const char* p = s.data();
  const char* const e = p + s.size();
  if (p == e || !is_alpha(*p)) return false;
  for (++p; p < e && CLASS.is(*p, SCHEME_CHAR);) ++p;
  if (p == e || *p != ':') return false;
  ++p;
  if (e - p >= 2 && p[0] == '/' && p[1] == '/') {
    p = class_run<HOST_CHAR>(p + 2, e);
    if (p < e && *p == ':') {
      for (++p; p < e && is_digit(*p);) ++p;
    }
    if (p < e && *p != '/' && *p != '?' && *p != '#') return false;
  }
  p = class_run<PATH_CHAR>(p, e);
  if (p < e && *p == '?') p = class_run<QUERY_CHAR>(p + 1, e);
  if (p < e && *p == '#') p = class_run<QUERY_CHAR>(p + 1, e);
  return p == e;
}

}  // namespace

// RFC 3986 §4.1 URI-reference; `absolute` demands a scheme (§3).
bool detail::check_uri_general(std::string_view s, bool absolute, bool iri) {
  // One pass to the first of ':', '/', '?', '#': a scheme ends at a ':'
  // that comes before any of the others.
  std::size_t i = 0;
  while (i < s.size() && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#') ++i;
  std::string_view rest = s;
  if (i < s.size() && s[i] == ':') {
    const std::string_view scheme = s.substr(0, i);
    if (scheme.empty() || !is_alpha(scheme[0])) return false;
    for (char c : scheme) {
      if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    rest = s.substr(i + 1);
  } else if (absolute) {
    return false;
  }
  // The fragment from the first '#', the query from the first '?' before it.
  std::size_t q = 0;
  while (q < rest.size() && rest[q] != '?' && rest[q] != '#') ++q;
  if (q < rest.size()) {
    std::size_t h = q;
    if (rest[q] == '?') {
      h = q + 1;
      while (h < rest.size() && rest[h] != '#') ++h;
      if (!component_ok(rest.substr(q + 1, h - q - 1), QUERY_CHAR, iri)) return false;
    }
    if (h < rest.size() && !component_ok(rest.substr(h + 1), QUERY_CHAR, iri)) return false;
    rest = rest.substr(0, q);
  }
  if (rest.size() >= 2 && rest[0] == '/' && rest[1] == '/') {
    rest = rest.substr(2);
    const auto slash = find_byte(rest, '/');
    if (!check_authority(rest.substr(0, slash), iri)) return false;
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return component_ok(rest, PATH_CHAR, iri);
}

namespace {

bool check_uri(std::string_view s, bool absolute, bool iri) {
  return plain_uri(s) || detail::check_uri_general(s, absolute, iri);
}

bool check_uuid(std::string_view s) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  // The hex digits between the dashes, with no branch per byte.
  constexpr std::size_t groups[5][2] = {{0, 8}, {9, 13}, {14, 18}, {19, 23}, {24, 36}};
  std::uint8_t all = HEX_CHAR;
  for (const auto& g : groups) {
    for (std::size_t i = g[0]; i < g[1]; ++i) all &= CLASS.v[static_cast<unsigned char>(s[i])];
  }
  return all != 0;
}

bool check_json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

// draft-handrews-relative-json-pointer-01 §3.
bool check_relative_json_pointer(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0 || (i > 1 && s[0] == '0')) return false;
  const std::string_view rest = s.substr(i);
  if (rest == "#") return true;
  return check_json_pointer(rest);
}

// RFC 6570 §2 (level 4 grammar): literals, and expressions
// "{" [operator] varspec *("," varspec) "}".
bool check_uri_template(std::string_view s) {
  auto pct = [&](std::size_t i) { return i + 2 < s.size() && is_hex_digit(s[i + 1]) && is_hex_digit(s[i + 2]); };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c != '{') {
      if (c == '%') {
        if (!pct(i)) return false;
        i += 3;
        continue;
      }
      if (c <= 0x20 || c == 0x7F || std::string_view("\"<>\\^`|}").find(static_cast<char>(c)) != std::string_view::npos) {
        return false;
      }
      ++i;
      continue;
    }
    ++i;
    if (i < s.size() && std::string_view("+#./;?&").find(s[i]) != std::string_view::npos) ++i;
    while (true) {  // varspec
      std::size_t start = i;
      bool prev_dot = true;  // a name may not start with '.' nor hold ".."
      while (i < s.size()) {
        if (s[i] == '%') {
          if (!pct(i)) return false;
          i += 3;
        } else if (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_') {
          ++i;
        } else if (s[i] == '.' && !prev_dot) {
          ++i;
          prev_dot = true;
          continue;
        } else {
          break;
        }
        prev_dot = false;
      }
      if (i == start || prev_dot) return false;
      if (i < s.size() && s[i] == ':') {
        ++i;
        start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start || i - start > 4 || s[start] == '0') return false;
      } else if (i < s.size() && s[i] == '*') {
        ++i;
      }
      if (i >= s.size()) return false;
      if (s[i] == '}') {
        ++i;
        break;
      }
      if (s[i] != ',') return false;
      ++i;
    }
  }
  return true;
}

}  // namespace

namespace {
struct FormatEntry { std::string_view name; Format f; };
constexpr FormatEntry FORMAT_TABLE[] = {
      {"date-time", Format::date_time}, {"date", Format::date}, {"time", Format::time},
      {"duration", Format::duration}, {"email", Format::email}, {"idn-email", Format::idn_email},
      {"hostname", Format::hostname}, {"idn-hostname", Format::idn_hostname}, {"ipv4", Format::ipv4},
      {"ipv6", Format::ipv6}, {"uri", Format::uri}, {"uri-reference", Format::uri_reference}, {"iri", Format::iri},
      {"iri-reference", Format::iri_reference}, {"uuid", Format::uuid}, {"uri-template", Format::uri_template},
      {"json-pointer", Format::json_pointer}, {"relative-json-pointer", Format::relative_json_pointer},
      {"regex", Format::regex},
};
}  // namespace

std::string_view format_name(Format f) {
  for (const auto& e : FORMAT_TABLE) {
    if (e.f == f) return e.name;
  }
  return "unknown";
}

Format parse_format_name(std::string_view n) {
  for (const auto& e : FORMAT_TABLE) {
    if (e.name == n) return e.f;
  }
  return Format::unknown;
}

bool check_format(Format f, std::string_view s) {
  switch (f) {
    case Format::date_time: return detail::check_date_time(s);
    case Format::date: return detail::check_date(s);
    case Format::time: return detail::check_time(s);
    case Format::duration: return detail::check_duration(s);
    case Format::email: return check_email(s, false);
    case Format::idn_email: return check_email(s, true);
    case Format::hostname: return check_ascii_hostname(s);
    case Format::idn_hostname: return check_idn_hostname(s);
    case Format::ipv4: return check_ipv4(s);
    case Format::ipv6: return check_ipv6(s);
    case Format::uri: return check_uri(s, true, false);
    case Format::uri_reference: return check_uri(s, false, false);
    case Format::iri: return check_uri(s, true, true);
    case Format::iri_reference: return check_uri(s, false, true);
    case Format::uuid: return check_uuid(s);
    case Format::uri_template: return check_uri_template(s);
    case Format::json_pointer: return check_json_pointer(s);
    case Format::relative_json_pointer: return check_relative_json_pointer(s);
    case Format::regex: return Pattern::valid(s);
    case Format::unknown: return true;
  }
  return true;
}

}  // namespace mcpw::schema
