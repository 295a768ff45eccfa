#include "client/session.h"

#include <algorithm>
#include <utility>

namespace mcpw::client {

using transport::ExchangeId;
using transport::HttpResponseHead;

namespace {

constexpr std::size_t MAX_ERROR_BODY = 4096;

// Takes the oldest queued output, if any.
template <class T>
std::optional<T> pop_front(std::deque<T>& q) {
  if (q.empty()) return std::nullopt;
  T v = std::move(q.front());
  q.pop_front();
  return v;
}

}  // namespace

Session::Session(SessionConfig config) : config_(std::move(config)), rng_(config_.random_seed | 1) {
  if (config_.auth) auth_.emplace(*config_.auth);
  // spec: 2025-11-25 client/elicitation — defaults are applied only when the
  // client declared elicitation.form.applyDefaults.
  if (const json* e = find_object(config_.identity.capabilities, "elicitation")) {
    if (const json* form = find_object(*e, "form")) apply_elicitation_defaults_ = find_bool(*form, "applyDefaults") == true;
  }
}

OpId Session::new_op(OpKind kind, std::uint64_t now_ms, const RequestOptions& options) {
  OpId id = next_op_++;
  Op& op = ops_[id];
  op.kind = kind;
  op.started = now_ms;
  op.timeout_ms = options.timeout_ms.value_or(config_.request_timeout_ms);
  op.max_total_ms = std::max(op.timeout_ms, options.max_total_timeout_ms.value_or(config_.max_total_timeout_ms));
  op.reset_on_progress = options.reset_timeout_on_progress;
  op.deadline = now_ms + op.timeout_ms;
  return id;
}

OpId Session::connect(std::uint64_t now_ms) {
  now_ = now_ms;
  OpId id = new_op(OpKind::connect, now_ms);
  if (state_ != State::idle) {
    settle(id, Error(INVALID_STATE, "connect() may be called once, before any other operation"));
    return id;
  }
  state_ = State::initializing;
  if (config_.negotiation == Negotiation::only_2025) {
    start_initialize(id, config_.identity.protocol_version);
  } else {
    start_discover(id);
  }
  return id;
}

OpId Session::request(std::string method, json params, std::uint64_t now_ms, RequestOptions options,
                      std::string params_text) {
  now_ = now_ms;
  OpId id = new_op(OpKind::request, now_ms, options);
  Op& op = ops_[id];
  op.method = std::move(method);
  op.params = std::move(params);
  op.params_text = std::move(params_text);
  if (const json* meta = find_object(op.params, "_meta")) {
    if (const json* token = find_member(*meta, "progressToken")) {
      op.progress_key = dump_json(*token);
      progress_ops_[op.progress_key] = id;
    }
  }
  if (op.method == "tools/call" && options.validate_arguments.value_or(config_.validate_arguments)) {
    if (auto invalid = check_arguments(op.params)) {
      settle(id, std::move(*invalid));
      return id;
    }
  }
  switch (state_) {
    case State::ready:
      start_rpc(id, op, op.params);
      break;
    case State::initializing:
      op.queued = true;
      break;
    case State::closed:
      settle(id, Error(CLIENT_CLOSED, "the session is closed"));
      break;
    case State::idle:
    case State::failed:
      settle(id, Error(CLIENT_NOT_CONNECTED, "the session is not connected"));
      break;
  }
  return id;
}

OpId Session::list_all(std::string method, std::string items_key, json params, std::uint64_t now_ms) {
  OpId id = request(std::move(method), std::move(params), now_ms);
  if (auto it = ops_.find(id); it != ops_.end()) {
    it->second.kind = OpKind::list_all;
    it->second.items_key = std::move(items_key);
  }
  return id;
}

OpId Session::close(std::uint64_t now_ms) {
  now_ = now_ms;
  OpId id = new_op(OpKind::close, now_ms);
  const bool had_session = state_ == State::ready && !session_id_.empty();
  state_ = State::closed;
  delayed_.clear();
  // Everything else settles now; their exchanges are aborted.
  std::vector<OpId> others;
  for (const auto& [other, op] : ops_) {
    if (other != id) others.push_back(other);
  }
  for (OpId other : others) settle(other, Error(CLIENT_CLOSED, "the session was closed"));
  for (auto it = exchanges_.begin(); it != exchanges_.end();) {
    aborts_.push_back(it->first);  // the listen stream, replies in flight
    it = exchanges_.erase(it);
  }
  if (had_session) {
    // spec: 2025-11-25 transports#session-management — DELETE ends the session.
    ops_[id].exchange = send(Purpose::terminate, id, "DELETE", {});
  } else {
    settle(id, json(nullptr));
  }
  return id;
}

OpId Session::reject(Error error) {
  OpId id = new_op(OpKind::request, 0);
  settle(id, std::move(error));
  return id;
}

void Session::cancel(OpId id, std::uint64_t /*now_ms*/) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;  // already settled: nothing to do
  send_cancelled(it->second, "cancelled by the client");
  settle(id, Error(CLIENT_CANCELLED, "the operation was cancelled"));
}

