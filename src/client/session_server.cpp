// Messages the server starts: notifications (progress restarts timeouts) and
// requests the host answers (roots, sampling, elicitation) or the session
// answers itself (ping), plus client-side cancellation notices.
#include "client/session.h"

#include <algorithm>

namespace mcpw::client {

using protocol::Message;

void Session::on_notification(Message m, std::uint64_t now_ms) {
  // spec: 2025-11-25 basic/utilities/progress — progress for a known token
  // may restart that request's timeout, bounded by its absolute cap.
  if (m.method == "notifications/progress") {
    if (const json* token = find_member(m.params, "progressToken")) {
      auto p = progress_ops_.find(dump_json(*token));
      if (p != progress_ops_.end()) {
        auto it = ops_.find(p->second);
        if (it != ops_.end() && it->second.reset_on_progress) {
          Op& op = it->second;
          op.deadline = std::min(now_ms + op.timeout_ms, op.started + op.max_total_ms);
        }
      }
    }
  }
  notifications_.push_back(ServerNotification{std::move(m.method), std::move(m.params)});
}

void Session::on_server_request(const Message& m) {
  if (m.method == "ping") {
    send(Purpose::reply, 0, "POST", protocol::build_response(m.id, json::object()));
    return;
  }
  if (!config_.handled_server_requests.count(m.method)) {
    send(Purpose::reply, 0, "POST",
         protocol::build_error_response(
             m.id, protocol::RpcError{protocol::METHOD_NOT_FOUND, "method not supported by this client: " + m.method,
                                      json(json::value_t::discarded)}));
    return;
  }
  const std::uint64_t handle = next_server_request_++;
  server_requests_[handle] = PendingServerRequest{m.id, m.method, m.params, 0, {}};
  server_request_queue_.push_back(ServerRequest{handle, m.method, m.params});
}

void Session::respond(std::uint64_t handle, Result<json> result, std::uint64_t now_ms) {
  now_ = now_ms;
  auto it = server_requests_.find(handle);
  if (it == server_requests_.end()) return;  // answered already, or never asked
  PendingServerRequest req = std::move(it->second);
  server_requests_.erase(it);
  if (state_ == State::closed) return;
  if (req.mrtr_op != 0) {
    answer_input_request(std::move(req), std::move(result));
    return;
  }
  std::string body;
  if (result.ok()) {
    json value = std::move(*result);
    if (req.method == "elicitation/create" && apply_elicitation_defaults_) {
      value = with_elicitation_defaults(req.params, std::move(value));
    }
    body = protocol::build_response(req.id, value);
  } else {
    protocol::RpcError e{protocol::INTERNAL_ERROR, result.error().message, json(json::value_t::discarded)};
    if (auto data = parse_ordered_json(result.error().data_json); data.ok()) {
      if (auto code = find_integer(*data, "code")) e.code = *code;
    }
    body = protocol::build_error_response(req.id, e);
  }
  send(Purpose::reply, 0, "POST", std::move(body));
}

json Session::with_elicitation_defaults(const json& params, json result) const {
  // spec: 2025-11-25 client/elicitation — form mode only; an accepted answer
  // gets the requested schema's `default` for every property it left out.
  if (find_string(params, "mode") == "url") return result;
  if (find_string(result, "action") != "accept") return result;
  const json* schema = find_object(params, "requestedSchema");
  const json* props = schema ? find_object(*schema, "properties") : nullptr;
  if (!props) return result;
  if (!find_object(result, "content")) result["content"] = json::object();
  json& content = result["content"];
  for (const auto& [name, prop] : props->items()) {
    const json* dflt = find_member(prop, "default");
    if (dflt && !content.contains(name)) content[name] = *dflt;
  }
  return result;
}

void Session::send_cancelled(const Op& op, std::string_view reason) {
  // spec: 2025-11-25 basic/utilities/cancellation — only for a request the
  // server has been sent, never for initialize.
  if (!op.rpc_id || op.kind == OpKind::connect || state_ != State::ready) return;
  if (modern_) return;  // 2026-07-28: closing the stream is the cancellation
  json params = {{"requestId", *op.rpc_id}, {"reason", reason}};
  send(Purpose::reply, 0, "POST", protocol::build_notification("notifications/cancelled", params));
}

}  // namespace mcpw::client
