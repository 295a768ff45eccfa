#pragma once
// One MCP client session over Streamable HTTP, 2025 era, as a sans-I/O
// machine (spec: 2025-11-25 basic/transports#streamable-http and
// basic/lifecycle). The caller starts operations (connect, request, list_all,
// close, cancel), performs the HTTP requests the session emits, and feeds back
// response heads, body bytes, body ends, network errors and the time. Every
// operation settles exactly once, through poll_settled().
//
// State rules (all transitions live in session.cpp):
//   idle --connect--> initializing --initialize result + initialized sent--> ready
//   initializing --initialize failed--> failed
//   any --close--> closed (pending operations settle with client.closed)
// Requests made while initializing wait and are sent once ready. Requests in
// idle or failed settle at once with client.not_connected.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "auth/authorizer.h"
#include "protocol/jsonrpc.h"
#include "protocol/lifecycle.h"
#include "protocol/modern.h"
#include "schema/schema.h"
#include "schema/tape.h"
#include "support/json.h"
#include "transport/http.h"
#include "transport/message_reader.h"

namespace mcpw::client {

using json = protocol::json;  // document order kept (support/json.h)

inline constexpr ErrorId HTTP_STATUS{"http.status", ErrorKind::remote};
inline constexpr ErrorId TRANSPORT_NETWORK{"transport.network", ErrorKind::remote};
inline constexpr ErrorId TRANSPORT_STREAM_ENDED{"transport.stream_ended", ErrorKind::remote};
inline constexpr ErrorId RPC_ERROR{"rpc.error", ErrorKind::remote};
inline constexpr ErrorId CLIENT_TIMEOUT{"client.timeout", ErrorKind::remote};
inline constexpr ErrorId CLIENT_CLOSED{"client.closed", ErrorKind::local};
inline constexpr ErrorId CLIENT_NOT_CONNECTED{"client.not_connected", ErrorKind::local};
inline constexpr ErrorId CLIENT_CANCELLED{"client.cancelled", ErrorKind::local};
inline constexpr ErrorId SESSION_EXPIRED{"client.session_expired", ErrorKind::remote};
inline constexpr ErrorId LEGACY_ENDPOINT{"transport.legacy_endpoint", ErrorKind::remote};
// Response validation (session_validate.cpp). data: {method, tool?, errors: [{instanceLocation, keywordLocation, message}]}.
inline constexpr ErrorId VALIDATION_RESULT{"validation.result", ErrorKind::remote};
inline constexpr ErrorId VALIDATION_STRUCTURED{"validation.structured_content", ErrorKind::remote};
inline constexpr ErrorId VALIDATION_ARGUMENTS{"validation.arguments", ErrorKind::local};

/// Per-request options (spec: 2025-11-25 basic/utilities/progress).
struct RequestOptions {
  std::optional<std::uint64_t> timeout_ms;  // default: SessionConfig::request_timeout_ms
  /// With a `_meta.progressToken` in the params, each progress notification
  /// for it restarts the timeout, never past max_total_timeout_ms.
  bool reset_timeout_on_progress = true;
  std::optional<std::uint64_t> max_total_timeout_ms;  // default: SessionConfig's
  /// tools/call: check the arguments against the tool's inputSchema first
  /// (default: SessionConfig::validate_arguments).
  std::optional<bool> validate_arguments;
};

/// What a result that fails its shape, or a tool result that fails its
/// outputSchema, does: fail the operation, settle it anyway with a warning
/// (poll_warning), or go unchecked.
enum class Validation : unsigned char { strict, warn, off };

/// A request the server sent to the client, for the host to answer with
/// Session::respond (spec: 2025-11-25 client/roots, client/sampling, client/elicitation).
struct ServerRequest {
  std::uint64_t handle = 0;
  std::string method;
  json params;
};

/// Which protocol era to speak (spec: 2026-07-28 basic/lifecycle, version negotiation).
enum class Negotiation : unsigned char {
  only_2025,  // initialize handshake, identity.protocol_version offered
  modern,     // 2026-07-28 only: server/discover, stateless requests
  automatic,  // discover first; fall back to initialize when the server is older
};

/// Everything a session needs to know up front.
struct SessionConfig {
  Negotiation negotiation = Negotiation::only_2025;
  std::string url;
  transport::Headers headers;  // sent on every request (e.g. Authorization)
  protocol::ClientIdentity identity;
  std::uint64_t request_timeout_ms = 60'000;
  transport::BodyLimits body_limits;
  JsonLimits json_limits;
  std::size_t max_list_pages = 1000;
  std::uint64_t max_total_timeout_ms = 600'000;
  /// Resuming a dropped SSE stream (GET + Last-Event-ID): at most this many
  /// times per request; after the server's `retry`, else after a backoff from
  /// resume_base_delay_ms doubling, with jitter.
  unsigned max_resumes = 3;
  std::uint64_t resume_base_delay_ms = 1000;
  /// 429 on an idempotent request (lists, reads, gets, ping): retried after
  /// Retry-After when that wait is at most max_retry_wait_ms, at most
  /// max_rate_limit_retries times.
  unsigned max_rate_limit_retries = 2;
  std::uint64_t max_retry_wait_ms = 10'000;
  /// Open the GET stream for server-initiated messages once ready (spec:
  /// 2025-11-25 transports#listening-for-messages-from-the-server). Its
  /// failure is never fatal; a dropped stream reconnects, at most
  /// max_listen_reconnects times in a row without a successful answer.
  bool listen = true;
  unsigned max_listen_reconnects = 3;
  /// Try the HTTP+SSE transport of 2024-11-05 when the first initialize POST
  /// gets 400, 404 or 405 (never on 401/403/429/5xx or network errors).
  bool legacy_fallback = true;
  /// Record a structured trace of HTTP exchanges (poll_trace); credentials are
  /// always redacted and bodies are never included, only their sizes.
  bool trace = false;
  /// OAuth 2.1 (issue: authorization): when set, requests wait for the
  /// authorizer, carry its Authorization header, and 401/403 start its flows.
  std::optional<auth::AuthConfig> auth;
  /// Seeds the jitter (randomness is an input: the host draws it).
  std::uint64_t random_seed = 0x9e3779b97f4a7c15ULL;
  /// Each result checked against its method's shape for the negotiated
  /// revision (src/shapes), and tools/call's structuredContent against the
  /// listed tool's outputSchema (results with isError are not).
  Validation validation = Validation::strict;
  /// tools/call arguments checked against the listed tool's inputSchema
  /// before the request is sent (a failure settles with validation.arguments).
  bool validate_arguments = false;
  /// Server requests the host answers (e.g. "roots/list"); the rest get
  /// "method not found". `ping` is always answered by the session.
  std::set<std::string> handled_server_requests;
};

/// Identifies one operation the caller started.
using OpId = std::uint64_t;

/// An operation's outcome: the JSON-RPC result, or a typed error.
struct Settled {
  OpId op = 0;
  /// The result's DOM, or the error. A result read from its text (requests
  /// and lists, normally) is kept only as `text`, no DOM built: then `result`
  /// holds a discarded value.
  Result<json> result;
  /// The result as JSON text when the session has it (a list, a result
  /// validation wrote, one handed over as the server sent it), so the host
  /// need not serialise it again; else empty. When set, it is the result.
  std::string text;
};

/// A notification the server sent (progress, logging, list_changed, ...).
struct ServerNotification {
  std::string method;
  json params;
};

// ---- REST requests (issue 6; session_rest.cpp) ---------------------------
/// One plain HTTP request (not JSON-RPC), e.g. built from an OpenAPI
/// operation by src/flatten. `url` is absolute (http or https).
struct RestRequest {
  std::string method;  // a token, e.g. "GET"
  std::string url;
  transport::Headers headers;
  std::string body;
};
// ---- end REST ------------------------------------------------------------

class Session {
 public:
  explicit Session(SessionConfig config);