ExchangeId Session::send(Purpose purpose, OpId op, std::string method, std::string body) {
  ExchangeId ex = next_exchange_++;
  transport::HttpRequest req;
  req.exchange = ex;
  req.method = std::move(method);
  req.url = legacy_ && !legacy_endpoint_.empty() && req.method == "POST" ? legacy_endpoint_ : config_.url;
  req.headers = config_.headers;
  if (req.method == "POST") {
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("Accept", "application/json, text/event-stream");
  } else if (req.method == "GET") {
    req.headers.emplace_back("Accept", "text/event-stream");
  }
  if (auth_) {
    for (auto& h : auth_->headers_for(req.url)) req.headers.push_back(std::move(h));
  }
  if (!session_id_.empty()) req.headers.emplace_back("Mcp-Session-Id", session_id_);
  // spec: 2025-11-25 transports#protocol-version-header — every request after initialize.
  if (!protocol_version_.empty()) req.headers.emplace_back("MCP-Protocol-Version", protocol_version_);
  req.body = std::move(body);
  Exchange& e = exchanges_[ex];
  e.purpose = purpose;
  e.op = op;
  e.had_session = !session_id_.empty();
  if (auth_ && auth_->uses_dpop()) {
    // RFC 9449 §7.1: a DPoP-bound token needs a fresh proof, signed by the
    // host, on every request: it waits for that signature.
    const std::uint64_t proof = auth_->begin_request_proof(req.method, req.url, now_);
    if (proof != 0) {
      awaiting_proof_.emplace(proof, std::move(req));
      drain_auth();
      return ex;
    }
  }
  requests_.push_back(std::move(req));
  return ex;
}

void Session::start_rpc(OpId id, Op& op, const json& params) {
  if (rest_.count(id)) return start_rest(id, op);  // REST: session_rest.cpp
  if (!auth_gate(id, op, params)) return;  // parked until the authorizer is done
  const std::int64_t rpc = next_rpc_id_++;
  op.rpc_id = rpc;
  op.queued = false;
  op.note_sent(params);
  pending_rpc_[rpc] = id;
  Purpose purpose = op.kind == OpKind::connect ? Purpose::initialize : Purpose::request;
  if (!modern_) {
    // The host's own encoding of unchanged params saves dumping them again.
    const bool as_given = &params == &op.params && !op.params_text.empty();
    op.exchange = send(purpose, id, "POST",
                       as_given ? protocol::build_request_text(rpc, op.method, op.params_text)
                                : protocol::build_request(rpc, op.method, params));
    return;
  }
  // spec: 2026-07-28 — every request carries _meta and the standard headers.
  json sent = protocol::with_request_meta(params, config_.identity, protocol_version_);
  op.exchange = send(purpose, id, "POST", protocol::build_request(rpc, op.method, sent));
  const protocol::ToolHeaders* th = nullptr;
  if (op.method == "tools/call") {
    if (auto name = find_string(params, "name")) {
      if (auto t = tool_headers_.find(std::string(*name)); t != tool_headers_.end()) th = &t->second;
    }
  }
  for (auto& h : protocol::modern_headers(op.method, params, th)) requests_.back().headers.push_back(std::move(h));
}

void Session::flush_queued() {
  for (auto& [id, op] : ops_) {
    if (op.queued) start_rpc(id, op, op.params);
  }
}

void Session::handle_response_head(ExchangeId ex, const HttpResponseHead& head, std::uint64_t now_ms) {
  now_ = now_ms;
  if (config_.trace) {
    json headers = json::object();
    for (const auto& [k, v] : head.headers) headers[k] = v;
    trace_event(json{{"event", "response"}, {"exchange", ex}, {"status", head.status}, {"headers", std::move(headers)}});
  }
  if (is_auth_exchange(ex)) {
    auth_->handle_response_head(ex, head, now_ms);
    drain_auth();
    return;
  }
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;  // aborted or unknown: ignore late input
  if (on_rest_head(ex, head)) return;  // REST: session_rest.cpp
  if (auth_) {
    if (auto nonce = transport::find_header(head.headers, "dpop-nonce")) auth_->note_resource_nonce(*nonce);
  }
  if (on_auth_status(ex, head)) return;  // 401/403 handed to the authorizer
  Exchange& e = it->second;
  e.status = head.status;
  if (auto ra = transport::find_header(head.headers, "retry-after")) e.retry_after = std::string(ra->substr(0, 64));
  if (e.purpose == Purpose::initialize && head.status >= 200 && head.status < 300) {
    if (auto sid = transport::find_header(head.headers, "mcp-session-id")) session_id_ = std::string(*sid);
  }
  if (e.purpose == Purpose::terminate) {
    // Any answer ends it: 405 means the server does not allow DELETE (spec).
    settle(e.op, json(nullptr));
    finish_exchange(ex);
    return;
  }
  if (head.status >= 300) return;  // body collected as an error description
  auto reader = transport::MessageReader::for_response(head, config_.body_limits);
  if (!reader.ok()) {
    fail_exchange(ex, reader.take_error());
    return;
  }
  e.reader.emplace(std::move(*reader));
}

