// The memo of list pages (issue 9). Hosts list tools before every turn of an
// agent, and a server answers with the same bytes until its tools change. A
// one-page list that was read whole, passed its checks and was remembered is
// kept as text; a later answer to a whole-list request of the same method
// whose result is byte-identical is settled from it. Only the envelope around
// the result is scanned ("{}" in the result's place: a value for a value
// keeps the document valid exactly when the original was); the result is not
// scanned, checked or remembered again: same bytes, same verdict, same tools.
// Anything else, including any doubt, takes the full path.
#include <array>

#include "client/session.h"
#include "schema/tape.h"
#include "support/bytes.h"

namespace mcpw::client {

namespace {

// Where the result may stand in `text`: where it stood in its message, or as
// far from the end (an id of another length before it).
std::array<std::size_t, 2> candidates(std::string_view text, std::size_t n, std::size_t prefix, std::size_t suffix) {
  const std::size_t none = text.size();
  const std::size_t from_end = text.size() - n >= suffix ? text.size() - n - suffix : none;
  return {prefix <= text.size() - n ? prefix : none, from_end == prefix ? none : from_end};
}

}  // namespace

bool Session::answer_from_memo(std::string_view text) {
  using schema::NodeKind;
  if (list_memos_.empty() || text.size() > config_.json_limits.max_bytes) return false;
  for (const auto& [method, memo] : list_memos_) {
    const std::size_t n = memo.result.size();
    if (text.size() < n + 2) continue;  // at least "{" and "}" around it
    for (const std::size_t start : candidates(text, n, memo.prefix, memo.suffix)) {
      if (start >= text.size() || !equal_bytes(text.substr(start, n), memo.result)) continue;  // not memcmp: byte by byte in Wasm
      std::string envelope;
      envelope.reserve(text.size() - n + 2);
      envelope.append(text.substr(0, start)).append("{}").append(text.substr(start + n));
      schema::Tape tape;
      if (!schema::scan_tape_from_text(envelope, config_.json_limits, tape).ok()) return false;
      std::int64_t rpc_id = 0;
      std::uint32_t result = 0;
      if (!answer_envelope(tape, rpc_id, result) || tape.nodes[result].kind != NodeKind::object) return false;
      // The result member must be the placeholder itself, not a "{}" elsewhere.
      if (schema::container_text(envelope, tape.nodes[result]).data() != envelope.data() + start) return false;
      auto p = pending_rpc_.find(rpc_id);
      if (p == pending_rpc_.end()) return false;
      auto it = ops_.find(p->second);
      if (it == ops_.end()) return false;
      const Op& op = it->second;
      if (op.kind != OpKind::list_all || op.method != method || op.pages != 0 || op.internal ||
          dump_json(op.params) != memo.params) {
        return false;
      }
      OpId id = 0;
      if (!take_answered(rpc_id, id)) return true;
      ++list_memo_hits_;
      ScannedResult known;
      known.verdict_known = true;
      settle(id, json(json::value_t::discarded), text.substr(start, n), &known);
      return true;
    }
  }
  return false;
}

void Session::memoize_list(const Op& op, const ScannedResult* page, bool clean) {
  if (op.kind != OpKind::list_all) return;
  const bool whole_list = !find_string(op.params, "cursor");
  if (!clean || !whole_list || !page || !page->whole_page) {
    list_memos_.erase(op.method);  // what it remembered may no longer hold
    return;
  }
  const std::string_view result = page->result_text();
  const auto prefix = static_cast<std::size_t>(result.data() - page->text.data());
  if (prefix == 0) {  // a result without its message around it
    list_memos_.erase(op.method);
    return;
  }
  ListMemo& memo = list_memos_[op.method];
  memo.params = dump_json(op.params);
  memo.result.assign(result);
  memo.prefix = prefix;
  memo.suffix = page->text.size() - prefix - result.size();
}

}  // namespace mcpw::client
