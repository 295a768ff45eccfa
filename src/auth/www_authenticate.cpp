#include "auth/www_authenticate.h"

namespace mcpw::auth {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
  constexpr std::string_view SYMBOLS = "!#$%&'*+-.^_`|~";
  return is_alpha(c) || is_digit(c) || (c != '\0' && SYMBOLS.find(c) != std::string_view::npos);
}

// RFC 9110 §11.2 token68 characters (before the trailing '=' padding).
bool is_token68_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

Error fail(std::string_view why) { return Error(CHALLENGE_INVALID, "WWW-Authenticate: " + std::string(why)); }

class Parser {
 public:
  Parser(std::string_view text, const ChallengeLimits& limits) : s_(text), limits_(limits) {}

  Result<std::vector<Challenge>> run() {
    std::vector<Challenge> out;
    for (;;) {
      skip_list_separators();
      if (at_end()) break;
      if (out.size() >= limits_.max_challenges) return fail("too many challenges");
      Challenge c;
      std::string_view scheme = token();
      if (scheme.empty()) return fail("expected an auth-scheme");
      c.scheme = std::string(scheme);
      // The scheme is followed by 1*SP then a token68 or auth-params, or by
      // the end of this list element.
      std::size_t after_scheme = i_;
      skip_ows();
      if (at_end() || peek() == ',') {
        out.push_back(std::move(c));
        continue;
      }
      if (i_ == after_scheme) return fail("expected a space after the auth-scheme");
      if (auto t68 = try_token68()) {
        c.token68 = std::string(*t68);
        out.push_back(std::move(c));
        continue;
      }
      Status params = parse_params(c);
      if (!params) return params.take_error();
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }
  void skip_ows() {
    while (!at_end() && is_ows(peek())) ++i_;
  }
  void skip_list_separators() {
    while (!at_end() && (is_ows(peek()) || peek() == ',')) ++i_;
  }
  std::string_view token() {
    std::size_t start = i_;
    while (!at_end() && is_tchar(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }

  // A token68 is the whole credentials part: it must be followed by OWS and
  // then the end or a comma. "realm=x" is not one (it continues past '=').
  std::optional<std::string_view> try_token68() {
    std::size_t start = i_;
    std::size_t j = i_;
    while (j < s_.size() && is_token68_char(s_[j])) ++j;
    if (j == start) return std::nullopt;
    while (j < s_.size() && s_[j] == '=') ++j;
    std::size_t end = j;
    while (j < s_.size() && is_ows(s_[j])) ++j;
    if (j < s_.size() && s_[j] != ',') return std::nullopt;
    i_ = j;
    return s_.substr(start, end - start);
  }

  Result<std::string> quoted_string() {
    ++i_;  // opening DQUOTE
    std::string out;
    while (!at_end()) {
      char c = peek();
      auto u = static_cast<unsigned char>(c);
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c == '\\') {
        ++i_;
        if (at_end()) break;
        auto q = static_cast<unsigned char>(peek());
        if (!(q == '\t' || q == ' ' || (q >= 0x21 && q != 0x7f))) return fail("bad quoted-pair");
        out += peek();
        ++i_;
        continue;
      }
      if (!(c == '\t' || c == ' ' || (u >= 0x21 && u != 0x7f))) return fail("control character in quoted-string");
      out += c;
      ++i_;
    }
    return fail("unterminated quoted-string");
  }

  Status parse_params(Challenge& c) {
    for (;;) {
      if (c.params.size() >= limits_.max_params) return fail("too many auth-params");
      std::string_view name = token();
      if (name.empty()) return fail("expected an auth-param name");
      skip_ows();  // BWS
      if (at_end() || peek() != '=') return fail("expected '=' after an auth-param name");
      ++i_;
      skip_ows();  // BWS
      std::string value;
      if (!at_end() && peek() == '"') {
        auto q = quoted_string();
        if (!q) return q.take_error();
        value = std::move(*q);
      } else {
        std::string_view v = token();
        if (v.empty()) return fail("expected an auth-param value");
        value = std::string(v);
      }
      std::string lname(name);
      for (char& ch : lname) ch = lower(ch);
      bool seen = false;
      for (const auto& p : c.params) seen = seen || p.first == lname;
      if (!seen) c.params.emplace_back(std::move(lname), std::move(value));
      skip_ows();
      if (at_end()) return {};
      if (peek() != ',') return fail("expected ',' between auth-params");
      skip_list_separators();
      if (at_end()) return {};
      // Another auth-param of this challenge is `token BWS "="`; anything
      // else starts the next challenge.
      std::size_t mark = i_;
      std::string_view next = token();
      skip_ows();
      bool is_param = !next.empty() && !at_end() && peek() == '=';
      i_ = mark;
      if (!is_param) return {};
    }
  }

  std::string_view s_;
  const ChallengeLimits& limits_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<std::string_view> Challenge::param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

Result<std::vector<Challenge>> parse_www_authenticate(std::string_view value, const ChallengeLimits& limits) {
  if (value.size() > limits.max_bytes) return fail("header too long");
  return Parser(value, limits).run();
}

std::optional<BearerChallenge> find_bearer_challenge(const std::vector<Challenge>& challenges) {
  // Bearer first; a DPoP challenge (RFC 9449 §7.1) carries the same fields.
  for (std::string_view want : {"bearer", "dpop"}) {
    for (const auto& c : challenges) {
      std::string s = c.scheme;
      for (char& ch : s) ch = lower(ch);
      if (s != want) continue;
      BearerChallenge b;
      auto copy = [&](std::string_view name, std::optional<std::string>& into) {
        if (auto v = c.param(name)) into = std::string(*v);
      };
      copy("resource_metadata", b.resource_metadata);
      copy("scope", b.scope);
      copy("error", b.error);
      copy("error_description", b.error_description);
      return b;
    }
  }
  return std::nullopt;
}

std::optional<BearerChallenge> parse_bearer_challenge(std::string_view value) {
  auto parsed = parse_www_authenticate(value);
  if (!parsed) return std::nullopt;
  return find_bearer_challenge(*parsed);
}

}  // namespace mcpw::auth