void Session::handle_body(ExchangeId ex, std::string_view bytes, std::uint64_t now_ms) {
  now_ = now_ms;
  if (is_auth_exchange(ex)) {
    auth_->handle_body(ex, bytes, now_ms);
    drain_auth();
    return;
  }
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;
  if (on_rest_body(ex, bytes)) return;  // REST: session_rest.cpp
  Exchange& e = it->second;
  if (!e.reader) {
    if (e.error_body.size() < MAX_ERROR_BODY) e.error_body.append(bytes.substr(0, MAX_ERROR_BODY - e.error_body.size()));
    return;
  }
  Status st = e.reader->feed(bytes);
  // Messages decoded before an error still count.
  while (true) {
    auto again = exchanges_.find(ex);
    if (again == exchanges_.end() || !again->second.reader) return;
    auto msg = again->second.reader->poll_message();
    if (!msg) break;
    ++again->second.messages;
    on_message(ex, *msg, now_ms);
  }
  if (auto e2 = exchanges_.find(ex); e2 != exchanges_.end() && e2->second.purpose == Purpose::legacy_stream) {
    on_legacy_events(ex);
  }
  if (!st.ok()) fail_exchange(ex, st.take_error());
}

void Session::handle_body_end(ExchangeId ex, std::uint64_t now_ms) {
  now_ = now_ms;
  if (config_.trace) trace_event(json{{"event", "end"}, {"exchange", ex}});
  if (is_auth_exchange(ex)) {
    auth_->handle_body_end(ex, now_ms);
    drain_auth();
    return;
  }
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;
  if (on_rest_end(ex, now_ms)) return;  // REST: session_rest.cpp
  Exchange& e = it->second;
  if (!e.reader) {
    on_error_status(ex, now_ms);
    return;
  }
  (void)e.reader->finish();
  while (true) {
    auto again = exchanges_.find(ex);
    if (again == exchanges_.end() || !again->second.reader) return;
    auto msg = again->second.reader->poll_message();
    if (!msg) break;
    on_message(ex, *msg, now_ms);
  }
  auto again = exchanges_.find(ex);
  if (again == exchanges_.end()) return;
  Exchange& done = again->second;
  if (done.purpose == Purpose::initialized) {
    // The server has seen notifications/initialized: the session is ready.
    OpId connect_op = done.op;
    finish_exchange(ex);
    state_ = State::ready;
    settle(connect_op, initialize_result_);
    flush_queued();
    if (config_.listen && !modern_ && !legacy_) open_listen_stream({});
    return;
  }
  if (done.purpose == Purpose::listen) {
    on_listen_end(ex, now_ms);
    return;
  }
  if (done.purpose == Purpose::legacy_stream) {
    on_legacy_stream_end(ex, Error(TRANSPORT_STREAM_ENDED, "the server closed the HTTP+SSE stream"));
    return;
  }
  if (legacy_ && done.op != 0 && (done.purpose == Purpose::initialize || done.purpose == Purpose::request)) {
    // HTTP+SSE: the POST is only accepted here; its answer comes on the stream.
    if (auto op = ops_.find(done.op); op != ops_.end()) op->second.exchange.reset();
    finish_exchange(ex);
    return;
  }
  if (done.purpose == Purpose::reply || done.op == 0) {
    finish_exchange(ex);  // nothing waits on it (its answer already arrived)
    return;
  }
  // A request's stream ended without its answer: resume it when it can be.
  if (try_resume(ex, now_ms)) return;
  fail_exchange(ex, Error(TRANSPORT_STREAM_ENDED, "the response stream ended before the answer arrived"));
}

void Session::handle_network_error(ExchangeId ex, std::string_view message, std::uint64_t now_ms) {
  now_ = now_ms;
  if (config_.trace) trace_event(json{{"event", "error"}, {"exchange", ex}, {"message", message}});
  if (is_auth_exchange(ex)) {
    auth_->handle_network_error(ex, message, now_ms);
    drain_auth();
    return;
  }
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;
  if (it->second.purpose == Purpose::listen) {
    on_listen_end(ex, now_ms);
    return;
  }
  if (it->second.purpose == Purpose::legacy_stream) {
    on_legacy_stream_end(ex, Error(TRANSPORT_NETWORK, "network error: " + std::string(message.substr(0, 300))));
    return;
  }
  if (try_resume(ex, now_ms)) return;  // a stream cut mid-way, after an event id
  if (it->second.purpose == Purpose::terminate) {
    settle(it->second.op, json(nullptr));  // closed either way
    finish_exchange(ex);
    return;
  }
  fail_exchange(ex, Error(TRANSPORT_NETWORK, "network error: " + std::string(message.substr(0, 300))));
}

