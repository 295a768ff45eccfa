#pragma once
// JWT client assertions for private_key_jwt (RFC 7523 §2.2 / §3, RFC 7515
// compact serialisation). The core builds the signing input; the host signs it
// (WebCrypto ECDSA P-256 / SHA-256) and hands back the raw r||s signature
// (RFC 7518 §3.4), so no private key ever enters the Wasm module.

#include <cstdint>
#include <string>
#include <string_view>

#include "support/result.h"

namespace mcpw::auth {

/// RFC 7523 §3 claims of a client assertion: iss = sub = client_id, aud = the
/// authorization server's issuer, iat/exp (5 minutes) from now_ms, jti from
/// the random bytes. Returns BASE64URL(header) "." BASE64URL(payload).
std::string build_client_assertion_input(std::string_view client_id, std::string_view audience, std::uint64_t now_ms,
                                         std::string_view jti_random, std::string_view alg = "ES256",
                                         std::string_view key_id = {});

/// RFC 7515 §7.1: signing input "." BASE64URL(signature). An ES256 signature
/// must be 64 bytes (r||s); anything else is auth.invalid_config.
Result<std::string> finish_jwt(std::string_view signing_input, std::string_view raw_signature,
                               std::string_view alg = "ES256");

/// RFC 9449 §4.2 `ath`: BASE64URL(SHA-256(access token)).
std::string compute_ath(std::string_view access_token);

/// RFC 9449 §4.2 `htu`: the request URL without query and fragment.
Result<std::string> dpop_htu(std::string_view url);

/// RFC 9449 §4.2 DPoP proof signing input: header {typ "dpop+jwt", alg, jwk}
/// (the PUBLIC key as JSON text; a JWK with a private member `d` is
/// auth.invalid_config), payload {jti, htm, htu, iat, nonce?, ath?}. The
/// host signs it as for a client assertion (SignJwt).
Result<std::string> build_dpop_proof_input(std::string_view public_jwk_json, std::string_view alg,
                                           std::string_view method, std::string_view url, std::uint64_t now_ms,
                                           std::string_view jti_random, std::string_view nonce = {},
                                           std::string_view access_token = {});

/// The RFC 7523 §2.2 client_assertion_type value.
inline constexpr std::string_view JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

}  // namespace mcpw::auth