  /// Sends initialize; settles with the InitializeResult once initialized is sent.
  OpId connect(std::uint64_t now_ms);
  /// Sends one request; settles with its result. `params_text`, when given,
  /// is `params` as the host encoded it: sent as is while params are unchanged.
  OpId request(std::string method, json params, std::uint64_t now_ms, RequestOptions options = {},
               std::string params_text = {});
  /// Sends a paginated list request, following nextCursor (spec: 2025-11-25
  /// server/utilities/pagination); settles with the last page's result whose
  /// `items_key` array holds the items of every page.
  OpId list_all(std::string method, std::string items_key, json params, std::uint64_t now_ms);
  /// Ends the session (DELETE when the server gave a session id).
  OpId close(std::uint64_t now_ms);
  /// An operation that settles at once with `error` (e.g. bad arguments from a host).
  OpId reject(Error error);
  /// Stops waiting for `op`: it settles with client.cancelled and, for a
  /// request in flight, notifications/cancelled is sent.
  void cancel(OpId op, std::uint64_t now_ms);

  // ---- REST requests (issue 6; session_rest.cpp) -------------------------
  /// Sends `request` through the session's pipeline, in any state but closed
  /// (no connect needed). SessionConfig::headers and credentials (static
  /// bearer, OAuth token, DPoP proof) go ONLY to the MCP server's origin;
  /// from there a 401/403 runs the same authorization flow, then the request
  /// is sent once more. A 429 to GET, HEAD, PUT, DELETE or OPTIONS is retried
  /// after Retry-After within max_rate_limit_retries / max_retry_wait_ms.
  /// Settles with {status, headers: {lower-case name: value} (the heads the
  /// host passes, transport::RESPONSE_HEADERS), body: text (invalid UTF-8
  /// replaced), retryAfterMs?: on a 429} for EVERY HTTP status; errors are
  /// support.invalid_argument (bad method, URL or header), client.timeout,
  /// client.cancelled, client.closed, transport.network,
  /// support.limit_exceeded (body over BodyLimits), and auth.* when a flow fails.
  OpId rest(RestRequest request, std::uint64_t now_ms, RequestOptions options = {});
  // ---- end REST ----------------------------------------------------------

