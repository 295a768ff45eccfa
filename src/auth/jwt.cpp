#include "auth/jwt.h"

#include "auth/errors.h"
#include "support/base64.h"
#include "support/json.h"
#include "support/sha256.h"
#include "support/url.h"

namespace mcpw::auth {

std::string build_client_assertion_input(std::string_view client_id, std::string_view audience, std::uint64_t now_ms,
                                         std::string_view jti_random, std::string_view alg, std::string_view key_id) {
  json header = {{"alg", std::string(alg)}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = std::string(key_id);
  std::uint64_t now_s = now_ms / 1000;
  json payload = {{"iss", std::string(client_id)},
                  {"sub", std::string(client_id)},
                  {"aud", std::string(audience)},
                  {"iat", now_s},
                  {"exp", now_s + 300},
                  {"jti", base64url_encode(jti_random)}};
  return base64url_encode(dump_json(header)) + "." + base64url_encode(dump_json(payload));
}

Result<std::string> finish_jwt(std::string_view signing_input, std::string_view raw_signature, std::string_view alg) {
  if (alg == "ES256" && raw_signature.size() != 64) {
    return Error(INVALID_CONFIG,
                 "an ES256 signature must be 64 bytes (r||s), got " + std::to_string(raw_signature.size()));
  }
  if (raw_signature.empty()) return Error(INVALID_CONFIG, "empty JWT signature");
  return std::string(signing_input) + "." + base64url_encode(raw_signature);
}

std::string compute_ath(std::string_view access_token) {
  auto digest = sha256(access_token);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<std::string> dpop_htu(std::string_view url) {
  auto u = parse_url(url);
  if (!u || !u->has_authority) return Error(INVALID_CONFIG, "DPoP: the request URL is not absolute");
  u->query.reset();
  u->fragment.reset();
  return to_string(*u);
}

Result<std::string> build_dpop_proof_input(std::string_view public_jwk_json, std::string_view alg,
                                           std::string_view method, std::string_view url, std::uint64_t now_ms,
                                           std::string_view jti_random, std::string_view nonce,
                                           std::string_view access_token) {
  auto jwk = parse_json(public_jwk_json, JsonLimits{16 * 1024, 4, 4096});
  if (!jwk || !jwk->is_object() || !find_string(*jwk, "kty")) {
    return Error(INVALID_CONFIG, "DPoP: the public key is not a JWK object");
  }
  if (find_member(*jwk, "d")) return Error(INVALID_CONFIG, "DPoP: the JWK holds a private key");
  auto htu = dpop_htu(url);
  if (!htu) return htu.take_error();
  json header = {{"typ", "dpop+jwt"}, {"alg", std::string(alg)}, {"jwk", *jwk}};
  json payload = {
      {"jti", base64url_encode(jti_random)}, {"htm", std::string(method)}, {"htu", *htu}, {"iat", now_ms / 1000}};
  if (!nonce.empty()) payload["nonce"] = std::string(nonce);
  if (!access_token.empty()) payload["ath"] = compute_ath(access_token);
  return base64url_encode(dump_json(header)) + "." + base64url_encode(dump_json(payload));
}

}  // namespace mcpw::auth
