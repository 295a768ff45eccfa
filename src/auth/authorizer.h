#pragma once
// The authorization machine of one MCP server connection (MCP 2025-11-25 and
// 2026-07-28 basic/authorization), sans-I/O: it never performs I/O, reads a
// clock or draws randomness. The session drives it:
//
//   before a request   ensure(now)          true: headers_for(url) authorizes it;
//                                            false: a flow runs, wait for poll_outcome()
//   on a 401           handle_unauthorized(www_authenticate, now)   then wait
//   on a 403           handle_forbidden(www_authenticate, now)      true: wait
//   on a success       note_success()       resets the 401/403 loop guards
//
// While a flow runs the machine emits effects (poll_effect): HTTP requests
// to perform (the answer comes back whole via handle_response, or as
// handle_network_error), a URL the user must open (the redirect back comes via
// handle_redirect), values to store or load (handle_loaded), random bytes it
// needs (handle_random), and, for a static token with a getter, a request for
// a fresh token (handle_static_token). Retries wait for next_deadline() and
// handle_timeout(now). Every flow ends with exactly one poll_outcome().
//
// Flow rules (all transitions are in authorizer*.cpp):
//   static credentials: no flow ever runs; a 401 asks the getter once, else
//     auth.unauthorized.
//   ensure without a token: load the stored record (keyed by server URL, it
//     names its issuer); valid -> ready; refreshable -> refresh; else sign in.
//   sign in: protected-resource metadata (challenge URL, path-based, root),
//     resource check, AS metadata (RFC 8414 inserted, OIDC inserted, OIDC
//     appended; 2025-03-26 origin fallbacks only when no PRM exists; 2026:
//     another `issuer` makes a document unusable), S256 required, https or
//     loopback endpoints only, client identity (pre-registered for this
//     issuer, stored per issuer, CIMD, DCR), then per grant:
//       authorization_code: PKCE + state, open URL, callback (state, iss),
//         code exchange;
//       client_credentials: secret (basic/post) or host-signed private_key_jwt;
//       jwt_bearer: the configured assertion;
//       enterprise: token exchange at the IdP, then jwt_bearer with the ID-JAG;
//     then store.
//   401 with a refresh token: refresh once, then sign in again. Refresh
//     invalid_grant: re-read storage (another tab may have rotated it), else
//     wipe and sign in. Network errors, 5xx, 429 and temporarily_unavailable
//     are retried with backoff; when retries run out the flow fails with
//     auth.network but tokens are kept (and a still-unexpired token is used).
//   403 insufficient_scope: sign in again with the union of scopes, at most
//     max_step_ups times until a success.
//   One flow at a time: calls during a flow join it (single flight). With
//     use_locks, refresh and sign-in also run under a lock shared across tabs,
//     re-reading storage once it is held (a token another tab got is adopted,
//     never the one the server just refused).
//   DPoP (dpop_key_id set): every token request carries a host-signed proof
//     (re-signed on retry; once more with the AS nonce on use_dpop_nonce); a
//     DPoP-bound token is never sent by headers_for(): each request to the
//     server takes begin_request_proof() -> SignJwt -> handle_proof_signature
//     -> poll_proof(); a 401 `DPoP error="use_dpop_nonce"` (after
//     note_resource_nonce) settles at once so the request goes again.
//   Every error message passes through redaction of every known secret.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/discovery.h"
#include "auth/errors.h"
#include "auth/metadata.h"
#include "auth/requests.h"
#include "auth/www_authenticate.h"
#include "support/result.h"
#include "transport/http.h"

