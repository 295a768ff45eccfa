#pragma once
// A scripted Duvo-like protected resource + authorization server: RFC 9728
// metadata at /.well-known/oauth-protected-resource/v2/mcp, RFC 8414
// metadata, RFC 7591 registration, an authorization endpoint that redirects
// at once (as the conformance servers do), and a token endpoint that checks
// PKCE, redirect_uri, resource and client authentication.

#include <map>
#include <set>
#include <string>

#include "auth/requests.h"
#include "harness.h"
#include "support/base64.h"

namespace mcpw::auth::testing {

struct FakeAs {
  std::string server_url = "https://api.duvo.ai/v2/mcp";
  std::string resource = "https://api.duvo.ai/v2/mcp";
  std::string issuer = "https://auth.duvo.ai";
  std::string prm_url = "https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp";
  std::string as_metadata_url = "https://auth.duvo.ai/.well-known/oauth-authorization-server";
  std::string redirect_uri = "http://localhost:3000/callback";
  json prm = json::object();
  json metadata = json::object();
  bool send_iss = true;
  bool rotate_refresh = true;
  std::int64_t expires_in = 3600;
  std::string granted_scope;  // empty: echo nothing
  // Observations.
  int registrations = 0;
  int tokens_issued = 0;
  std::vector<std::string> authorize_urls;
  std::vector<std::string> token_bodies;
  std::string expected_client_id;      // set by registration or by the test
  std::string expected_client_secret;  // empty: public client
  std::string expected_auth = "none";  // none | client_secret_basic | client_secret_post
  // Token endpoint state.
  std::map<std::string, std::string> codes;  // code -> S256 challenge
  std::set<std::string> live_refresh;
  std::optional<Reply> token_override;  // answer every token request with this
  int token_failures_left = 0;          // answer 503 this many times first

  FakeAs() {
    prm = {{"resource", resource}, {"authorization_servers", {issuer}}, {"scopes_supported", {"runs:read", "runs:write"}}};
    metadata = {{"issuer", issuer},
                {"authorization_endpoint", issuer + "/authorize"},
                {"token_endpoint", issuer + "/token"},
                {"registration_endpoint", issuer + "/register"},
                {"scopes_supported", {"runs:read", "runs:write", "offline_access"}},
                {"response_types_supported", {"code"}},
                {"code_challenge_methods_supported", {"S256"}},
                {"token_endpoint_auth_methods_supported", {"none", "client_secret_basic", "client_secret_post"}},
                {"authorization_response_iss_parameter_supported", true}};
  }

  AuthConfig config() const {
    AuthConfig c;
    c.server_url = server_url;
    c.oauth.redirect_uri = redirect_uri;
    return c;
  }

  std::string issue_tokens() {
    ++tokens_issued;
    std::string n = std::to_string(tokens_issued);
    json t = {{"access_token", "at-" + n}, {"token_type", "Bearer"}, {"expires_in", expires_in},
              {"refresh_token", "rt-" + n}};
    if (!granted_scope.empty()) t["scope"] = granted_scope;
    live_refresh.insert("rt-" + n);
    return dump_json(t);
  }

  bool client_authenticated(const transport::HttpRequest& req) const {
    auto basic = transport::find_header(req.headers, "authorization");
    if (expected_auth == "client_secret_basic") {
      std::string pair = form_encode(expected_client_id) + ":" + form_encode(expected_client_secret);
      return basic && *basic == "Basic " + base64_std_encode(pair) && form_param(req.body, "client_id") == "<absent>";
    }
    if (basic) return false;
    if (form_param(req.body, "client_id") != expected_client_id) return false;
    if (expected_auth == "client_secret_post") return form_param(req.body, "client_secret") == expected_client_secret;
    return form_param(req.body, "client_secret") == "<absent>";
  }

  Reply token(const transport::HttpRequest& req) {
    token_bodies.push_back(req.body);
    if (token_failures_left > 0) {
      --token_failures_left;
      return json_reply(503, "{}");
    }
    if (token_override) return *token_override;
    if (!client_authenticated(req)) return json_reply(401, R"({"error":"invalid_client"})");
    std::string grant = form_param(req.body, "grant_type");
    if (grant == "authorization_code") {
      auto it = codes.find(form_param(req.body, "code"));
      if (it == codes.end()) return json_reply(400, R"({"error":"invalid_grant"})");
      if (compute_s256_challenge(form_param(req.body, "code_verifier")) != it->second) {
        return json_reply(400, R"({"error":"invalid_grant","error_description":"PKCE"})");
      }
      if (form_param(req.body, "redirect_uri") != redirect_uri) return json_reply(400, R"({"error":"invalid_grant"})");
      if (form_param(req.body, "resource") != resource) return json_reply(400, R"({"error":"invalid_target"})");
      codes.erase(it);  // single use
      return json_reply(200, issue_tokens());
    }
    if (grant == "refresh_token") {
      std::string rt = form_param(req.body, "refresh_token");
      if (!live_refresh.count(rt)) return json_reply(400, R"({"error":"invalid_grant"})");
      if (form_param(req.body, "resource") != resource) return json_reply(400, R"({"error":"invalid_target"})");
      if (rotate_refresh) live_refresh.erase(rt);
      return json_reply(200, issue_tokens());
    }
    return json_reply(400, R"({"error":"unsupported_grant_type"})");
  }

  Reply registration(const transport::HttpRequest& req) {
    auto body = parse_json(req.body);
    if (!body || !body->is_object()) return json_reply(400, R"({"error":"invalid_client_metadata"})");
    ++registrations;
    expected_client_id = "dcr-client-" + std::to_string(registrations);
    json out = *body;
    out["client_id"] = expected_client_id;
    out["client_id_issued_at"] = 1700000000;
    if (!expected_client_secret.empty()) out["client_secret"] = expected_client_secret;
    return json_reply(201, dump_json(out));
  }

  /// The user agent: the authorization endpoint answers 302 at once.
  std::optional<std::string> authorize(const std::string& url) {
    authorize_urls.push_back(url);
    std::string code = "code-" + std::to_string(authorize_urls.size());
    codes[code] = query_param(url, "code_challenge");
    std::string cb = query_param(url, "redirect_uri") + "?code=" + code + "&state=" +
                     percent_encode(query_param(url, "state"));
    if (send_iss) cb += "&iss=" + percent_encode(metadata.value("issuer", std::string()));
    return cb;
  }

  void install(Host& h) {
    h.routes.push_back([this](const transport::HttpRequest& r) -> std::optional<Reply> {
      if (r.method == "GET" && r.url == prm_url) return json_reply(200, dump_json(prm));
      if (r.method == "GET" && r.url == as_metadata_url) return json_reply(200, dump_json(metadata));
      if (r.method == "POST" && r.url == metadata.value("registration_endpoint", std::string("-"))) {
        return registration(r);
      }
      if (r.method == "POST" && r.url == metadata.value("token_endpoint", std::string("-"))) return token(r);
      return std::nullopt;
    });
    h.browser = [this](const std::string& url) { return authorize(url); };
  }
};

}  // namespace mcpw::auth::testing
