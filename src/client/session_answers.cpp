// Reading what the server sends: each message of a response body. An answer
// to a request or a list page is read by the tape scanner (no DOM: the
// result's text goes to the host as the server wrote it, checked off the tape
// in session_validate.cpp); everything else through protocol::parse_message.
#include "client/session.h"

#include <algorithm>
#include <utility>

#include "schema/tape.h"

namespace mcpw::client {

using protocol::Message;
using protocol::MessageKind;
using transport::ExchangeId;

void Session::on_message(ExchangeId ex, std::string_view text, std::uint64_t now_ms) {
  if (on_answer_text(text)) return;
  auto m = protocol::parse_message(text, config_.json_limits);
  if (!m.ok()) {
    fail_exchange(ex, m.take_error());
    return;
  }
  switch (m->kind) {
    case MessageKind::response:
    case MessageKind::error:
      on_answer(*m);
      break;
    case MessageKind::notification:
      on_notification(std::move(*m), now_ms);
      break;
    case MessageKind::request:
      on_server_request(*m);
      break;
  }
}

Session::Op* Session::take_answered(std::int64_t rpc_id, OpId& id) {
  auto p = pending_rpc_.find(rpc_id);
  if (p == pending_rpc_.end()) return nullptr;  // duplicate or late answer: already settled
  id = p->second;
  pending_rpc_.erase(p);
  auto it = ops_.find(id);
  if (it == ops_.end()) return nullptr;
  Op& op = it->second;
  if (op.exchange) {
    // The answer arrived: the exchange no longer owns the operation.
    if (auto e = exchanges_.find(*op.exchange); e != exchanges_.end()) e->second.op = 0;
    op.exchange.reset();
  }
  return &op;
}

bool Session::answer_envelope(const schema::Tape& tape, std::int64_t& rpc_id, std::uint32_t& result) {
  using schema::NodeKind;
  const auto& nodes = tape.nodes;
  const auto member = [&](std::string_view key) { return schema::find_member_node(tape, 0, key); };
  const std::uint32_t version = member("jsonrpc"), id_node = member("id");
  result = member("result");
  if (!version || nodes[version].kind != NodeKind::string || tape.str(nodes[version]) != "2.0") return false;
  if (!id_node || nodes[id_node].kind != NodeKind::integer || nodes[id_node].flag || !result) return false;
  if (member("method") || member("error")) return false;
  rpc_id = nodes[id_node].i;
  return true;
}

bool Session::on_answer_text(std::string_view text) {
  const auto reads_text = [](const Op& op) {
    return op.kind == OpKind::list_all || (op.kind == OpKind::request && !op.internal);
  };
  if (std::none_of(ops_.begin(), ops_.end(), [&](const auto& o) { return reads_text(o.second); })) return false;
  if (answer_from_memo(text)) return true;
  // One pass of the scanner checks the whole message (syntax and limits,
  // exactly as parse_message would) and gives the members without a DOM.
  schema::Tape tape;
  schema::reserve_nodes(tape, text.size());
  if (!schema::scan_tape_from_text(text, config_.json_limits, tape).ok()) return false;
  using schema::NodeKind;
  const auto& nodes = tape.nodes;
  std::int64_t rpc_id = 0;
  std::uint32_t result = 0;
  if (!answer_envelope(tape, rpc_id, result)) return false;  // parse_message decides
  auto p = pending_rpc_.find(rpc_id);
  if (p == pending_rpc_.end()) return false;
  auto it = ops_.find(p->second);
  if (it == ops_.end() || !reads_text(it->second)) return false;
  const bool list = it->second.kind == OpKind::list_all;
  if (!list && nodes[result].kind != NodeKind::object) return false;  // not a result of any MCP method
  if (modern_) {
    const std::uint32_t type = schema::find_member_node(tape, result, "resultType");
    if (type && nodes[type].kind == NodeKind::string && tape.str(nodes[type]) != "complete") return false;
  }
  OpId id = 0;
  Op* op = take_answered(rpc_id, id);
  if (!op) return true;
  const ScannedResult scanned{&tape, result, text};
  if (list) {
    on_list_page(id, *op, scanned);
  } else {
    settle(id, json(json::value_t::discarded), scanned.result_text(), &scanned);
  }
  return true;
}

void Session::on_answer(Message& m) {
  if (!m.id.is_number_integer()) return;  // not an id this client sent
  OpId id = 0;
  Op* answered = take_answered(m.id.get<std::int64_t>(), id);
  if (!answered) return;
  Op& op = *answered;
  Result<json> answer = m.kind == MessageKind::response
                            ? Result<json>(std::move(m.result))
                            : Result<json>(Error(RPC_ERROR, m.error.message,
                                                 dump_json(json{{"code", m.error.code},
                                                                {"data", m.error.has_data() ? m.error.data : json()}})));
  if (op.kind == OpKind::connect) {
    if (op.method == "server/discover") {
      on_discover_answer(id, std::move(answer), 200);
    } else {
      on_initialize_answer(id, std::move(answer));
    }
  } else if (modern_ && answer.ok() && protocol::result_type(*answer) != "complete") {
    if (!on_input_required(id, op, *answer)) {
      settle(id, Error(protocol::PROTOCOL_INVALID_RESULT,
                       "unexpected resultType \"" + std::string(protocol::result_type(*answer)) + "\""));
    }
  } else if (op.kind == OpKind::list_all && answer.ok()) {
    on_list_page_text(id, op, dump_json(*answer));
  } else {
    settle(id, std::move(answer));
  }
}

void Session::on_initialize_answer(OpId id, Result<json> answer) {
  if (!answer.ok()) {
    state_ = State::failed;
    settle(id, answer.take_error());
    return;
  }
  auto init = protocol::parse_initialize_result(*answer);
  if (!init.ok()) {
    state_ = State::failed;
    settle(id, init.take_error());
    return;
  }
  protocol_version_ = init->protocol_version;
  list_memos_.clear();  // their verdicts were for the revision before
  server_info_ = init->server_info;
  server_capabilities_ = init->capabilities;
  initialize_result_ = std::move(init->raw);
  ops_[id].exchange = send(Purpose::initialized, id, "POST",
                           protocol::build_notification("notifications/initialized", nullptr));
}

void Session::on_list_page_text(OpId id, Op& op, std::string_view result_text) {
  schema::Tape tape;
  schema::reserve_nodes(tape, result_text.size());
  if (Status read = schema::scan_tape_from_text(result_text, config_.json_limits, tape); !read) {
    settle(id, read.take_error());
    return;
  }
  on_list_page(id, op, ScannedResult{&tape, 0, result_text});
}

void Session::on_list_page(OpId id, Op& op, const ScannedResult& res) {
  const schema::Tape& tape = *res.tape;
  const std::uint32_t page = schema::find_member_node(tape, res.node, op.items_key);
  if (!page || tape.nodes[page].kind != schema::NodeKind::array) {
    settle(id, Error(protocol::PROTOCOL_INVALID_RESULT, op.method + " result has no \"" + op.items_key + "\" array"));
    return;
  }
  const std::uint32_t page_end = tape.nodes[page].end;
  // Filled only where tools can be left out: spec 2026-07-28 (SEP-2243), a
  // tool with invalid x-mcp-header annotations is not offered; the others keep working.
  std::vector<bool> offered;
  bool dropped = false;
  if (modern_ && op.method == "tools/list") {
    for (std::uint32_t c = page + 1; c < page_end; c = tape.nodes[c].end) {
      offered.push_back(offer_tool(res, c));
      dropped = dropped || !offered.back();
    }
  }
  const std::uint32_t cursor_node = schema::find_member_node(tape, res.node, "nextCursor");
  std::optional<std::string> cursor;
  if (cursor_node && tape.nodes[cursor_node].kind == schema::NodeKind::string) {
    cursor = std::string(tape.str(tape.nodes[cursor_node]));
  }
  const bool last = !cursor || cursor->empty();
  const std::string_view result = res.result_text();
  if (last && op.pages == 0 && !dropped) {
    // One page, as the server sent it: its text goes on as it came (no copy
    // of the items, no re-serialising for validation or for the host).
    ++op.pages;
    ScannedResult whole = res;
    whole.whole_page = true;
    settle(id, json(json::value_t::discarded), result, &whole);
    return;
  }
  std::size_t k = 0;
  for (std::uint32_t c = page + 1; c < page_end; c = tape.nodes[c].end, ++k) {
    if (!offered.empty() && !offered[k]) continue;
    if (!op.items_text.empty()) op.items_text.push_back(',');
    op.items_text += schema::node_text(tape, c, res.text);
  }
  ++op.pages;
  if (last) {
    // The last page's result with every page's items in its array.
    const std::string_view items = schema::container_text(res.text, tape.nodes[page]);
    const std::size_t at = static_cast<std::size_t>(items.data() - result.data());
    std::string whole;
    whole.reserve(result.size() - items.size() + op.items_text.size() + 2);
    whole.append(result.substr(0, at)).append("[").append(op.items_text).append("]").append(result.substr(at + items.size()));
    op.items_text.clear();
    schema::Tape joined;
    schema::reserve_nodes(joined, whole.size());
    if (Status read = schema::scan_tape_from_text(whole, config_.json_limits, joined); !read) {
      settle(id, read.take_error());  // e.g. the pages together exceed the size limit
      return;
    }
    const ScannedResult all{&joined, 0, whole};
    settle(id, json(json::value_t::discarded), whole, &all);
    return;
  }
  if (!op.cursors.insert(*cursor).second) {
    settle(id, Error(protocol::PROTOCOL_INVALID_RESULT, op.method + " repeated a cursor: the pages loop"));
    return;
  }
  if (op.pages >= config_.max_list_pages) {
    settle(id, Error(LIMIT_EXCEEDED, op.method + " has more than " + std::to_string(config_.max_list_pages) + " pages"));
    return;
  }
  json params = op.params.is_object() ? op.params : json::object();
  params["cursor"] = *cursor;
  start_rpc(id, op, params);
}

bool Session::offer_tool(const ScannedResult& list, std::uint32_t tool) {
  const schema::Tape& tape = *list.tape;
  const std::uint32_t name = schema::find_member_node(tape, tool, "name");
  if (!name || tape.nodes[name].kind != schema::NodeKind::string) return false;
  protocol::ToolHeaders headers;
  // Annotations need the DOM; a tool whose text cannot name one (not even
  // through a \u escape) has none.
  const std::string_view text = schema::container_text(list.text, tape.nodes[tool]);
  if (text.find("x-mcp-header") != std::string_view::npos || text.find("\\u") != std::string_view::npos) {
    auto dom = parse_ordered_json(text, config_.json_limits);
    if (!dom.ok()) return false;
    auto parsed = protocol::parse_tool_headers(*dom);
    if (!parsed) return false;
    headers = std::move(*parsed);
  }
  tool_headers_[std::string(tape.str(tape.nodes[name]))] = std::move(headers);
  return true;
}

}  // namespace mcpw::client
