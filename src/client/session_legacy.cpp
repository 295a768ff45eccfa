// The HTTP+SSE transport of protocol 2024-11-05, for servers that predate
// Streamable HTTP (spec: 2025-11-25 basic/transports#backwards-compatibility).
// Tried only when the first initialize POST gets 400, 404 or 405: GET the URL,
// wait for the `endpoint` event, POST every message there, and read every
// answer from that one stream. When the stream ends, everything pending fails.
#include "client/session.h"

#include <utility>

namespace mcpw::client {

using transport::ExchangeId;

bool Session::start_legacy(ExchangeId ex) {
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end() || !config_.legacy_fallback || legacy_tried_) return false;
  const Exchange& e = it->second;
  if (e.purpose != Purpose::initialize || e.op == 0) return false;
  if (e.status != 400 && e.status != 404 && e.status != 405) return false;
  auto op = ops_.find(e.op);
  if (op == ops_.end() || op->second.method != "initialize") return false;
  legacy_tried_ = true;
  legacy_ = true;
  legacy_op_ = e.op;
  if (op->second.rpc_id) pending_rpc_.erase(*op->second.rpc_id);
  op->second.rpc_id.reset();
  finish_exchange(ex);
  session_id_.clear();
  protocol_version_.clear();
  ExchangeId stream = send(Purpose::legacy_stream, legacy_op_, "GET", {});
  op->second.exchange = stream;  // a failed stream fails the connect
  return true;
}

void Session::on_legacy_events(ExchangeId ex) {
  auto it = exchanges_.find(ex);
  if (it == exchanges_.end() || !it->second.reader) return;
  while (auto ev = it->second.reader->poll_other_event()) {
    if (ev->type != "endpoint" || !legacy_endpoint_.empty()) continue;
    auto url = transport::resolve_same_origin(config_.url, ev->data);
    if (!url) {
      fail_exchange(ex, Error(LEGACY_ENDPOINT, "the HTTP+SSE endpoint is not a URL on the server's origin"));
      return;
    }
    legacy_endpoint_ = std::move(*url);
    it->second.op = 0;  // the stream now serves every request
    auto op = ops_.find(legacy_op_);
    if (op == ops_.end()) return;
    op->second.exchange.reset();
    start_initialize(legacy_op_, offered_version_.empty() ? std::string(protocol::LATEST_PROTOCOL_VERSION)
                                                          : offered_version_);
  }
}

void Session::on_legacy_stream_end(ExchangeId ex, Error error) {
  finish_exchange(ex);
  if (state_ == State::closed) return;
  state_ = State::failed;
  std::vector<OpId> pending;
  for (const auto& [id, op] : ops_) pending.push_back(id);
  for (OpId id : pending) settle(id, Error(error.id, error.message, error.data_json));
}

}  // namespace mcpw::client
