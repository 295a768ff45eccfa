#include "auth/metadata.h"

namespace mcpw::auth {
namespace {

Error invalid(const ErrorId& id, std::string_view doc, std::string_view why) {
  return Error(id, std::string(doc) + ": " + std::string(why));
}

// A member that must be a string when present. `bad` is set on a wrong type.
std::optional<std::string> optional_string(const json& obj, std::string_view key, bool& bad) {
  const json* m = find_member(obj, key);
  if (!m || m->is_null()) return std::nullopt;
  if (!m->is_string()) {
    bad = true;
    return std::nullopt;
  }
  return m->get_ref<const std::string&>();
}

// A member that must be an array of strings when present.
std::vector<std::string> string_array(const json& obj, std::string_view key, bool& bad) {
  std::vector<std::string> out;
  const json* m = find_member(obj, key);
  if (!m || m->is_null()) return out;
  if (!m->is_array()) {
    bad = true;
    return out;
  }
  for (const auto& v : *m) {
    if (!v.is_string()) {
      bad = true;
      return {};
    }
    out.push_back(v.get_ref<const std::string&>());
  }
  return out;
}

bool optional_bool(const json& obj, std::string_view key, bool& bad) {
  const json* m = find_member(obj, key);
  if (!m || m->is_null()) return false;
  if (!m->is_boolean()) {
    bad = true;
    return false;
  }
  return m->get<bool>();
}

Result<json> parse_object(std::string_view body, const ErrorId& id, std::string_view doc) {
  auto parsed = parse_json(body, METADATA_JSON_LIMITS);
  if (!parsed) return invalid(id, doc, "not JSON (" + std::string(parsed.error().id.id) + ")");
  if (!parsed->is_object()) return invalid(id, doc, "not a JSON object");
  return std::move(*parsed);
}

}  // namespace

Result<ProtectedResourceMetadata> parse_protected_resource_metadata(std::string_view body) {
  constexpr std::string_view DOC = "protected resource metadata";
  auto obj = parse_object(body, METADATA_INVALID, DOC);
  if (!obj) return obj.take_error();
  bool bad = false;
  ProtectedResourceMetadata m;
  auto resource = optional_string(*obj, "resource", bad);
  m.authorization_servers = string_array(*obj, "authorization_servers", bad);
  m.scopes_supported = string_array(*obj, "scopes_supported", bad);
  m.bearer_methods_supported = string_array(*obj, "bearer_methods_supported", bad);
  m.resource_name = optional_string(*obj, "resource_name", bad);
  if (bad) return invalid(METADATA_INVALID, DOC, "a member has the wrong type");
  if (!resource || resource->empty()) return invalid(METADATA_INVALID, DOC, "missing `resource`");
  m.resource = std::move(*resource);
  return m;
}

Result<AuthorizationServerMetadata> parse_authorization_server_metadata(std::string_view body) {
  constexpr std::string_view DOC = "authorization server metadata";
  auto obj = parse_object(body, METADATA_INVALID, DOC);
  if (!obj) return obj.take_error();
  bool bad = false;
  AuthorizationServerMetadata m;
  auto issuer = optional_string(*obj, "issuer", bad);
  auto authorization = optional_string(*obj, "authorization_endpoint", bad);
  auto token = optional_string(*obj, "token_endpoint", bad);
  m.registration_endpoint = optional_string(*obj, "registration_endpoint", bad);
  m.scopes_supported = string_array(*obj, "scopes_supported", bad);
  m.response_types_supported = string_array(*obj, "response_types_supported", bad);
  m.grant_types_supported = string_array(*obj, "grant_types_supported", bad);
  m.code_challenge_methods_supported = string_array(*obj, "code_challenge_methods_supported", bad);
  m.token_endpoint_auth_methods_supported = string_array(*obj, "token_endpoint_auth_methods_supported", bad);
  m.authorization_response_iss_parameter_supported =
      optional_bool(*obj, "authorization_response_iss_parameter_supported", bad);
  m.client_id_metadata_document_supported = optional_bool(*obj, "client_id_metadata_document_supported", bad);
  if (bad) return invalid(METADATA_INVALID, DOC, "a member has the wrong type");
  if (!issuer || issuer->empty()) return invalid(METADATA_INVALID, DOC, "missing `issuer`");
  if (!authorization || authorization->empty()) {
    return invalid(METADATA_INVALID, DOC, "missing `authorization_endpoint`");
  }
  if (!token || token->empty()) return invalid(METADATA_INVALID, DOC, "missing `token_endpoint`");
  m.issuer = std::move(*issuer);
  m.authorization_endpoint = std::move(*authorization);
  m.token_endpoint = std::move(*token);
  return m;
}

Result<ClientInformation> parse_registration_response(std::string_view body) {
  constexpr std::string_view DOC = "client registration response";
  auto obj = parse_object(body, METADATA_INVALID, DOC);
  if (!obj) return obj.take_error();
  bool bad = false;
  ClientInformation c;
  auto id = optional_string(*obj, "client_id", bad);
  c.client_secret = optional_string(*obj, "client_secret", bad);
  c.token_endpoint_auth_method = optional_string(*obj, "token_endpoint_auth_method", bad);
  const json* issued = find_member(*obj, "client_id_issued_at");
  if (issued && !issued->is_null()) {
    c.client_id_issued_at = find_integer(*obj, "client_id_issued_at");
    bad = bad || !c.client_id_issued_at;
  }
  const json* expires = find_member(*obj, "client_secret_expires_at");
  if (expires && !expires->is_null()) {
    c.client_secret_expires_at = find_integer(*obj, "client_secret_expires_at");
    bad = bad || !c.client_secret_expires_at;
  }
  if (bad) return invalid(METADATA_INVALID, DOC, "a member has the wrong type");
  if (!id || id->empty()) return invalid(METADATA_INVALID, DOC, "missing `client_id`");
  c.client_id = std::move(*id);
  return c;
}

std::optional<OAuthErrorResponse> parse_oauth_error(std::string_view body) {
  auto parsed = parse_json(body, METADATA_JSON_LIMITS);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  auto error = find_string(*parsed, "error");
  if (!error) return std::nullopt;
  OAuthErrorResponse e;
  e.error = std::string(*error);
  if (auto d = find_string(*parsed, "error_description")) e.error_description = std::string(*d);
  if (auto u = find_string(*parsed, "error_uri")) e.error_uri = std::string(*u);
  return e;
}

Result<TokenResponse> parse_token_response(std::string_view body) {
  constexpr std::string_view DOC = "token response";
  auto obj = parse_object(body, TOKEN_INVALID, DOC);
  if (!obj) return obj.take_error();
  bool bad = false;
  TokenResponse t;
  auto access = optional_string(*obj, "access_token", bad);
  auto type = optional_string(*obj, "token_type", bad);
  t.refresh_token = optional_string(*obj, "refresh_token", bad);
  t.scope = optional_string(*obj, "scope", bad);
  if (const json* e = find_member(*obj, "expires_in"); e && !e->is_null()) {
    if (auto n = find_integer(*obj, "expires_in")) {
      t.expires_in = *n;
    } else if (e->is_number_float() && e->get<double>() >= 0 && e->get<double>() < 1e15) {
      t.expires_in = static_cast<std::int64_t>(e->get<double>());
    } else if (e->is_string()) {
      const std::string& s = e->get_ref<const std::string&>();
      std::int64_t v = 0;
      bool digits = !s.empty() && s.size() <= 15;
      for (std::size_t i = 0; digits && i < s.size(); ++i) {  // at most 15 digits: no overflow
        if (s[i] < '0' || s[i] > '9') digits = false;
        else v = v * 10 + (s[i] - '0');
      }
      if (digits) t.expires_in = v;
      bad = bad || !digits;
    } else {
      bad = true;
    }
    if (t.expires_in && *t.expires_in < 0) bad = true;
  }
  if (bad) return invalid(TOKEN_INVALID, DOC, "a member has the wrong type");
  if (!access || access->empty()) return invalid(TOKEN_INVALID, DOC, "missing `access_token`");
  if (!type || type->empty()) return invalid(TOKEN_INVALID, DOC, "missing `token_type`");
  t.access_token = std::move(*access);
  t.token_type = std::move(*type);
  return t;
}

}  // namespace mcpw::auth