  void handle_response_head(transport::ExchangeId ex, const transport::HttpResponseHead& head, std::uint64_t now_ms);
  void handle_body(transport::ExchangeId ex, std::string_view bytes, std::uint64_t now_ms);
  void handle_body_end(transport::ExchangeId ex, std::uint64_t now_ms);
  void handle_network_error(transport::ExchangeId ex, std::string_view message, std::uint64_t now_ms);
  /// Settles every operation whose deadline is at or before now_ms.
  void handle_timeout(std::uint64_t now_ms);

  std::optional<transport::HttpRequest> poll_request();
  /// An exchange the host must abort (its answer is no longer wanted).
  std::optional<transport::ExchangeId> poll_abort();
  std::optional<Settled> poll_settled();
  std::optional<ServerNotification> poll_notification();
  /// An authorization effect for the host (open a URL, store or load a
  /// value, random bytes, a signature); its HTTP requests come through
  /// poll_request like the session's own.
  std::optional<auth::Effect> poll_auth_effect();
  void handle_auth_redirect(std::string_view callback_url, std::uint64_t now_ms);
  void handle_auth_redirect_cancelled(std::uint64_t now_ms);
  void handle_auth_loaded(std::string_view key, std::optional<std::string_view> value, std::uint64_t now_ms);
  void handle_auth_random(std::string_view bytes, std::uint64_t now_ms);
  void handle_auth_signature(std::string_view raw_signature, std::uint64_t now_ms);
  /// The host's token getter answered (nullopt: it has none).
  void handle_auth_static_token(std::optional<std::string> token, std::uint64_t now_ms);
  /// A signed DPoP proof for one request (SignJwt with proof != 0).
  void handle_auth_proof_signature(std::uint64_t proof, std::string_view raw_signature, std::uint64_t now_ms);
  void handle_auth_lock_acquired(std::string_view key, std::uint64_t now_ms);
  /// The connection state when it changed since the last call: "connecting",
  /// "ready", "reconnecting" (a lost session being replaced), "failed", "closed".
  std::optional<std::string> poll_state_change();
  /// A result that failed validation in Validation::warn mode:
  /// {code, message, method, tool?, errors}.
  std::optional<json> poll_warning();
  /// The next trace record (SessionConfig::trace), one JSON object.
  std::optional<json> poll_trace();
  /// A server request the host must answer with respond().
  std::optional<ServerRequest> poll_server_request();
  /// Answers a server request: a result, or an error (its data_json may carry
  /// {"code": n} for the JSON-RPC error code). Unknown handles are ignored.
  void respond(std::uint64_t handle, Result<json> result, std::uint64_t now_ms);
  /// The earliest deadline of a pending operation.
  std::optional<std::uint64_t> next_deadline() const;