namespace mcpw::auth {

/// API-key mode (Duvo's scripts and CI): OAuth discovery never runs.
struct StaticCredentials {
  std::optional<std::string> bearer;  // sent as `Authorization: Bearer <bearer>`
  transport::Headers headers;         // sent as they are
  /// The host has a getter: on 401 the machine asks once for a new token.
  bool refreshable = false;
};

/// How this client signs in with OAuth.
struct OAuthSettings {
  std::string redirect_uri;
  std::optional<ClientCredentials> pre_registered;
  /// The issuer the pre-registered client belongs to; empty: any issuer.
  /// Another issuer never sees it (SPEC.md "never present one AS's client id
  /// to another").
  std::string pre_registered_issuer;
  /// An https URL (with a path) hosting this client's metadata document;
  /// used as client_id when the AS supports CIMD.
  std::string client_metadata_url;
  /// Sent on Dynamic Client Registration; redirect_uris and application_type
  /// default from redirect_uri when empty.
  ClientMetadata client_metadata;
  /// Ask for offline_access when the AS lists it (refresh tokens).
  bool want_refresh = true;
  /// MCP 2025-11-25: refuse an AS whose metadata does not list S256.
  bool require_s256_metadata = true;
  /// authorization_code: a person signs in. client_credentials: a service
  /// signs in as itself with `pre_registered` (extension
  /// io.modelcontextprotocol/oauth-client-credentials, SEP-1046).
  /// jwt_bearer: RFC 7523 §2.1 with `assertion` (workload identity,
  /// SEP-1933). enterprise: RFC 8693 token exchange of `id_token` at the IdP
  /// for an ID-JAG, then that ID-JAG as jwt_bearer assertion at the AS
  /// (enterprise-managed authorization, SEP-990).
  enum class Grant : unsigned char { authorization_code, client_credentials, jwt_bearer, enterprise };
  Grant grant = Grant::authorization_code;
  std::string assertion;                        // jwt_bearer: the workload JWT
  std::string id_token;                         // enterprise: the user's ID token from the IdP
  std::string idp_token_endpoint;               // enterprise: where the exchange happens
  std::optional<ClientCredentials> idp_client;  // enterprise: this client at the IdP
  /// private_key_jwt (RFC 7523 §2.2) for client_credentials: the host signs
  /// with the key it knows by this id (SignJwt effect). Empty: not used.
  std::string signing_key_id;
  std::string signing_alg = "ES256";
  /// DPoP (RFC 9449): token requests and every request to the server carry a
  /// proof signed by the host with this key (SignJwt); its PUBLIC JWK (JSON
  /// text) goes in each proof. Empty key id: plain bearer tokens.
  std::string dpop_key_id;
  std::string dpop_public_jwk;
  std::string dpop_alg = "ES256";
  /// At least 16 random bytes from the host at creation: proof `jti`s are
  /// derived from them and a counter (RFC 9449 §4.2 needs them unique),
  /// which keeps proofs free of a random-bytes round trip.
  std::string dpop_seed;
};

/// Everything the machine needs up front.
struct AuthConfig {
  std::string server_url;  // the MCP endpoint (the protected resource)
  /// "2025-11-25" or "2026-07-28": 2026 makes a metadata `issuer` that differs
  /// from the URL it was found by unusable.
  std::string protocol_version = "2025-11-25";
  std::optional<StaticCredentials> static_credentials;
  OAuthSettings oauth;
  std::string storage_prefix = "mcpw.oauth.v1";
  std::uint64_t refresh_skew_ms = 60'000;  // refresh this long before expiry
  int max_step_ups = 3;
  int max_unauthorized = 3;  // consecutive 401s before giving up
  int max_retries = 3;
  std::uint64_t retry_base_ms = 500;  // doubled per retry
  std::size_t max_body_bytes = 1u << 20;
  /// Refresh and sign in only while holding a lock shared by every tab or
  /// isolate using the same storage, re-reading storage once it is held: one
  /// refresh and one interactive sign-in at a time across all of them.
  bool use_locks = false;
  /// Exchange ids start here, so they never collide with the session's.
  transport::ExchangeId first_exchange = transport::ExchangeId{1} << 40;
};

/// Open this URL in a browser, popup or headless redirect reader; give the
/// URL the authorization server redirects to back through handle_redirect.
struct OpenUrl {
  std::string url;
};
/// Persist `value` under `key` (nullopt: delete it). Fire and forget.
struct StoreValue {
  std::string key;
  std::optional<std::string> value;
};
/// Read `key`; answer with handle_loaded.
struct LoadValue {
  std::string key;
};
/// Draw this many cryptographically random bytes; answer with handle_random.
struct NeedRandom {
  std::size_t bytes = 0;
};
/// Call the host's token getter again; answer with handle_static_token.
struct NeedStaticToken {};
/// Sign `signing_input` (ASCII) with the key `key_id` (WebCrypto in the host,
/// e.g. ECDSA P-256 SHA-256 for ES256); answer with handle_signature and the
/// raw signature (r||s for ES256, RFC 7518 §3.4).
struct SignJwt {
  std::string key_id;
  std::string alg;
  std::string signing_input;
  /// 0: answer with handle_signature. Otherwise a request proof: answer with
  /// handle_proof_signature(proof, ...).
  std::uint64_t proof = 0;
};

/// Take the exclusive lock `key` (e.g. Web Locks `navigator.locks.request`,
/// a Durable Object); answer with handle_lock_acquired once held. Only
/// emitted when AuthConfig::use_locks is set.
struct AcquireLock {
  std::string key;
};
/// Release a lock taken through AcquireLock.
struct ReleaseLock {
  std::string key;
};

using Effect = std::variant<transport::HttpRequest, OpenUrl, StoreValue, LoadValue, NeedRandom, NeedStaticToken,
                            SignJwt, AcquireLock, ReleaseLock>;

/// The stored storage record of one server's tokens (its JSON is the value).
struct TokenRecord {
  std::string issuer;
  std::string token_endpoint;
  ClientCredentials client;
  std::optional<std::string> resource;
  std::string access_token;
  std::optional<std::string> refresh_token;
  std::optional<std::uint64_t> expires_at_ms;
  std::uint64_t obtained_at_ms = 0;
  std::string scope;
  bool dpop = false;  // token_type DPoP (RFC 9449 §5): sent with the DPoP scheme and a proof
  std::string dpop_jwk;  // the public key a DPoP token is bound to (RFC 9449 §6)
};

/// The headers of one request to the server under DPoP (RFC 9449 §7.1).
struct RequestProof {
  std::uint64_t proof = 0;
  transport::Headers headers;  // Authorization: DPoP <token>, DPoP: <proof>
};

class Authorizer {
 public:
  explicit Authorizer(AuthConfig config);

