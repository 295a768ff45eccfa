#include "support/url.h"

#include <cstdint>

#include "support/hex.h"

namespace mcpw {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// RFC 3986 §2: unreserved, reserved (gen-delims and sub-delims) and '%'.
bool is_uri_char(char c) {
  constexpr std::string_view RESERVED_AND_PERCENT = ":/?#[]@!$&'()*+,;=%";
  return is_unreserved(c) || (c != '\0' && RESERVED_AND_PERCENT.find(c) != std::string_view::npos);
}

Error invalid(std::string_view why) { return Error(URL_INVALID, "invalid URL: " + std::string(why)); }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

constexpr char HEX[] = "0123456789ABCDEF";

}  // namespace

Result<Url> parse_url(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_uri_char(text[i])) return invalid("character not allowed");
    if (text[i] == '%' && (i + 2 >= text.size() || !is_hex_digit(text[i + 1]) || !is_hex_digit(text[i + 2]))) {
      return invalid("bad percent escape");
    }
  }
  Url url;
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(text[0])) return invalid("no scheme");
  for (std::size_t i = 1; i < colon; ++i) {
    char c = text[i];
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return invalid("bad scheme");
  }
  url.scheme = lowered(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);

  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    url.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    url.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  if (rest.substr(0, 2) == "//") {
    url.has_authority = true;
    rest.remove_prefix(2);
    std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      url.userinfo = std::string(authority.substr(0, at));
      authority.remove_prefix(at + 1);
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
      std::size_t close = authority.find(']');
      if (close == std::string_view::npos) return invalid("unterminated IP literal");
      host = authority.substr(0, close + 1);
      std::string_view after = authority.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return invalid("junk after IP literal");
        port = after.substr(1);
      }
    } else {
      std::size_t pc = authority.find(':');
      if (pc != std::string_view::npos) {
        host = authority.substr(0, pc);
        port = authority.substr(pc + 1);
      }
      if (host.find_first_of("[]") != std::string_view::npos) return invalid("bad host");
    }
    if (port.size() > 5) return invalid("bad port");
    std::uint32_t value = 0;
    for (char c : port) {
      if (!is_digit(c)) return invalid("bad port");
      value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value > 65535) return invalid("bad port");
    url.host = lowered(host);
    url.port = std::string(port);
  }
  url.path = std::string(rest);
  return url;
}

std::string to_string(const Url& url) {
  std::string out = url.scheme + ":";
  if (url.has_authority) {
    out += "//";
    if (!url.userinfo.empty()) out += url.userinfo + "@";
    out += url.host;
    if (!url.port.empty()) out += ":" + url.port;
  }
  out += url.path;
  if (url.query) out += "?" + *url.query;
  if (url.fragment) out += "#" + *url.fragment;
  return out;
}

std::string url_origin(const Url& url) {
  std::string out = url.scheme + "://" + url.host;
  if (!url.port.empty()) out += ":" + url.port;
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  constexpr std::string_view LOCALHOST_SUFFIX = ".localhost";
  if (host.size() > LOCALHOST_SUFFIX.size() && host.substr(host.size() - LOCALHOST_SUFFIX.size()) == LOCALHOST_SUFFIX) {
    return true;  // RFC 6761 §6.3
  }
  // 127.0.0.0/8 as a dotted quad.
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0;
  std::size_t digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0 || digits > 3) return false;
      ++dots;
      digits = 0;
    } else if (is_digit(c)) {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0 && digits <= 3;
}

std::string percent_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += HEX[u >> 4];
      out += HEX[u & 15];
    }
  }
  return out;
}

std::string form_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (is_alpha(c) || is_digit(c) || c == '*' || c == '-' || c == '.' || c == '_') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += HEX[u >> 4];
      out += HEX[u & 15];
    }
  }
  return out;
}

std::string build_form(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += form_encode(name);
    out += '=';
    out += form_encode(value);
  }
  return out;
}

std::optional<std::string> percent_decode_component(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      if (!is_hex_digit(text[i + 1]) || !is_hex_digit(text[i + 2])) return std::nullopt;
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    std::size_t amp = text.find('&');
    std::string_view part = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (part.empty()) continue;
    std::size_t eq = part.find('=');
    auto name = percent_decode_component(part.substr(0, eq), true);
    auto value =
        percent_decode_component(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace mcpw
