#include "schema/uri.h"

#include <cctype>

#include "support/hex.h"

namespace mcpw::schema {
namespace {

struct Parts {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

Parts parse(std::string_view s) {
  Parts p;
  if (auto h = s.find('#'); h != std::string_view::npos) {
    p.fragment = s.substr(h + 1);
    s = s.substr(0, h);
  }
  if (auto q = s.find('?'); q != std::string_view::npos) {
    p.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  if (has_scheme(s)) {
    const auto c = s.find(':');
    p.scheme = s.substr(0, c);
    s = s.substr(c + 1);
  }
  if (s.substr(0, 2) == "//") {
    s = s.substr(2);
    const auto slash = s.find('/');
    p.authority = s.substr(0, slash);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  p.path = s;
  return p;
}

std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const auto last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const auto next = in.find('/', 1);
      const auto seg = in.substr(0, next);
      out.append(seg);
      in.remove_prefix(seg.size());
    }
  }
  return out;
}

std::string merge(const Parts& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  const auto slash = base.path.rfind('/');
  if (slash == std::string_view::npos) return std::string(ref_path);
  return std::string(base.path.substr(0, slash + 1)) + std::string(ref_path);
}

}  // namespace

bool has_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri) {
  const auto h = uri.find('#');
  if (h == std::string_view::npos) return {uri, {}};
  return {uri.substr(0, h), uri.substr(h + 1)};
}

std::string resolve_uri(std::string_view base_text, std::string_view ref_text) {
  const Parts r = parse(ref_text);
  const Parts b = parse(base_text);
  Parts t;
  std::string path;
  if (r.scheme) {
    t.scheme = r.scheme; t.authority = r.authority; path = remove_dot_segments(r.path); t.query = r.query;
  } else {
    if (r.authority) {
      t.authority = r.authority; path = remove_dot_segments(r.path); t.query = r.query;
    } else {
      if (r.path.empty()) {
        path = std::string(b.path);
        t.query = r.query ? r.query : b.query;
      } else {
        path = r.path[0] == '/' ? remove_dot_segments(r.path) : remove_dot_segments(merge(b, r.path));
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
  }
  std::string out;
  if (t.scheme) out.append(*t.scheme).append(":");
  if (t.authority) out.append("//").append(*t.authority);
  out.append(path);
  if (t.query) out.append("?").append(*t.query);
  if (r.fragment && !r.fragment->empty()) out.append("#").append(*r.fragment);
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::string>> parse_json_pointer(std::string_view p) {
  std::vector<std::string> tokens;
  if (p.empty()) return tokens;
  if (p[0] != '/') return std::nullopt;
  p.remove_prefix(1);
  while (true) {
    const auto slash = p.find('/');
    const std::string_view raw = p.substr(0, slash);
    std::string tok;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        tok.push_back(raw[i]);
      } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        tok.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        return std::nullopt;
      }
    }
    tokens.push_back(std::move(tok));
    if (slash == std::string_view::npos) break;
    p.remove_prefix(slash + 1);
  }
  return tokens;
}

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer.append("~0");
    } else if (c == '/') {
      pointer.append("~1");
    } else {
      pointer.push_back(c);
    }
  }
}

}  // namespace mcpw::schema