  /// True when a request can go out now with headers_for(); otherwise starts
  /// (or joins) a flow, refreshing before expiry, and returns false.
  bool ensure(std::uint64_t now_ms);
  /// RFC 6750 §3.1 / RFC 9728 §5.1: the server refused the credentials.
  /// Always ends in an outcome.
  void handle_unauthorized(std::string_view www_authenticate, std::uint64_t now_ms);
  /// RFC 6750 §3.1 insufficient_scope: true when a step-up flow started (or an
  /// outcome is queued); false when the 403 is not about scopes.
  bool handle_forbidden(std::string_view www_authenticate, std::uint64_t now_ms);
  /// A request with the current credentials succeeded.
  void note_success();
  /// The headers that authorize a request to `url`: empty unless the URL is on
  /// the protected resource's origin (bearer tokens go nowhere else).
  transport::Headers headers_for(std::string_view url) const;

  /// A whole response to an emitted request.
  void handle_response(transport::ExchangeId ex, const transport::HttpResponseHead& head, std::string_view body,
                       std::uint64_t now_ms);
  /// The same, streamed as the session receives it: head, body chunks, end.
  /// A body over max_body_bytes fails the flow at once (the host may abort).
  void handle_response_head(transport::ExchangeId ex, const transport::HttpResponseHead& head, std::uint64_t now_ms);
  void handle_body(transport::ExchangeId ex, std::string_view bytes, std::uint64_t now_ms);
  void handle_body_end(transport::ExchangeId ex, std::uint64_t now_ms);
  void handle_network_error(transport::ExchangeId ex, std::string_view message, std::uint64_t now_ms);
  void handle_redirect(std::string_view callback_url, std::uint64_t now_ms);
  void handle_redirect_cancelled(std::uint64_t now_ms);
  void handle_loaded(std::string_view key, std::optional<std::string_view> value, std::uint64_t now_ms);
  void handle_random(std::string_view bytes, std::uint64_t now_ms);
  void handle_static_token(std::optional<std::string> token, std::uint64_t now_ms);
  void handle_signature(std::string_view raw_signature, std::uint64_t now_ms);
  void handle_lock_acquired(std::string_view key, std::uint64_t now_ms);

