// Plain HTTP requests (REST operations called as tools, issue 6) through the
// session's pipeline: the same exchanges, timeouts, cancellation, 429 retries
// and authorization as MCP requests, but the answer is the HTTP response
// itself, whatever its status. Credentials never leave the MCP server's
// origin: SessionConfig::headers, the authorizer's headers and DPoP proofs
// are only for requests to that origin, and only its 401/403 start a flow.
#include <algorithm>
#include <utility>

#include "client/session.h"
#include "support/url.h"

namespace mcpw::client {

using transport::ExchangeId;

namespace {

// RFC 9110 §9.2.2: these may be sent again without changing the outcome.
bool is_idempotent_method(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "PUT" || m == "DELETE" || m == "OPTIONS";
}

// RFC 9110 §5.6.2 token characters.
bool is_token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool has_ctl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::optional<std::string> origin_of(std::string_view url) {
  auto u = parse_url(url);
  if (!u.ok() || (u->scheme != "http" && u->scheme != "https") || u->host.empty()) return std::nullopt;
  return url_origin(*u);
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

OpId Session::rest(RestRequest request, std::uint64_t now_ms, RequestOptions options) {
  now_ = now_ms;
  OpId id = new_op(OpKind::request, now_ms, options);
  if (state_ == State::closed) {
    settle(id, Error(CLIENT_CLOSED, "the session is closed"));
    return id;
  }
  if (!is_token(request.method)) {
    settle(id, Error(INVALID_ARGUMENT, "invalid HTTP method"));
    return id;
  }
  auto origin = origin_of(request.url);
  if (!origin) {
    settle(id, Error(INVALID_ARGUMENT, "the request URL must be an absolute http(s) URL"));
    return id;
  }
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || has_ctl(value)) {
      settle(id, Error(INVALID_ARGUMENT, "invalid request header " + name.substr(0, 64)));
      return id;
    }
  }
  Op& op = ops_[id];
  op.method = request.method;  // for traces; never sent as JSON-RPC
  RestCall& call = rest_[id];
  call.same_origin = origin == origin_of(config_.url);
  call.request = std::move(request);
  start_rest(id, op);
  return id;
}

// Sends the request (again: after a flow, or a 429's wait). Reached from
// start_rpc for REST operations, so auth retries and delayed retries land here.
void Session::start_rest(OpId id, Op& op) {
  RestCall& call = rest_.at(id);
  if (call.same_origin && !auth_gate(id, op, op.params)) return;  // parked until authorized
  op.queued = false;
  call.status = 0;
  call.headers.clear();
  call.body.clear();
  call.retry_after.clear();
  const ExchangeId ex = next_exchange_++;
  transport::HttpRequest req;
  req.exchange = ex;
  req.method = call.request.method;
  req.url = call.request.url;
  req.headers = call.request.headers;
  req.body = call.request.body;
  if (call.same_origin) {
    // The caller's own headers win over the configured ones of the same name.
    for (const auto& h : config_.headers) {
      if (!transport::find_header(req.headers, h.first)) req.headers.push_back(h);
    }
    if (auth_) {
      for (auto& h : auth_->headers_for(req.url)) req.headers.push_back(std::move(h));
    }
  }
  if (!transport::find_header(req.headers, "accept")) req.headers.emplace_back("Accept", "application/json, */*;q=0.5");
  Exchange& e = exchanges_[ex];
  e.purpose = Purpose::request;
  e.op = id;
  op.exchange = ex;
  if (call.same_origin && auth_ && auth_->uses_dpop()) {
    // RFC 9449 §7.1: a fresh host-signed proof for each request.
    const std::uint64_t proof = auth_->begin_request_proof(req.method, req.url, now_);
    if (proof != 0) {
      awaiting_proof_.emplace(proof, std::move(req));
      drain_auth();
      return;
    }
  }
  requests_.push_back(std::move(req));
}

bool Session::on_rest_head(ExchangeId ex, const transport::HttpResponseHead& head) {
  auto eit = exchanges_.find(ex);
  if (eit == exchanges_.end()) return false;
  auto cit = rest_.find(eit->second.op);
  if (cit == rest_.end()) return false;
  RestCall& call = cit->second;
  if (call.same_origin && auth_) {
    if (auto nonce = transport::find_header(head.headers, "dpop-nonce")) auth_->note_resource_nonce(*nonce);
    // One authorization flow per request, then its answer is the result.
    const bool challenge = head.status == 401 || head.status == 403;
    if ((!challenge || ops_.at(cit->first).auth_retries == 0) && on_auth_status(ex, head)) return true;
  }
  call.status = head.status;
  for (const auto& [name, value] : head.headers) call.headers.emplace_back(lower(name), value);
  if (auto ra = transport::find_header(head.headers, "retry-after")) call.retry_after = std::string(ra->substr(0, 64));
  eit->second.status = head.status;
  return true;
}

bool Session::on_rest_body(ExchangeId ex, std::string_view bytes) {
  auto eit = exchanges_.find(ex);
  if (eit == exchanges_.end()) return false;
  auto cit = rest_.find(eit->second.op);
  if (cit == rest_.end()) return false;
  std::string& body = cit->second.body;
  if (body.size() + bytes.size() > config_.body_limits.max_body_bytes) {
    fail_exchange(ex, Error(LIMIT_EXCEEDED, "the response body exceeds " +
                                                std::to_string(config_.body_limits.max_body_bytes) + " bytes"));
    return true;
  }
  body.append(bytes);
  return true;
}

bool Session::on_rest_end(ExchangeId ex, std::uint64_t now_ms) {
  auto eit = exchanges_.find(ex);
  if (eit == exchanges_.end()) return false;
  const OpId id = eit->second.op;
  auto cit = rest_.find(id);
  if (cit == rest_.end()) return false;
  RestCall& call = cit->second;
  Op& op = ops_.at(id);
  finish_exchange(ex);
  op.exchange.reset();
  std::optional<std::uint64_t> wait;
  if (call.status == 429) wait = transport::parse_retry_after(call.retry_after, now_ms);
  if (wait && is_idempotent_method(call.request.method) && op.retries < config_.max_rate_limit_retries &&
      *wait <= config_.max_retry_wait_ms && now_ms + *wait < op.deadline) {
    ++op.retries;
    delayed_.emplace(now_ms + *wait, Delayed{DelayedKind::retry, id, {}});
    return true;
  }
  json headers = json::object();
  for (const auto& [name, value] : call.headers) headers[name] = value;
  json result = {{"status", call.status}, {"headers", std::move(headers)}, {"body", std::move(call.body)}};
  if (wait) result["retryAfterMs"] = *wait;
  settle(id, std::move(result));
  return true;
}

}  // namespace mcpw::client
