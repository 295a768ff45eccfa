// What the session does when an exchange goes wrong but the request may
// still succeed: resume a dropped SSE stream, wait out a 429 on an idempotent
// request, re-initialize a session the server forgot. Each is bounded.
#include "client/session.h"

#include <algorithm>
#include <utility>

namespace mcpw::client {

using transport::ExchangeId;

namespace {

constexpr std::size_t MAX_ERROR_TEXT = 200;

// Safe to send again: they change nothing on the server.
bool is_idempotent(std::string_view method) {
  return method == "ping" || method == "tools/list" || method == "prompts/list" || method == "resources/list" ||
         method == "resources/templates/list" || method == "resources/read" || method == "prompts/get";
}

std::string error_text(std::string_view body) {
  if (auto m = protocol::parse_message(body); m.ok() && m->kind == protocol::MessageKind::error) return m->error.message;
  std::string s(body.substr(0, MAX_ERROR_TEXT));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

}  // namespace

std::uint64_t Session::backoff_ms(unsigned attempt) {
  // xorshift64: jitter from the host-supplied seed, deterministic in tests.
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  const std::uint64_t base = config_.resume_base_delay_ms << std::min(attempt, 5u);
  return base + rng_ % (base / 4 + 1);
}

void Session::on_error_status(ExchangeId ex, std::uint64_t now_ms) {
  if (const Exchange& e = exchanges_.at(ex); e.purpose == Purpose::initialize && e.op != 0) {
    auto op = ops_.find(e.op);
    if (op != ops_.end() && op->second.method == "server/discover") {
      // A refused discover is how older servers show themselves.
      Result<json> answer = Error(HTTP_STATUS, "HTTP " + std::to_string(e.status), dump_json(json{{"status", e.status}}));
      if (auto m = protocol::parse_message(e.error_body); m.ok() && m->kind == protocol::MessageKind::error) {
        answer = Error(RPC_ERROR, m->error.message,
                       dump_json(json{{"code", m->error.code}, {"data", m->error.has_data() ? m->error.data : json()}}));
      }
      const OpId id = e.op;
      const int status = e.status;
      if (op->second.rpc_id) pending_rpc_.erase(*op->second.rpc_id);
      op->second.exchange.reset();
      finish_exchange(ex);
      on_discover_answer(id, std::move(answer), status);
      return;
    }
  }
  if (exchanges_.at(ex).purpose == Purpose::listen) {
    on_listen_end(ex, now_ms);  // 405 and the like: the server offers no stream
    return;
  }
  if (exchanges_.at(ex).purpose == Purpose::legacy_stream) {
    const int status = exchanges_.at(ex).status;
    on_legacy_stream_end(ex, Error(HTTP_STATUS, "HTTP " + std::to_string(status) + " to the HTTP+SSE stream",
                                   dump_json(json{{"status", status}})));
    return;
  }
  if (start_legacy(ex)) return;
  if (try_replay(ex) || try_rate_limit_retry(ex, now_ms)) return;
  const Exchange& e = exchanges_.at(ex);
  json data = {{"status", e.status}};
  std::string message = "HTTP " + std::to_string(e.status);
  if (!e.error_body.empty()) message += ": " + error_text(e.error_body);
  if (e.status == 429) {
    if (auto wait = transport::parse_retry_after(e.retry_after, now_ms)) data["retryAfterMs"] = *wait;
  }
  fail_exchange(ex, Error(HTTP_STATUS, std::move(message), dump_json(data)));
}

// spec: 2025-11-25 transports#session-management — a 404 to a request that
// carried a session id means the session is gone: initialize again, then
// send the request again, once.
bool Session::try_replay(ExchangeId ex) {
  const Exchange& e = exchanges_.at(ex);
  if (e.status != 404 || !e.had_session || e.op == 0) return false;
  if (e.purpose != Purpose::request && e.purpose != Purpose::resume) return false;
  auto it = ops_.find(e.op);
  if (it == ops_.end() || it->second.replayed) return false;
  Op& op = it->second;
  op.replayed = true;
  if (op.rpc_id) pending_rpc_.erase(*op.rpc_id);
  op.rpc_id.reset();
  op.exchange.reset();
  op.queued = true;
  if (!op.sent_own_params) {
    op.params = op.sent_params;  // a page's cursor included
    op.params_text.clear();      // no longer what the host wrote
  }
  finish_exchange(ex);
  if (state_ == State::ready) {
    state_ = State::initializing;
    session_id_.clear();
    protocol_version_.clear();
    OpId id = next_op_++;
    Op& init = ops_[id];
    init.kind = OpKind::connect;
    init.internal = true;
    init.timeout_ms = config_.request_timeout_ms;
    init.deadline = op.deadline;
    start_initialize(id, offered_version_);
  }
  return true;
}

bool Session::try_rate_limit_retry(ExchangeId ex, std::uint64_t now_ms) {
  const Exchange& e = exchanges_.at(ex);
  if (e.status != 429 || e.op == 0 || e.purpose != Purpose::request) return false;
  auto it = ops_.find(e.op);
  if (it == ops_.end()) return false;
  Op& op = it->second;
  if (!is_idempotent(op.method) || op.retries >= config_.max_rate_limit_retries) return false;
  auto wait = transport::parse_retry_after(e.retry_after, now_ms);
  if (!wait || *wait > config_.max_retry_wait_ms || now_ms + *wait >= op.deadline) return false;
  ++op.retries;
  if (op.rpc_id) pending_rpc_.erase(*op.rpc_id);
  op.rpc_id.reset();
  op.exchange.reset();
  delayed_.emplace(now_ms + *wait, Delayed{DelayedKind::retry, it->first, {}});
  finish_exchange(ex);  // `e` dies here
  return true;
}

// spec: 2025-11-25 transports#resumability-and-redelivery — after a stream
// that carried event ids drops, GET with Last-Event-ID after `retry` ms.
bool Session::try_resume(ExchangeId ex, std::uint64_t now_ms) {
  auto eit = exchanges_.find(ex);
  if (eit == exchanges_.end()) return false;
  const Exchange& e = eit->second;
  if (e.op == 0 || (e.purpose != Purpose::request && e.purpose != Purpose::resume)) return false;
  if (!e.reader || e.reader->mode() != transport::BodyMode::sse) return false;
  const auto& sse = e.reader->sse();
  if (sse.last_event_id().empty() || state_ != State::ready || modern_) return false;
  auto it = ops_.find(e.op);
  if (it == ops_.end() || it->second.resumes >= config_.max_resumes) return false;
  Op& op = it->second;
  const std::uint64_t wait = sse.retry_ms() ? *sse.retry_ms() : backoff_ms(op.resumes);
  ++op.resumes;
  op.exchange.reset();
  delayed_.emplace(now_ms + wait, Delayed{DelayedKind::resume, e.op, sse.last_event_id()});
  finish_exchange(ex);
  return true;
}

void Session::fire_delayed(std::uint64_t now_ms) {
  while (!delayed_.empty() && delayed_.begin()->first <= now_ms) {
    Delayed d = std::move(delayed_.begin()->second);
    delayed_.erase(delayed_.begin());
    if (state_ == State::closed) continue;
    if (d.kind == DelayedKind::listen) {
      if (state_ == State::ready) open_listen_stream(d.last_event_id);
      continue;
    }
    auto it = ops_.find(d.op);
    if (it == ops_.end()) continue;
    Op& op = it->second;
    if (d.kind == DelayedKind::retry) {
      start_rpc(d.op, op, op.last_sent());
      continue;
    }
    ExchangeId ex = send(Purpose::resume, d.op, "GET", {});
    requests_.back().headers.emplace_back("Last-Event-ID", d.last_event_id);
    op.exchange = ex;
  }
}

void Session::open_listen_stream(const std::string& last_event_id) {
  for (const auto& [ex, e] : exchanges_) {
    if (e.purpose == Purpose::listen) return;  // one at a time
  }
  send(Purpose::listen, 0, "GET", {});
  if (!last_event_id.empty()) requests_.back().headers.emplace_back("Last-Event-ID", last_event_id);
}

// The GET stream ended, failed or was refused. Reconnect only after a stream
// the server accepted; a refusal (405, ...) or repeated failures end it.
void Session::on_listen_end(ExchangeId ex, std::uint64_t now_ms) {
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end()) return;
  const Exchange& e = it->second;
  const bool accepted = e.status == 200 && e.reader && e.reader->mode() == transport::BodyMode::sse;
  std::string last_id = accepted ? e.reader->sse().last_event_id() : std::string();
  std::optional<std::uint64_t> retry = accepted ? e.reader->sse().retry_ms() : std::nullopt;
  const bool answered = e.messages > 0;
  // A stream that answered is a success (a fresh budget). But a server that
  // answers and ends its streams at once, asking for a short `retry` (say
  // 10 ms), must not get a reconnect loop: when the wait it asked for plus
  // the stream's life is under resume_base_delay_ms, reconnects back off
  // (doubling, up to 32 x) whatever `retry` says.
  const bool at_once = listen_reopen_ms_ && now_ms >= *listen_reopen_ms_ &&
                       listen_asked_ms_ + (now_ms - *listen_reopen_ms_) < config_.resume_base_delay_ms;
  if (answered) {
    listen_failures_ = 0;
    listen_quick_ = at_once ? listen_quick_ + 1 : 0;
  }
  finish_exchange(ex);
  if (!accepted || state_ != State::ready) return;
  if (!answered && ++listen_failures_ > config_.max_listen_reconnects) return;
  const std::uint64_t asked = retry ? *retry : backoff_ms(listen_failures_ > 0 ? listen_failures_ - 1 : 0);
  const std::uint64_t wait = listen_quick_ > 0 ? std::max(asked, backoff_ms(listen_quick_ - 1)) : asked;
  listen_reopen_ms_ = now_ms + wait;
  listen_asked_ms_ = asked;
  delayed_.emplace(now_ms + wait, Delayed{DelayedKind::listen, 0, std::move(last_id)});
}

}  // namespace mcpw::client
