// libFuzzer target: the OAuth documents (src/auth/metadata.h): RFC 9728
// protected-resource metadata, RFC 8414 authorization server metadata, RFC
// 7591 registration responses, RFC 6749 token and error responses.
// Properties: any body gives a value or a typed error (the module's ids,
// never a crash); parsing twice gives the same value; a parsed document has
// its required members (non-empty), a token's lifetime is never negative;
// an error message never quotes the body (tokens and secrets stay out of
// errors: issue 8, security).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/metadata.h"
#include "fuzz/fuzz_util.h"

using namespace mcpw;
using namespace mcpw::auth;

namespace {

// Fixed error texts use only these characters; a message holding a body
// string with any other character quoted the body.
bool could_be_fixed_text(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || c == ' ' || c == '`' || c == '(' || c == ')' || c == '.' || c == '_' ||
                    c == ':';
    if (!ok) return false;
  }
  return true;
}

void collect_strings(const json& v, std::vector<std::string>& out, int depth) {
  if (depth > 8 || out.size() > 64) return;
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() >= 6 && !could_be_fixed_text(s)) out.push_back(s);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key().size() >= 6 && !could_be_fixed_text(it.key())) out.push_back(it.key());
      collect_strings(it.value(), out, depth + 1);
    }
  } else if (v.is_array()) {
    for (const auto& e : v) collect_strings(e, out, depth + 1);
  }
}

void check_error(const Error& e, const ErrorId& id, const std::vector<std::string>& body_strings) {
  MCPW_FUZZ_CHECK(e.is(id), "unexpected error id");
  for (const std::string& s : body_strings) MCPW_FUZZ_CHECK(e.message.find(s) == std::string::npos, "an error quotes the body");
}

bool same(const ProtectedResourceMetadata& a, const ProtectedResourceMetadata& b) {
  return a.resource == b.resource && a.authorization_servers == b.authorization_servers &&
         a.scopes_supported == b.scopes_supported && a.bearer_methods_supported == b.bearer_methods_supported &&
         a.resource_name == b.resource_name;
}
bool same(const AuthorizationServerMetadata& a, const AuthorizationServerMetadata& b) {
  return a.issuer == b.issuer && a.authorization_endpoint == b.authorization_endpoint &&
         a.token_endpoint == b.token_endpoint && a.registration_endpoint == b.registration_endpoint &&
         a.scopes_supported == b.scopes_supported && a.response_types_supported == b.response_types_supported &&
         a.grant_types_supported == b.grant_types_supported &&
         a.code_challenge_methods_supported == b.code_challenge_methods_supported &&
         a.token_endpoint_auth_methods_supported == b.token_endpoint_auth_methods_supported &&
         a.authorization_response_iss_parameter_supported == b.authorization_response_iss_parameter_supported &&
         a.client_id_metadata_document_supported == b.client_id_metadata_document_supported;
}
bool same(const ClientInformation& a, const ClientInformation& b) {
  return a.client_id == b.client_id && a.client_secret == b.client_secret &&
         a.client_id_issued_at == b.client_id_issued_at && a.client_secret_expires_at == b.client_secret_expires_at &&
         a.token_endpoint_auth_method == b.token_endpoint_auth_method;
}
bool same(const TokenResponse& a, const TokenResponse& b) {
  return a.access_token == b.access_token && a.token_type == b.token_type && a.expires_in == b.expires_in &&
         a.refresh_token == b.refresh_token && a.scope == b.scope;
}
bool same(const std::optional<OAuthErrorResponse>& a, const std::optional<OAuthErrorResponse>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->error == b->error && a->error_description == b->error_description && a->error_uri == b->error_uri);
}

template <class T, class F>
void twice(std::string_view body, F parse, const ErrorId& id, const std::vector<std::string>& strings,
           void (*check)(const T&)) {
  Result<T> a = parse(body);
  Result<T> b = parse(body);
  MCPW_FUZZ_CHECK(a.ok() == b.ok(), "verdict differs between two parses");
  if (!a.ok()) {
    check_error(a.error(), id, strings);
    MCPW_FUZZ_CHECK(a.error().message == b.error().message, "error differs between two parses");
    return;
  }
  MCPW_FUZZ_CHECK(same(*a, *b), "value differs between two parses");
  check(*a);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> strings;
  if (auto doc = parse_json(body, METADATA_JSON_LIMITS); doc.ok()) collect_strings(*doc, strings, 0);

  twice<ProtectedResourceMetadata>(body, parse_protected_resource_metadata, METADATA_INVALID, strings,
                                   [](const ProtectedResourceMetadata& m) {
                                     MCPW_FUZZ_CHECK(!m.resource.empty(), "resource is required");
                                   });
  twice<AuthorizationServerMetadata>(body, parse_authorization_server_metadata, METADATA_INVALID, strings,
                                     [](const AuthorizationServerMetadata& m) {
                                       MCPW_FUZZ_CHECK(!m.issuer.empty() && !m.authorization_endpoint.empty() &&
                                                           !m.token_endpoint.empty(),
                                                       "issuer and endpoints are required");
                                     });
  twice<ClientInformation>(body, parse_registration_response, METADATA_INVALID, strings,
                           [](const ClientInformation& c) { MCPW_FUZZ_CHECK(!c.client_id.empty(), "client_id is required"); });
  twice<TokenResponse>(body, parse_token_response, TOKEN_INVALID, strings, [](const TokenResponse& t) {
    MCPW_FUZZ_CHECK(!t.access_token.empty() && !t.token_type.empty(), "access_token and token_type are required");
    MCPW_FUZZ_CHECK(!t.expires_in || *t.expires_in >= 0, "a negative lifetime");
  });
  const auto e1 = parse_oauth_error(body);
  MCPW_FUZZ_CHECK(same(e1, parse_oauth_error(body)), "error response differs between two parses");
  return 0;
}
