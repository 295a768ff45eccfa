// libFuzzer target: the header and URL parsers the transport and auth read
// server-controlled text with: WWW-Authenticate (src/auth/www_authenticate.h),
// Retry-After, Content-Type media types and same-origin resolution of a
// server's pointer (src/transport/http.h), absolute URLs, percent- and form
// encoding (src/support/url.h).
// Properties: parsing twice gives the same result; the Bearer convenience
// agrees with parse + find; Retry-After is a wait that only shrinks as time
// passes; a resolved pointer always keeps the base's origin; a parsed URL
// recomposes to text that parses to the same components; encodings decode
// back to their input.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/www_authenticate.h"
#include "fuzz/fuzz_util.h"
#include "support/url.h"
#include "transport/http.h"

using namespace mcpw;

namespace {

bool same(const auth::Challenge& a, const auth::Challenge& b) {
  return a.scheme == b.scheme && a.token68 == b.token68 && a.params == b.params;
}

bool same(const std::optional<auth::BearerChallenge>& a, const std::optional<auth::BearerChallenge>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->resource_metadata == b->resource_metadata && a->scope == b->scope && a->error == b->error &&
         a->error_description == b->error_description;
}

bool same(const Url& a, const Url& b) {
  return a.scheme == b.scheme && a.has_authority == b.has_authority && a.userinfo == b.userinfo && a.host == b.host &&
         a.port == b.port && a.path == b.path && a.query == b.query && a.fragment == b.fragment;
}

void www_authenticate(std::string_view v) {
  auth::ChallengeLimits limits;
  limits.max_challenges = 8;
  limits.max_params = 16;
  auto a = auth::parse_www_authenticate(v, limits);
  auto b = auth::parse_www_authenticate(v, limits);
  MCPW_FUZZ_CHECK(a.ok() == b.ok(), "WWW-Authenticate verdict differs between two parses");
  if (!a.ok()) {
    MCPW_FUZZ_CHECK(a.error().is(auth::CHALLENGE_INVALID), "WWW-Authenticate error id");
    return;
  }
  MCPW_FUZZ_CHECK(a->size() == b->size() && a->size() <= limits.max_challenges, "challenge count");
  for (std::size_t i = 0; i < a->size(); ++i) {
    MCPW_FUZZ_CHECK(same((*a)[i], (*b)[i]), "challenge differs between two parses");
    MCPW_FUZZ_CHECK(!(*a)[i].scheme.empty(), "a challenge without a scheme");
    MCPW_FUZZ_CHECK((*a)[i].params.size() <= limits.max_params, "param count");
    for (const auto& [name, value] : (*a)[i].params) {
      for (char c : name) MCPW_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), "param names are lower-cased");
      (void)value;
    }
  }
  MCPW_FUZZ_CHECK(same(auth::find_bearer_challenge(*a), auth::find_bearer_challenge(*b)), "bearer differs");
  if (v.size() <= auth::ChallengeLimits{}.max_bytes) {
    auto full = auth::parse_www_authenticate(v);
    if (full.ok()) {
      MCPW_FUZZ_CHECK(same(auth::parse_bearer_challenge(v), auth::find_bearer_challenge(*full)),
                      "parse_bearer_challenge disagrees with parse + find");
    }
  }
}

void retry_after(std::string_view v) {
  constexpr std::uint64_t now = 1'764'000'000'000;  // Nov 2025
  auto a = transport::parse_retry_after(v, now);
  MCPW_FUZZ_CHECK(a == transport::parse_retry_after(v, now), "Retry-After differs between two parses");
  auto later = transport::parse_retry_after(v, now + 5000);
  MCPW_FUZZ_CHECK(a.has_value() == later.has_value(), "Retry-After validity depends on the time");
  if (a) MCPW_FUZZ_CHECK(*later <= *a, "a Retry-After wait grew as time passed");
}

void media(std::string_view v) {
  const std::string m = transport::media_type(v);
  MCPW_FUZZ_CHECK(m == transport::media_type(v), "media type differs between two parses");
  MCPW_FUZZ_CHECK(transport::media_type(m) == m, "media_type is not idempotent");
}

void url(std::string_view v) {
  auto a = parse_url(v);
  auto b = parse_url(v);
  MCPW_FUZZ_CHECK(a.ok() == b.ok(), "URL verdict differs between two parses");
  if (!a.ok()) return;
  MCPW_FUZZ_CHECK(same(*a, *b), "URL differs between two parses");
  const std::string text = to_string(*a);
  auto c = parse_url(text);
  MCPW_FUZZ_CHECK(c.ok(), "a recomposed URL does not parse");
  MCPW_FUZZ_CHECK(same(*a, *c), "a recomposed URL parses to other components");
  MCPW_FUZZ_CHECK(url_origin(*a) == url_origin(*c), "origin changed");
}

void same_origin(std::string_view base, std::string_view ref) {
  auto r = transport::resolve_same_origin(base, ref);
  MCPW_FUZZ_CHECK(r == transport::resolve_same_origin(base, ref), "resolution differs between two calls");
  if (!r) return;
  auto b = parse_url(base);
  auto u = parse_url(*r);
  MCPW_FUZZ_CHECK(b.ok() && u.ok(), "a resolved pointer does not parse");
  MCPW_FUZZ_CHECK(url_origin(*b) == url_origin(*u), "a pointer resolved to another origin");
  // (userinfo is not part of an origin, RFC 6454 §4; fetch refuses URLs
  // that carry it, so a pointer adding one fails rather than leaks.)
  // WHATWG URL parsers (the hosts' fetch) read "\" as "/" in http(s): text
  // with one could name another host there than it does here.
  MCPW_FUZZ_CHECK(r->find('\\') == std::string::npos || r->find('@') == std::string::npos,
                  "a resolved pointer with both a backslash and an @");
}

void encodings(std::string_view v) {
  MCPW_FUZZ_CHECK(percent_decode_component(percent_encode(v), false) == std::string(v), "percent round trip");
  MCPW_FUZZ_CHECK(percent_decode_component(form_encode(v), true) == std::string(v), "form encoding round trip");
  const auto half = v.size() / 2;
  std::vector<std::pair<std::string, std::string>> pairs{{std::string(v.substr(0, half)), std::string(v.substr(half))},
                                                         {"k", std::string(v)}};
  auto back = parse_form(build_form(pairs));
  MCPW_FUZZ_CHECK(back.has_value(), "a built form does not parse");
  // An empty first name with an empty value is "=" : still one pair.
  MCPW_FUZZ_CHECK(*back == pairs, "form round trip");
  auto d1 = percent_decode_component(v, true);
  MCPW_FUZZ_CHECK(d1 == percent_decode_component(v, true), "decode differs between two calls");
  auto f1 = parse_form(v);
  MCPW_FUZZ_CHECK(f1 == parse_form(v), "parse_form differs between two calls");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  www_authenticate(text);
  retry_after(text);
  media(text);
  url(text);
  encodings(text);
  // base <LF> ref: a server's pointer (Location, resource_metadata) against a base.
  const auto nl = text.find('\n');
  if (nl != std::string_view::npos) {
    same_origin(text.substr(0, nl), text.substr(nl + 1));
  } else {
    same_origin("https://api.example.com/v1/mcp", text);
  }
  return 0;
}
