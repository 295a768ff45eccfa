// Which protocol era a session speaks, and the 2026-07-28 era's
// multi-round-trip requests (MRTR).
//
// spec: 2026-07-28 basic/lifecycle — a client that speaks both eras sends a
// modern request (server/discover) first. A result listing 2026-07-28 makes the
// session modern (stateless: no initialize, no session id). An
// UnsupportedProtocolVersion error (-32022) with data.supported is corrected
// once. Anything else that shows an older server (4xx other than 401/403/429,
// a JSON-RPC error, a result without supportedVersions) falls back to the
// 2025 initialize handshake; network errors, auth failures and 5xx do not.
#include "client/session.h"

#include <utility>

namespace mcpw::client {

namespace {

constexpr unsigned MAX_MRTR_ROUNDS = 8;

bool lists(const json* versions, std::string_view v) {
  if (!versions) return false;
  for (const json& x : *versions) {
    if (x.is_string() && x.get_ref<const std::string&>() == v) return true;
  }
  return false;
}

// The newest 2025-era version in `versions` this client speaks.
std::string best_2025_version(const json* versions) {
  for (auto v : protocol::SUPPORTED_PROTOCOL_VERSIONS) {
    if (lists(versions, v)) return std::string(v);
  }
  return {};
}

}  // namespace

void Session::start_initialize(OpId id, std::string version) {
  modern_ = false;
  protocol_version_.clear();
  offered_version_ = std::move(version);
  protocol::ClientIdentity identity = config_.identity;
  identity.protocol_version = offered_version_;
  Op& op = ops_[id];
  op.method = "initialize";
  start_rpc(id, op, protocol::make_initialize_params(identity));
}

void Session::start_discover(OpId id) {
  modern_ = true;
  protocol_version_ = std::string(protocol::MODERN_PROTOCOL_VERSION);
  list_memos_.clear();  // their verdicts were for the revision before
  ++discover_tries_;
  Op& op = ops_[id];
  op.method = "server/discover";
  start_rpc(id, op, json::object());
}

void Session::on_discover_answer(OpId id, Result<json> answer, int http_status) {
  const bool automatic = config_.negotiation == Negotiation::automatic;
  const std::string latest_2025(protocol::LATEST_PROTOCOL_VERSION);
  if (answer.ok()) {
    const json* versions = find_array(*answer, "supportedVersions");
    if (lists(versions, protocol::MODERN_PROTOCOL_VERSION)) {
      become_modern_ready(id, std::move(*answer));
      return;
    }
    std::string older = best_2025_version(versions);
    if (automatic) {
      start_initialize(id, older.empty() ? latest_2025 : older);
      return;
    }
    state_ = State::failed;
    settle(id, Error(protocol::PROTOCOL_UNSUPPORTED_VERSION, "the server does not support protocol 2026-07-28"));
    return;
  }
  const Error& e = answer.error();
  if (e.is(RPC_ERROR)) {
    auto data = parse_ordered_json(e.data_json);
    const json detail = data.ok() ? *data : json::object();
    const json* inner = find_object(detail, "data");
    const json* supported = inner ? find_array(*inner, "supported") : nullptr;
    if (find_integer(detail, "code") == protocol::UNSUPPORTED_PROTOCOL_VERSION && supported) {
      if (lists(supported, protocol::MODERN_PROTOCOL_VERSION) && discover_tries_ < 2) {
        start_discover(id);  // corrected once
        return;
      }
      std::string older = best_2025_version(supported);
      if (!older.empty() && automatic) {
        start_initialize(id, older);
        return;
      }
    }
  }
  const bool older_server = e.is(RPC_ERROR) || (http_status >= 400 && http_status < 500 && http_status != 401 &&
                                                http_status != 403 && http_status != 429);
  if (automatic && older_server) {
    start_initialize(id, latest_2025);
    return;
  }
  state_ = State::failed;
  settle(id, Error(e.id, e.message, e.data_json));
}

void Session::become_modern_ready(OpId id, json result) {
  server_capabilities_ = find_object(result, "capabilities") ? result["capabilities"] : json::object();
  server_info_ = find_object(result, "serverInfo") ? result["serverInfo"] : json::object();
  result["protocolVersion"] = protocol_version_;
  initialize_result_ = result;
  state_ = State::ready;
  settle(id, std::move(result));
  flush_queued();
  if (config_.listen) open_subscriptions();
}

// spec: 2026-07-28 basic/utilities/subscriptions — what the 2025 GET stream
// gave: list changes, as one long-lived request the host never sees. A server
// that refuses it (or ends it) costs nothing: the request simply settles.
void Session::open_subscriptions() {
  const json caps = server_capabilities_;
  json filter = json::object();
  for (const char* kind : {"tools", "prompts", "resources"}) {
    const json* c = find_object(caps, kind);
    if (c && find_bool(*c, "listChanged") == true) filter[std::string(kind) + "ListChanged"] = true;
  }
  if (filter.empty()) return;
  OpId id = next_op_++;
  Op& op = ops_[id];
  op.kind = OpKind::request;
  op.internal = true;
  op.method = "subscriptions/listen";
  op.started = now_;
  op.timeout_ms = op.max_total_ms = UINT64_MAX / 4;  // lives as long as the session
  op.deadline = UINT64_MAX / 2;
  op.params = json{{"notifications", std::move(filter)}};
  start_rpc(id, op, op.params);
}

// spec: 2026-07-28 basic/utilities/mrtr — the host fulfils each input
// request; the ORIGINAL request is then sent again with a new id, the answers
// under the same keys and requestState echoed exactly (omitted when none).
bool Session::on_input_required(OpId id, Op& op, const json& result) {
  if (protocol::result_type(result) != "input_required") return false;
  const json* requests = find_object(result, "inputRequests");
  if (!requests || requests->empty()) {
    settle(id, Error(protocol::PROTOCOL_INVALID_RESULT, "input_required result without inputRequests"));
    return true;
  }
  if (++op.mrtr_rounds > MAX_MRTR_ROUNDS) {
    settle(id, Error(LIMIT_EXCEEDED, "more than " + std::to_string(MAX_MRTR_ROUNDS) + " input_required rounds"));
    return true;
  }
  op.mrtr_responses = json::object();
  op.mrtr_state = json(json::value_t::discarded);
  if (const json* state = find_member(result, "requestState")) op.mrtr_state = *state;
  op.mrtr_waiting = requests->size();
  std::vector<ServerRequest> asks;
  for (const auto& [key, r] : requests->items()) {
    auto method = find_string(r, "method");
    if (!method || !config_.handled_server_requests.count(std::string(*method))) {
      settle(id, Error(protocol::PROTOCOL_INVALID_RESULT,
                       "the server needs input this client has no handler for: " +
                           (method ? std::string(*method) : std::string("(no method)"))));
      return true;
    }
    const std::uint64_t handle = next_server_request_++;
    const json* params = find_member(r, "params");
    PendingServerRequest pending{nullptr, std::string(*method), params ? *params : json::object(), id, key};
    server_requests_[handle] = pending;
    asks.push_back(ServerRequest{handle, std::string(*method), pending.params});
  }
  for (auto& a : asks) server_request_queue_.push_back(std::move(a));
  return true;
}

void Session::answer_input_request(PendingServerRequest req, Result<json> result) {
  auto it = ops_.find(req.mrtr_op);
  if (it == ops_.end()) return;  // settled meanwhile (timeout, cancel)
  Op& op = it->second;
  if (!result.ok()) {
    settle(req.mrtr_op, result.take_error());
    return;
  }
  json value = std::move(*result);
  if (req.method == "elicitation/create" && apply_elicitation_defaults_) {
    value = with_elicitation_defaults(req.params, std::move(value));
  }
  op.mrtr_responses[req.mrtr_key] = std::move(value);
  if (--op.mrtr_waiting > 0) return;
  json params = op.params.is_object() ? op.params : json::object();
  params["inputResponses"] = std::move(op.mrtr_responses);
  if (!op.mrtr_state.is_discarded()) params["requestState"] = op.mrtr_state;
  op.mrtr_responses = json::object();
  if (op.exchange) {
    if (exchanges_.erase(*op.exchange)) aborts_.push_back(*op.exchange);
    op.exchange.reset();
  }
  start_rpc(req.mrtr_op, op, params);
}

}  // namespace mcpw::client