  const std::string& protocol_version() const { return protocol_version_; }
  /// True once the session speaks the 2026-07-28 (stateless) protocol.
  bool is_modern() const { return modern_; }
  const std::string& session_id() const { return session_id_; }
  const json& server_info() const { return server_info_; }
  const json& server_capabilities() const { return server_capabilities_; }
  std::size_t pending_operations() const { return ops_.size(); }
  std::size_t open_exchanges() const { return exchanges_.size(); }
  /// List pages settled from the memo of an identical earlier page (session_memo.cpp).
  std::size_t list_memo_hits() const { return list_memo_hits_; }

 private:
  enum class State : unsigned char { idle, initializing, ready, failed, closed };
  enum class OpKind : unsigned char { connect, request, list_all, close };
  enum class Purpose : unsigned char { initialize, initialized, request, resume, listen, legacy_stream, reply, terminate };

  struct Op {
    OpKind kind = OpKind::request;
    std::string method;
    json params;
    json sent_params;  // of the latest attempt (a page's cursor included), unless sent_own_params
    bool sent_own_params = false;  // the latest attempt sent `params` itself
    std::string params_text;  // `params` as the host encoded them (empty: not given)
    const json& last_sent() const { return sent_own_params ? params : sent_params; }
    void note_sent(const json& p) {
      sent_own_params = &p == &params;
      if (!sent_own_params && &p != &sent_params) sent_params = p;
    }
    std::string items_key;
    std::string items_text;  // the items of the pages so far, as text joined by ','
    std::size_t pages = 0;
    std::set<std::string> cursors;
    std::uint64_t deadline = 0;
    std::uint64_t started = 0;
    std::uint64_t timeout_ms = 0;
    std::uint64_t max_total_ms = 0;
    bool reset_on_progress = false;
    std::string progress_key;  // dumped _meta.progressToken, when given
    std::optional<transport::ExchangeId> exchange;
    std::optional<std::int64_t> rpc_id;
    bool queued = false;  // waiting for the session to become ready
    bool internal = false;  // a re-initialization: never reported to the host
    bool replayed = false;  // already re-sent after a lost session
    unsigned resumes = 0;
    unsigned retries = 0;
    // MRTR (spec: 2026-07-28 basic/utilities/mrtr): answers being gathered.
    unsigned mrtr_rounds = 0;
    std::size_t mrtr_waiting = 0;
    json mrtr_responses;
    json mrtr_state;  // requestState as sent, or discarded when none
    bool parked = false;  // waiting for an authorization flow
    unsigned auth_retries = 0;
  };

  struct Exchange {
    Purpose purpose = Purpose::request;
    OpId op = 0;
    int status = 0;
    std::optional<transport::MessageReader> reader;
    std::string error_body;  // first bytes of a >= 400 answer
    std::string retry_after;
    bool had_session = false;  // the request carried Mcp-Session-Id
    std::size_t messages = 0;  // decoded on this exchange
  };

  struct PendingServerRequest {
    json id;
    std::string method;
    json params;
    OpId mrtr_op = 0;  // an input request of this operation, not a JSON-RPC request
    std::string mrtr_key;
  };

  enum class DelayedKind : unsigned char { resume, retry, listen };
  struct Delayed {
    DelayedKind kind;
    OpId op;
    std::string last_event_id;
  };