  /// DPoP (RFC 9449 §7.1): when true, every request to the server needs
  /// begin_request_proof() first and goes out with the RequestProof headers
  /// (headers_for() then gives nothing for it).
  bool uses_dpop() const { return !config_.oauth.dpop_key_id.empty() && tokens_ && tokens_->dpop; }
  /// Starts a proof for one request (htm, htu, ath of the current token, the
  /// server's last nonce); emits a SignJwt with `proof` set. 0 when no proof
  /// can be made (no DPoP token).
  std::uint64_t begin_request_proof(std::string_view method, std::string_view url, std::uint64_t now_ms);
  void handle_proof_signature(std::uint64_t proof, std::string_view raw_signature, std::uint64_t now_ms);
  std::optional<RequestProof> poll_proof();
  /// RFC 9449 §9: the DPoP-Nonce header of a server answer (used in later proofs).
  void note_resource_nonce(std::string_view nonce);
  void handle_timeout(std::uint64_t now_ms);

  std::optional<Effect> poll_effect();
  std::optional<Status> poll_outcome();
  std::optional<std::uint64_t> next_deadline() const;

  bool busy() const { return step_ != Step::idle; }
  bool is_static() const { return config_.static_credentials.has_value(); }
  const std::optional<TokenRecord>& tokens() const { return tokens_; }
  /// The storage key of this server's token record.
  std::string tokens_key() const;
  /// The lock key of this server's credentials (use_locks).
  std::string lock_key() const;
  /// The storage key of the client registered at `issuer`.
  std::string client_key(std::string_view issuer) const;

 private:
  enum class Step : unsigned char {
    idle,
    load_tokens,
    prm,
    as_metadata,
    load_client,
    register_client,
    random,
    redirect,
    code_exchange,
    refresh,
    reload_tokens,
    static_token,
    assertion_random,
    sign,
    lock,
    locked_reload,
    token_exchange,
  };
  enum class Next : unsigned char { refresh, sign_in };

  // authorizer.cpp: lifecycle, effects, storage, retries, outcomes.
  bool token_valid(std::uint64_t now_ms) const;
  void start_load_tokens();
  void start_refresh(std::uint64_t now_ms);
  bool lock_first(Next next);
  void on_locked_reload(std::optional<std::string_view> value, std::uint64_t now_ms);
  void release_lock();
  void send(transport::HttpRequest request);
  void send_token(transport::HttpRequest request);
  void sign_token_request(bool fresh);
  void on_token_proof_signature(std::string_view raw_signature);
  std::string next_jti();
  bool retry_later(std::uint64_t now_ms);
  void end_flow();
  void succeed();
  void fail(Error error);
  void redact(std::string& text) const;
  void forget_tokens();
  std::string describe_oauth_error(std::string_view body) const;
  void store_tokens();
  void wipe_tokens();
  void dispatch(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);
  void on_tokens_loaded(std::optional<std::string_view> value, std::uint64_t now_ms);
  void on_reloaded(std::optional<std::string_view> value, std::uint64_t now_ms);
  void on_token_response(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);
  void accept_tokens(TokenResponse response, std::uint64_t now_ms);

  // authorizer_flow.cpp: discovery, client identity, authorization.
  void start_sign_in(std::uint64_t now_ms);
  void next_prm(std::uint64_t now_ms);
  void on_prm(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);
  void start_as_discovery(std::string issuer, bool legacy, std::uint64_t now_ms);
  void next_as(std::uint64_t now_ms);
  void on_as(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);
  void use_metadata(AuthorizationServerMetadata metadata, std::uint64_t now_ms);
  void start_client_identity(std::uint64_t now_ms);
  void on_client_loaded(std::optional<std::string_view> value, std::uint64_t now_ms);
  void register_client(std::uint64_t now_ms);
  void on_registered(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);
  void start_authorize(std::uint64_t now_ms);
  void on_random(std::string_view bytes, std::uint64_t now_ms);

