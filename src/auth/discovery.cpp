#include "auth/discovery.h"

namespace mcpw::auth {
namespace {

constexpr std::string_view PRM_SUFFIX = "/.well-known/oauth-protected-resource";
constexpr std::string_view OAUTH_SUFFIX = "/.well-known/oauth-authorization-server";
constexpr std::string_view OIDC_SUFFIX = "/.well-known/openid-configuration";

Result<Url> parse_http_url(std::string_view text) {
  auto url = parse_url(text);
  if (!url) return url.take_error();
  if ((url->scheme != "https" && url->scheme != "http") || !url->has_authority || url->host.empty()) {
    return Error(URL_INVALID, "invalid URL: not an http(s) URL with a host");
  }
  return url;
}

std::string trim_trailing_slash(std::string path) {
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

Result<std::vector<std::string>> build_protected_resource_metadata_urls(std::string_view resource_url) {
  auto url = parse_http_url(resource_url);
  if (!url) return url.take_error();
  std::string origin = url_origin(*url);
  std::string path = trim_trailing_slash(url->path);
  std::string query = url->query ? "?" + *url->query : "";
  std::vector<std::string> out;
  out.push_back(origin + std::string(PRM_SUFFIX) + path + query);
  if (!path.empty()) out.push_back(origin + std::string(PRM_SUFFIX));
  return out;
}

Result<std::vector<MetadataCandidate>> build_authorization_server_metadata_urls(std::string_view issuer) {
  auto url = parse_http_url(issuer);
  if (!url) return url.take_error();
  std::string origin = url_origin(*url);
  std::string path = trim_trailing_slash(url->path);
  std::vector<MetadataCandidate> out;
  if (path.empty()) {
    out.push_back({origin + std::string(OAUTH_SUFFIX), MetadataKind::oauth});
    out.push_back({origin + std::string(OIDC_SUFFIX), MetadataKind::openid});
  } else {
    out.push_back({origin + std::string(OAUTH_SUFFIX) + path, MetadataKind::oauth});
    out.push_back({origin + std::string(OIDC_SUFFIX) + path, MetadataKind::openid});
    out.push_back({origin + path + std::string(OIDC_SUFFIX), MetadataKind::openid});
  }
  return out;
}

Result<std::string> build_authorization_base_url(std::string_view server_url) {
  auto url = parse_http_url(server_url);
  if (!url) return url.take_error();
  return url_origin(*url);
}

Result<FallbackEndpoints> build_fallback_endpoints(std::string_view server_url) {
  auto base = build_authorization_base_url(server_url);
  if (!base) return base.take_error();
  FallbackEndpoints f;
  f.issuer = *base;
  f.authorization_endpoint = *base + "/authorize";
  f.token_endpoint = *base + "/token";
  f.registration_endpoint = *base + "/register";
  return f;
}

bool is_secure_endpoint(std::string_view text) {
  auto url = parse_url(text);
  if (!url || !url->has_authority || url->host.empty() || url->fragment) return false;
  if (url->scheme == "https") return true;
  return url->scheme == "http" && is_loopback_host(url->host);
}

bool resource_covers(std::string_view resource, std::string_view server_url) {
  auto r = parse_http_url(resource);
  auto s = parse_http_url(server_url);
  if (!r || !s) return false;
  auto effective_port = [](const Url& u) {
    if (!u.port.empty()) return u.port;
    return std::string(u.scheme == "https" ? "443" : "80");
  };
  if (r->scheme != s->scheme || r->host != s->host || effective_port(*r) != effective_port(*s)) return false;
  std::string rp = trim_trailing_slash(r->path);
  std::string sp = trim_trailing_slash(s->path);
  if (rp.empty()) return true;
  if (sp.size() < rp.size() || sp.compare(0, rp.size(), rp) != 0) return false;
  return sp.size() == rp.size() || sp[rp.size()] == '/';
}

}  // namespace mcpw::auth