  OpId new_op(OpKind kind, std::uint64_t now_ms, const RequestOptions& options = {});
  transport::ExchangeId send(Purpose purpose, OpId op, std::string method, std::string body);
  void start_rpc(OpId id, Op& op, const json& params);
  void flush_queued();
  void send_cancelled(const Op& op, std::string_view reason);
  void on_message(transport::ExchangeId ex, std::string_view text, std::uint64_t now_ms);
  /// An answer parse_message decoded (those on_answer_text does not take).
  void on_answer(protocol::Message& m);
  /// The operation answered by JSON-RPC id `rpc_id`, now no longer waiting
  /// (nullptr: a duplicate, late or foreign answer).
  Op* take_answered(std::int64_t rpc_id, OpId& id);
  /// A result read by the tape scanner instead of into a DOM: the tape of
  /// `text`, and the result's node in it.
  struct ScannedResult {
    const schema::Tape* tape = nullptr;
    std::uint32_t node = 0;
    std::string_view text;
    bool whole_page = false;     // a one-page list's result as the server sent it (may be memoised)
    bool verdict_known = false;  // settled from the memo: checked and remembered before
    std::string_view result_text() const { return schema::container_text(text, tape->nodes[node]); }
  };
  /// The id and result node of a scanned {"jsonrpc":"2.0", "id": <integer>,
  /// "result": ...} with no method or error member; false for anything else.
  static bool answer_envelope(const schema::Tape& tape, std::int64_t& rpc_id, std::uint32_t& result);
  /// An answer to a request or a list page, read by the tape scanner (no
  /// DOM); false when the message is not one (then parse_message decides).
  bool on_answer_text(std::string_view text);
  void on_initialize_answer(OpId id, Result<json> answer);
  void start_discover(OpId id);
  void on_discover_answer(OpId id, Result<json> answer, int http_status);
  void start_initialize(OpId id, std::string version);
  void become_modern_ready(OpId id, json result);
  void open_subscriptions();
  bool on_input_required(OpId id, Op& op, const json& result);
  bool start_legacy(transport::ExchangeId ex);
  void on_legacy_events(transport::ExchangeId ex);
  void on_legacy_stream_end(transport::ExchangeId ex, Error error);
  bool is_auth_exchange(transport::ExchangeId ex) const;
  void trace_event(json record);
  bool auth_gate(OpId id, Op& op, const json& params);
  bool on_auth_status(transport::ExchangeId ex, const transport::HttpResponseHead& head);
  void drain_auth();
  void answer_input_request(PendingServerRequest req, Result<json> result);
  void on_list_page(OpId id, Op& op, const ScannedResult& page);
  /// A list page whose result came as a DOM: read again by the scanner.
  void on_list_page_text(OpId id, Op& op, std::string_view result_text);
  /// Modern tools/list: whether tool node `tool` is offered (its name and
  /// x-mcp-header annotations valid); remembers its headers.
  bool offer_tool(const ScannedResult& list, std::uint32_t tool);
  void on_server_request(const protocol::Message& m);
  void on_notification(protocol::Message m, std::uint64_t now_ms);
  json with_elicitation_defaults(const json& params, json result) const;
  void finish_exchange(transport::ExchangeId ex);
  void on_error_status(transport::ExchangeId ex, std::uint64_t now_ms);
  bool try_resume(transport::ExchangeId ex, std::uint64_t now_ms);
  bool try_rate_limit_retry(transport::ExchangeId ex, std::uint64_t now_ms);
  bool try_replay(transport::ExchangeId ex);
  void fire_delayed(std::uint64_t now_ms);
  std::uint64_t backoff_ms(unsigned attempt);
  void open_listen_stream(const std::string& last_event_id);
  void on_listen_end(transport::ExchangeId ex, std::uint64_t now_ms);
  void fail_exchange(transport::ExchangeId ex, Error error);
  /// `raw_text`: the result exactly as the server wrote it, when it is
  /// handed over unchanged (saves dumping the DOM again).
  /// `scanned`: the result as the tape scanner read it (answers to requests and
  /// list pages), checked from its tape.
  void settle(OpId id, Result<json> result, std::string_view raw_text = {}, const ScannedResult* scanned = nullptr);
  // Validation (session_validate.cpp).
  struct ToolSchema {
    std::string source;  // the schema's text as the server sent it (empty: none)
    std::shared_ptr<const schema::CompiledSchema> compiled;
    bool tried = false;
  };
  struct ToolSchemas {
    ToolSchema input, output;
    std::uint32_t listed = 0;  // the tools_generation_ of the latest list that named it
  };
  /// Checks a result read off `scanned` (or, when null, its DOM written into
  /// `text` and scanned); remembers a tools/list's tools.
  void check_result(const Op& op, Result<json>& result, std::string& text, const ScannedResult* scanned);
  std::optional<Error> check_arguments(const json& params);
  const schema::CompiledSchema* tool_schema(const std::string& tool, ToolSchema& s);
  void remember_tools(const ScannedResult& list, bool whole_list);