  // authorizer_grants.cpp: client credentials (basic, post, private_key_jwt).
  void start_client_credentials(std::uint64_t now_ms);
  void on_assertion_random(std::string_view bytes, std::uint64_t now_ms);
  void send_client_credentials(const std::optional<std::string>& assertion);
  void send_jwt_bearer(const std::string& assertion);
  void start_token_exchange();
  void on_token_exchange(const transport::HttpResponseHead& head, std::string_view body, std::uint64_t now_ms);

  AuthConfig config_;
  Step step_ = Step::idle;
  bool loaded_ = false;  // the stored record has been read once
  std::optional<TokenRecord> tokens_;

  // Discovery results, kept across flows (step-up reuses them).
  std::optional<BearerChallenge> challenge_;
  std::vector<std::string> prm_candidates_;
  std::size_t prm_index_ = 0;
  std::optional<ProtectedResourceMetadata> prm_;
  std::optional<std::string> resource_;  // RFC 8707 value, exactly as the PRM gives it
  std::string issuer_;                   // the AS identifier the metadata URLs were built from
  bool legacy_ = false;                  // no PRM: 2025-03-26 rules
  std::vector<MetadataCandidate> as_candidates_;
  std::size_t as_index_ = 0;
  bool issuer_mismatch_seen_ = false;
  std::optional<AuthorizationServerMetadata> as_;
  std::optional<ClientCredentials> client_;
  std::optional<std::string> scope_override_;  // step-up union

  // The authorization in progress.
  std::string state_;
  std::string verifier_;
  std::string code_;
  std::string requested_scope_;
  std::string signing_input_;                 // of the client assertion being signed
  std::string assertion_;                     // a signed client assertion (a secret)
  std::vector<std::string> retired_secrets_;  // dropped tokens, still masked in errors
  std::string refused_access_;                // the access token the server last refused
  bool lock_held_ = false;
  // DPoP.
  std::uint64_t now_ = 0;                               // the time of the latest input (for proof `iat`)
  std::optional<transport::HttpRequest> dpop_pending_;  // a token request waiting for its proof
  std::string dpop_input_;
  bool dpop_fresh_ = true;
  transport::HttpRequest unsigned_token_request_;  // to sign again on retry or nonce
  bool nonce_retried_ = false;
  std::string as_nonce_;
  std::string rs_nonce_;
  std::uint64_t jti_counter_ = 0;
  std::uint64_t next_proof_ = 1;
  std::map<std::uint64_t, std::pair<std::string, std::string>> proofs_pending_;  // id -> (input, token)
  std::deque<RequestProof> proofs_ready_;
  Next locked_next_ = Next::refresh;
  std::optional<std::string> refresh_used_;  // the refresh token of the last refresh
  bool reloaded_once_ = false;

  // Loop guards.
  int unauthorized_count_ = 0;
  int step_ups_ = 0;
  bool refreshed_after_401_ = false;
  bool static_asked_ = false;

  // The exchange in flight, and its retry.
  std::optional<transport::ExchangeId> exchange_;
  transport::HttpRequest last_request_;
  std::optional<transport::HttpResponseHead> streamed_head_;  // of exchange_, while its body streams in
  std::string streamed_body_;
  int retries_ = 0;
  std::optional<std::uint64_t> retry_at_;
  std::string pending_load_;
  transport::ExchangeId next_exchange_;

  std::deque<Effect> effects_;
  std::deque<Status> outcomes_;
};

/// The storage value of a token record (JSON text).
std::string dump_token_record(const TokenRecord& record);
/// Parses a stored token record; nullopt when it is not one.
std::optional<TokenRecord> parse_token_record(std::string_view text);
/// The same, but a DPoP-bound record whose key is not `dpop_jwk` (the key
/// this client signs with now) is no record: its tokens are useless here.
std::optional<TokenRecord> parse_token_record_for(std::string_view text, std::string_view dpop_jwk);

}  // namespace mcpw::auth
