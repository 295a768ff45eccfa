#pragma once
// Stable error ids of the auth module (never renamed once released). Every
// message built with them is free of secrets: no access or refresh token,
// client secret, authorization code or PKCE verifier ever appears in one
// (the flow machine also redacts every known secret before emitting).
//
//  auth.challenge_invalid    WWW-Authenticate is not RFC 9110 §11.6.1 syntax
//  auth.metadata_invalid     a metadata/DCR document is malformed or misses
//                            a required member (RFC 9728 §2, RFC 8414 §2,
//                            RFC 7591 §3.2.1)
//  auth.metadata_not_found   no metadata at any discovery URL
//  auth.resource_mismatch    protected-resource metadata names another
//                            resource than the server (RFC 9728 §3.3)
//  auth.issuer_mismatch      AS metadata `issuer` differs from the one used to
//                            find it (RFC 8414 §3.3), or the callback's `iss`
//                            differs from it (RFC 9207 §2.4)
//  auth.insecure_endpoint    an OAuth endpoint over plain http that is not
//                            loopback (OAuth 2.1 §1.5)
//  auth.pkce_unsupported     the AS does not advertise S256 (MCP 2025-11-25
//                            authorization#authorization-code-protection)
//  auth.registration_failed  Dynamic Client Registration refused (RFC 7591 §3.2.2)
//  auth.no_client_identity   no pre-registered client, no CIMD, no DCR
//  auth.state_mismatch       the callback's `state` is not ours (RFC 6749 §10.12)
//  auth.authorization_denied the callback carries `error` (RFC 6749 §4.1.2.1)
//  auth.callback_invalid     the callback URL is malformed or lacks `code`
//  auth.token_error          the token endpoint answered an error (RFC 6749 §5.2)
//  auth.token_invalid        a token response is malformed (RFC 6749 §5.1)
//  auth.network              network errors / 5xx persisted after retries
//  auth.unauthorized         the server keeps refusing the credentials
//  auth.insufficient_scope   403 insufficient_scope after 3 step-ups (RFC 6750 §3.1)
//  auth.redirect_cancelled   the host reported the sign-in was abandoned
//  auth.invalid_config       the caller's configuration is unusable
//  auth.unexpected_input     a handle_* call the machine was not waiting for

#include "support/error.h"

namespace mcpw::auth {

inline constexpr ErrorId CHALLENGE_INVALID{"auth.challenge_invalid", ErrorKind::remote};
inline constexpr ErrorId METADATA_INVALID{"auth.metadata_invalid", ErrorKind::remote};
inline constexpr ErrorId METADATA_NOT_FOUND{"auth.metadata_not_found", ErrorKind::remote};
inline constexpr ErrorId RESOURCE_MISMATCH{"auth.resource_mismatch", ErrorKind::remote};
inline constexpr ErrorId ISSUER_MISMATCH{"auth.issuer_mismatch", ErrorKind::remote};
inline constexpr ErrorId INSECURE_ENDPOINT{"auth.insecure_endpoint", ErrorKind::remote};
inline constexpr ErrorId PKCE_UNSUPPORTED{"auth.pkce_unsupported", ErrorKind::remote};
inline constexpr ErrorId REGISTRATION_FAILED{"auth.registration_failed", ErrorKind::remote};
inline constexpr ErrorId NO_CLIENT_IDENTITY{"auth.no_client_identity", ErrorKind::remote};
inline constexpr ErrorId STATE_MISMATCH{"auth.state_mismatch", ErrorKind::remote};
inline constexpr ErrorId AUTHORIZATION_DENIED{"auth.authorization_denied", ErrorKind::remote};
inline constexpr ErrorId CALLBACK_INVALID{"auth.callback_invalid", ErrorKind::remote};
inline constexpr ErrorId TOKEN_ERROR{"auth.token_error", ErrorKind::remote};
inline constexpr ErrorId TOKEN_INVALID{"auth.token_invalid", ErrorKind::remote};
inline constexpr ErrorId NETWORK{"auth.network", ErrorKind::remote};
inline constexpr ErrorId UNAUTHORIZED{"auth.unauthorized", ErrorKind::remote};
inline constexpr ErrorId INSUFFICIENT_SCOPE{"auth.insufficient_scope", ErrorKind::remote};
inline constexpr ErrorId REDIRECT_CANCELLED{"auth.redirect_cancelled", ErrorKind::local};
inline constexpr ErrorId INVALID_CONFIG{"auth.invalid_config", ErrorKind::local};
inline constexpr ErrorId UNEXPECTED_INPUT{"auth.unexpected_input", ErrorKind::local};

}  // namespace mcpw::auth