  SessionConfig config_;
  State state_ = State::idle;
  std::string protocol_version_;
  std::string session_id_;
  json server_info_;
  json server_capabilities_;
  json initialize_result_;

  OpId next_op_ = 1;
  transport::ExchangeId next_exchange_ = 1;
  std::int64_t next_rpc_id_ = 1;
  std::map<OpId, Op> ops_;
  std::map<transport::ExchangeId, Exchange> exchanges_;
  std::map<std::int64_t, OpId> pending_rpc_;
  std::map<std::string, OpId> progress_ops_;  // dumped progress token -> op

  std::uint64_t next_server_request_ = 1;
  std::map<std::uint64_t, PendingServerRequest> server_requests_;
  std::deque<ServerRequest> server_request_queue_;
  bool apply_elicitation_defaults_ = false;
  std::multimap<std::uint64_t, Delayed> delayed_;  // due time -> action
  unsigned listen_failures_ = 0;  // listen attempts in a row without a 200
  // A GET stream reopened by us: when, and the wait the server asked for
  // (its `retry`, else our default backoff).
  std::optional<std::uint64_t> listen_reopen_ms_;
  std::uint64_t listen_asked_ms_ = 0;
  unsigned listen_quick_ = 0;  // answered streams in a row that the server ended at once
  std::uint64_t rng_;

  std::deque<transport::HttpRequest> requests_;
  std::deque<transport::ExchangeId> aborts_;
  std::deque<Settled> settled_;
  std::deque<ServerNotification> notifications_;

  bool modern_ = false;
  unsigned discover_tries_ = 0;
  std::string offered_version_;  // the 2025 version initialize offers
  std::map<std::string, protocol::ToolHeaders> tool_headers_;  // modern: by tool name

  bool legacy_ = false;  // HTTP+SSE: POSTs to legacy_endpoint_, answers on one GET stream
  bool legacy_tried_ = false;
  std::string legacy_endpoint_;
  OpId legacy_op_ = 0;  // the connect operation waiting for the endpoint

  bool was_ready_ = false;
  std::string reported_state_;
  std::deque<json> trace_;
  std::map<std::string, ToolSchemas, std::less<>> tools_;  // from the latest tools/list, by name
  std::uint32_t tools_generation_ = 0;
  // The latest one-page list per method that was read whole and passed its
  // checks, as text (session_memo.cpp): the same bytes again skip the scan.
  struct ListMemo {
    std::string params;      // of the request it answered (no cursor)
    std::string result;      // the result's text
    std::size_t prefix = 0;  // the bytes before it in its message, and after it
    std::size_t suffix = 0;
  };
  std::map<std::string, ListMemo> list_memos_;  // by method
  std::size_t list_memo_hits_ = 0;
  bool answer_from_memo(std::string_view text);
  void memoize_list(const Op& op, const ScannedResult* page, bool clean);
  std::deque<json> warnings_;

  // ---- REST requests (issue 6; session_rest.cpp) -------------------------
  struct RestCall {
    RestRequest request;
    bool same_origin = false;  // credentials and auth flows only then
    int status = 0;
    transport::Headers headers;
    std::string body;
    std::string retry_after;
  };
  std::map<OpId, RestCall> rest_;
  void start_rest(OpId id, Op& op);
  bool on_rest_head(transport::ExchangeId ex, const transport::HttpResponseHead& head);
  bool on_rest_body(transport::ExchangeId ex, std::string_view bytes);
  bool on_rest_end(transport::ExchangeId ex, std::uint64_t now_ms);
  // ---- end REST ----------------------------------------------------------

  std::optional<auth::Authorizer> auth_;
  std::deque<auth::Effect> auth_effects_;
  std::map<std::uint64_t, transport::HttpRequest> awaiting_proof_;  // DPoP: proof id -> request
  std::uint64_t now_ = 0;  // the latest time an input brought
  bool draining_auth_ = false;
  bool auth_active_ = false;  // the server has challenged: the authorizer gates requests
};

}  // namespace mcpw::client