void Session::handle_timeout(std::uint64_t now_ms) {
  now_ = now_ms;
  if (auth_) {
    auth_->handle_timeout(now_ms);
    drain_auth();
  }
  fire_delayed(now_ms);
  std::vector<OpId> expired;
  for (const auto& [id, op] : ops_) {
    if (op.deadline <= now_ms && !op.parked) expired.push_back(id);
  }
  for (OpId id : expired) {
    auto it = ops_.find(id);
    if (it == ops_.end()) continue;
    const bool is_connect = it->second.kind == OpKind::connect;
    send_cancelled(it->second, "timed out");
    settle(id, Error(CLIENT_TIMEOUT, "no answer within " + std::to_string(config_.request_timeout_ms) + " ms"));
    if (is_connect && state_ == State::initializing) state_ = State::failed;
  }
}

void Session::finish_exchange(ExchangeId ex) { exchanges_.erase(ex); }

void Session::fail_exchange(ExchangeId ex, Error error) {
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;
  OpId op = it->second.op;
  const Purpose purpose = it->second.purpose;
  exchanges_.erase(it);
  aborts_.push_back(ex);  // stop reading whatever is left of it
  if (op == 0) return;
  if (purpose == Purpose::initialize || purpose == Purpose::initialized || purpose == Purpose::legacy_stream) {
    state_ = State::failed;
  }
  settle(op, std::move(error));
}

void Session::settle(OpId id, Result<json> result, std::string_view raw_text, const ScannedResult* scanned) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;  // exactly once
  Op& op = it->second;
  if (op.rpc_id) pending_rpc_.erase(*op.rpc_id);
  if (!op.progress_key.empty()) progress_ops_.erase(op.progress_key);
  if (op.exchange) {
    if (exchanges_.erase(*op.exchange)) aborts_.push_back(*op.exchange);
  }
  const bool internal = op.internal;
  const bool reinit = op.kind == OpKind::connect;
  std::string text;
  if (!internal && (op.kind == OpKind::request || op.kind == OpKind::list_all)) check_result(op, result, text, scanned);
  if (text.empty() && !raw_text.empty() && result.ok()) text = std::string(raw_text);
  ops_.erase(it);
  rest_.erase(id);  // REST: session_rest.cpp
  if (!internal) {
    if (!result.ok()) text.clear();
    settled_.push_back(Settled{id, std::move(result), std::move(text)});
    return;
  }
  // A failed re-initialization fails every request waiting to be replayed
  // (an internal subscriptions/listen that ends changes nothing).
  if (reinit && !result.ok()) {
    std::vector<OpId> waiting;
    for (const auto& [other, o] : ops_) {
      if (o.queued) waiting.push_back(other);
    }
    for (OpId other : waiting) settle(other, Error(result.error().id, result.error().message, result.error().data_json));
  }
}

std::optional<transport::HttpRequest> Session::poll_request() {
  if (requests_.empty()) return std::nullopt;
  auto r = std::move(requests_.front());
  requests_.pop_front();
  if (config_.trace) {
    json headers = json::object();
    for (const auto& [k, v] : r.headers) headers[k] = v;
    trace_event(json{{"event", "request"}, {"exchange", r.exchange}, {"method", r.method}, {"url", r.url},
                     {"headers", std::move(headers)}, {"bodyBytes", r.body.size()},
                     {"auth", is_auth_exchange(r.exchange)}});
  }
  return r;
}

std::optional<ExchangeId> Session::poll_abort() {
  return pop_front(aborts_);
}

std::optional<Settled> Session::poll_settled() {
  return pop_front(settled_);
}

std::optional<ServerRequest> Session::poll_server_request() {
  return pop_front(server_request_queue_);
}

std::optional<ServerNotification> Session::poll_notification() {
  return pop_front(notifications_);
}

std::optional<std::uint64_t> Session::next_deadline() const {
  std::optional<std::uint64_t> d;
  if (!delayed_.empty()) d = delayed_.begin()->first;
  if (auth_) {
    if (auto a = auth_->next_deadline(); a && (!d || *a < *d)) d = a;
  }
  for (const auto& [id, op] : ops_) {
    if (!op.parked && (!d || op.deadline < *d)) d = op.deadline;
  }
  return d;
}

}  // namespace mcpw::client
