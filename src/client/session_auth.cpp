// The session and its authorizer (src/auth): requests wait while a flow
// runs and go out again when it succeeds; a 401, or a 403 insufficient_scope,
// hands the challenge to the authorizer and parks the request (at most
// MAX_AUTH_RETRIES times per request); the authorizer's HTTP requests share
// the host's fetch with the session's (their exchange ids start at
// AuthConfig::first_exchange), its other effects go to the host.
#include "client/session.h"

#include <utility>

namespace mcpw::client {

using transport::ExchangeId;

namespace {
constexpr unsigned MAX_AUTH_RETRIES = 3;
}  // namespace

bool Session::is_auth_exchange(ExchangeId ex) const { return auth_ && ex >= config_.auth->first_exchange; }

bool Session::auth_gate(OpId /*id*/, Op& op, const json& params) {
  // Until the server has challenged once, requests go out as they are: the
  // challenge (scope, resource_metadata) is what discovery starts from.
  if (!auth_ || !auth_active_ || auth_->ensure(now_)) return true;
  op.parked = true;
  op.note_sent(params);
  op.exchange.reset();
  drain_auth();
  return false;
}

bool Session::on_auth_status(ExchangeId ex, const transport::HttpResponseHead& head) {
  if (!auth_) return false;
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return false;
  const Exchange& e = it->second;
  if (head.status >= 200 && head.status < 300) {
    auth_->note_success();
    return false;
  }
  if (head.status != 401 && head.status != 403) return false;
  if (e.op == 0 || (e.purpose != Purpose::initialize && e.purpose != Purpose::request && e.purpose != Purpose::resume)) {
    return false;
  }
  auto op_it = ops_.find(e.op);
  if (op_it == ops_.end() || op_it->second.auth_retries >= MAX_AUTH_RETRIES) return false;
  const std::string www(transport::find_header(head.headers, "www-authenticate").value_or(""));
  // spec: 2025-11-25 basic/authorization#scope-challenge-handling — only an
  // insufficient_scope 403 is about authorization; others stay plain errors.
  if (head.status == 403 && !auth_->handle_forbidden(www, now_)) return false;
  if (head.status == 401) auth_->handle_unauthorized(www, now_);
  auth_active_ = true;
  Op& op = op_it->second;
  ++op.auth_retries;
  if (op.rpc_id) pending_rpc_.erase(*op.rpc_id);
  op.rpc_id.reset();
  op.exchange.reset();
  op.parked = true;  // sent_params holds what to send again
  exchanges_.erase(it);
  aborts_.push_back(ex);
  drain_auth();
  return true;
}

void Session::drain_auth() {
  if (!auth_ || draining_auth_) return;  // the outer drain picks up what re-entrant calls add
  draining_auth_ = true;
  for (bool again = true; again;) {
    again = false;
    while (auto effect = auth_->poll_effect()) {
      if (auto* req = std::get_if<transport::HttpRequest>(&*effect)) {
        requests_.push_back(std::move(*req));
      } else {
        auth_effects_.push_back(std::move(*effect));
      }
    }
    while (auto proof = auth_->poll_proof()) {
      auto it = awaiting_proof_.find(proof->proof);
      if (it == awaiting_proof_.end()) continue;
      transport::HttpRequest req = std::move(it->second);
      awaiting_proof_.erase(it);
      if (!exchanges_.count(req.exchange)) continue;  // settled or aborted meanwhile
      for (auto& h : proof->headers) req.headers.push_back(std::move(h));
      requests_.push_back(std::move(req));
    }
    while (auto outcome = auth_->poll_outcome()) {
      again = true;
      std::vector<OpId> parked;
      for (const auto& [id, op] : ops_) {
        if (op.parked) parked.push_back(id);
      }
      for (OpId id : parked) {
        auto it = ops_.find(id);
        if (it == ops_.end() || !it->second.parked) continue;
        Op& op = it->second;
        op.parked = false;
        if (outcome->ok()) {
          op.deadline = now_ + op.timeout_ms;  // a fresh timeout once authorized
          start_rpc(id, op, op.last_sent());
          continue;
        }
        if (op.kind == OpKind::connect && state_ == State::initializing) state_ = State::failed;
        const Error& e = outcome->error();
        settle(id, Error(e.id, e.message, e.data_json));
      }
    }
  }
  draining_auth_ = false;
}

std::optional<auth::Effect> Session::poll_auth_effect() {
  if (auth_effects_.empty()) return std::nullopt;
  auto e = std::move(auth_effects_.front());
  auth_effects_.pop_front();
  return e;
}

void Session::handle_auth_redirect(std::string_view callback_url, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_redirect(callback_url, now_ms);
  drain_auth();
}

void Session::handle_auth_redirect_cancelled(std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_redirect_cancelled(now_ms);
  drain_auth();
}

void Session::handle_auth_loaded(std::string_view key, std::optional<std::string_view> value, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_loaded(key, value, now_ms);
  drain_auth();
}

void Session::handle_auth_random(std::string_view bytes, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_random(bytes, now_ms);
  drain_auth();
}

void Session::handle_auth_signature(std::string_view raw_signature, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_signature(raw_signature, now_ms);
  drain_auth();
}

void Session::handle_auth_static_token(std::optional<std::string> token, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_static_token(std::move(token), now_ms);
  drain_auth();
}

void Session::handle_auth_proof_signature(std::uint64_t proof, std::string_view raw_signature, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_proof_signature(proof, raw_signature, now_ms);
  drain_auth();
}

void Session::handle_auth_lock_acquired(std::string_view key, std::uint64_t now_ms) {
  now_ = now_ms;
  if (!auth_) return;
  auth_->handle_lock_acquired(key, now_ms);
  drain_auth();
}

}  // namespace mcpw::client
