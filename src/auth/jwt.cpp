#include "auth/jwt.h"

#include "auth/errors.h"
#include "support/base64.h"
#include "support/json.h"

namespace mcpw::auth {

std::string build_client_assertion_input(std::string_view client_id, std::string_view audience,
                                         std::uint64_t now_ms, std::string_view jti_random, std::string_view alg,
                                         std::string_view key_id) {
  json header = {{"alg", std::string(alg)}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = std::string(key_id);
  std::uint64_t now_s = now_ms / 1000;
  json payload = {{"iss", std::string(client_id)}, {"sub", std::string(client_id)}, {"aud", std::string(audience)},
                  {"iat", now_s},                  {"exp", now_s + 300},            {"jti", base64url_encode(jti_random)}};
  return base64url_encode(dump_json(header)) + "." + base64url_encode(dump_json(payload));
}

Result<std::string> finish_jwt(std::string_view signing_input, std::string_view raw_signature, std::string_view alg) {
  if (alg == "ES256" && raw_signature.size() != 64) {
    return Error(INVALID_CONFIG, "an ES256 signature must be 64 bytes (r||s), got " +
                                     std::to_string(raw_signature.size()));
  }
  if (raw_signature.empty()) return Error(INVALID_CONFIG, "empty JWT signature");
  return std::string(signing_input) + "." + base64url_encode(raw_signature);
}

}  // namespace mcpw::auth
