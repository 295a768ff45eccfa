#include "schema/tape.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

namespace mcpw::schema {
namespace {

// Appends nodes as SAX events arrive; open containers are a heap stack, so
// nesting depth costs no C++ stack (the limit is checked before descending).
class TapeBuilder {
 public:
  TapeBuilder(Tape& tape, const JsonLimits& limits) : t_(tape), limits_(limits) {}

  bool null() { return leaf(NodeKind::null); }
  bool boolean(bool v) {
    TapeNode& n = push(NodeKind::boolean);
    n.flag = v;
    return true;
  }
  bool number_integer(json::number_integer_t v) { return integer(v); }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v <= static_cast<std::uint64_t>(INT64_MAX)) return integer(static_cast<std::int64_t>(v));
    push(NodeKind::number).num = static_cast<double>(v);
    return true;
  }
  bool number_float(json::number_float_t v, const json::string_t& /*text*/) {
    push(NodeKind::number).num = v;
    return true;
  }
  bool string(json::string_t& s) {
    if (!check_string(s)) return false;
    const auto off = static_cast<std::uint32_t>(t_.arena.size());
    t_.arena.append(s);
    TapeNode& n = push(NodeKind::string);
    n.str_off = off;
    n.count = static_cast<std::uint32_t>(s.size());
    return true;
  }
  bool binary(json::binary_t& /*v*/) { return false; }  // never produced from text
  bool start_object(std::size_t /*n*/) { return open(NodeKind::object); }
  bool key(json::string_t& k) {
    if (!check_string(k)) return false;
    key_off_ = static_cast<std::uint32_t>(t_.arena.size());
    key_len_ = static_cast<std::uint32_t>(k.size());
    t_.arena.append(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*n*/) { return open(NodeKind::array); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t pos, const std::string& /*token*/, const nlohmann::detail::exception& ex) {
    if (!error_) error_.emplace(JSON_SYNTAX, "JSON syntax error at byte " + std::to_string(pos) + ": " + ex.what());
    return false;
  }
  std::optional<Error>& error() { return error_; }

 private:
  TapeNode& push(NodeKind kind) {
    if (!open_.empty()) ++t_.nodes[open_.back()].count;
    TapeNode& n = t_.nodes.emplace_back(TapeNode{});
    n.kind = kind;
    if (!open_.empty() && t_.nodes[open_.back()].kind == NodeKind::object) {
      n.key_off = key_off_;
      n.key_len = key_len_;
    }
    n.end = static_cast<std::uint32_t>(t_.nodes.size());
    return n;
  }
  bool leaf(NodeKind kind) {
    push(kind);
    return true;
  }
  bool integer(std::int64_t v) {
    TapeNode& n = push(NodeKind::integer);
    n.i = v;
    n.num = static_cast<double>(v);
    return true;
  }
  bool open(NodeKind kind) {
    if (open_.size() + 1 > limits_.max_depth) {
      error_.emplace(JSON_TOO_DEEP, "JSON nesting deeper than " + std::to_string(limits_.max_depth));
      return false;
    }
    push(kind);
    open_.push_back(static_cast<std::uint32_t>(t_.nodes.size() - 1));
    return true;
  }
  bool close() {
    const std::uint32_t obj = open_.back();
    t_.nodes[obj].end = static_cast<std::uint32_t>(t_.nodes.size());
    if (t_.nodes[obj].kind == NodeKind::object) drop_duplicate_members(t_, obj);
    open_.pop_back();
    return true;
  }
  bool check_string(const std::string& s) {
    if (s.size() > limits_.max_string) {
      error_.emplace(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits_.max_string) + " bytes");
      return false;
    }
    return true;
  }

  Tape& t_;
  const JsonLimits& limits_;
  std::vector<std::uint32_t> open_;
  std::uint32_t key_off_ = 0, key_len_ = 0;
  std::optional<Error> error_;
};

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

bool is_num(const TapeNode& n) { return n.kind == NodeKind::integer || n.kind == NodeKind::number; }

}  // namespace

Status build_tape_from_text(std::string_view text, const JsonLimits& limits, Tape& tape) {
  tape.clear();
  if (text.size() > limits.max_bytes) {
    return Error(JSON_TOO_LARGE, "JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  tape.nodes.reserve(text.size() / 8 + 4);
  tape.arena.reserve(text.size() / 2 + 16);
  TapeBuilder builder(tape, limits);
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder);
  if (builder.error()) return std::move(*builder.error());
  if (!ok || tape.nodes.empty()) return Error(JSON_SYNTAX, "JSON syntax error");
  return {};
}

Status build_tape_from_json(const json& value, std::size_t max_depth, Tape& tape) {
  tape.clear();
  // Each frame: the container being copied, its node index and the next child.
  struct Frame {
    const json* v;
    std::uint32_t node;
    json::const_iterator it;
  };
  std::vector<Frame> stack;
  auto emit = [&](const json& v, std::string_view key, bool keyed) -> bool {
    TapeNode n{};
    if (keyed) {
      n.key_off = static_cast<std::uint32_t>(tape.arena.size());
      n.key_len = static_cast<std::uint32_t>(key.size());
      tape.arena.append(key);
    }
    if (!stack.empty()) ++tape.nodes[stack.back().node].count;
    switch (v.type()) {
      case json::value_t::boolean: n.kind = NodeKind::boolean; n.flag = v.get<bool>(); break;
      case json::value_t::number_integer:
        n.kind = NodeKind::integer; n.i = v.get<std::int64_t>(); n.num = static_cast<double>(n.i); break;
      case json::value_t::number_unsigned: {
        const auto u = v.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) {
          n.kind = NodeKind::integer; n.i = static_cast<std::int64_t>(u);
        } else {
          n.kind = NodeKind::number;
        }
        n.num = static_cast<double>(u);
        break;
      }
      case json::value_t::number_float: n.kind = NodeKind::number; n.num = v.get<double>(); break;
      case json::value_t::string: {
        const auto& s = v.get_ref<const std::string&>();
        n.kind = NodeKind::string;
        n.str_off = static_cast<std::uint32_t>(tape.arena.size());
        n.count = static_cast<std::uint32_t>(s.size());
        tape.arena.append(s);
        break;
      }
      case json::value_t::array: n.kind = NodeKind::array; break;
      case json::value_t::object: n.kind = NodeKind::object; break;
      default: n.kind = NodeKind::null; break;
    }
    tape.nodes.push_back(n);
    tape.nodes.back().end = static_cast<std::uint32_t>(tape.nodes.size());
    if (v.is_array() || v.is_object()) {
      if (stack.size() + 1 > max_depth) return false;
      stack.push_back({&v, static_cast<std::uint32_t>(tape.nodes.size() - 1), v.begin()});
    }
    return true;
  };
  const auto too_deep = [&] { return Error(JSON_TOO_DEEP, "JSON nesting deeper than " + std::to_string(max_depth)); };
  if (!emit(value, {}, false)) return too_deep();
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.it == f.v->end()) {
      tape.nodes[f.node].end = static_cast<std::uint32_t>(tape.nodes.size());
      stack.pop_back();
      continue;
    }
    const bool keyed = f.v->is_object();
    const json& child = *f.it;
    std::string_view key = keyed ? std::string_view(f.it.key()) : std::string_view();
    ++f.it;  // before emit: emit may grow the stack and move `f`
    if (!emit(child, key, keyed)) return too_deep();
  }
  return {};
}

namespace {

// Small objects (the usual case): any repeated name? No allocation.
bool small_object_has_duplicates(const Tape& t, std::uint32_t obj) {
  std::string_view keys[16];
  std::size_t n = 0;
  for (std::uint32_t c = obj + 1; c < t.nodes[obj].end; c = t.nodes[c].end) {
    const std::string_view k = t.key(t.nodes[c]);
    for (std::size_t j = 0; j < n; ++j) {
      if (keys[j].size() == k.size() && !k.empty() && keys[j][0] == k[0] && keys[j] == k) return true;
    }
    keys[n++] = k;
  }
  return false;
}

}  // namespace

void drop_duplicate_members(Tape& t, std::uint32_t obj) {
  const std::uint32_t count = t.nodes[obj].count;
  if (count < 2) return;
  if (count <= 16 && !small_object_has_duplicates(t, obj)) return;
  std::vector<std::uint32_t> members;
  members.reserve(count);
  for (std::uint32_t c = obj + 1; c < t.nodes[obj].end; c = t.nodes[c].end) members.push_back(c);
  std::vector<bool> drop(members.size(), false);
  bool any = false;
  if (members.size() <= 16) {
    for (std::size_t i = 0; i < members.size(); ++i) {
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        if (t.key(t.nodes[members[i]]) == t.key(t.nodes[members[j]])) {
          drop[i] = any = true;
          break;
        }
      }
    }
  } else {
    std::unordered_map<std::string_view, std::size_t> last;
    last.reserve(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      auto [it, inserted] = last.emplace(t.key(t.nodes[members[i]]), i);
      if (!inserted) {
        drop[it->second] = any = true;
        it->second = i;
      }
    }
  }
  if (!any) return;
  // Compact: the object is the tape's last subtree, so only its own nodes move.
  std::uint32_t w = obj + 1, kept = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::uint32_t m = members[i], m_end = t.nodes[m].end;
    if (drop[i]) continue;
    ++kept;
    const std::uint32_t shift = m - w;
    for (std::uint32_t k = m; k < m_end; ++k) {
      TapeNode n = t.nodes[k];
      n.end -= shift;
      t.nodes[w + (k - m)] = n;
    }
    w += m_end - m;
  }
  t.nodes.resize(w);
  t.nodes[obj].end = w;
  t.nodes[obj].count = kept;
}

std::string node_text(const Tape& tape, std::uint32_t i, std::string_view text) {
  const TapeNode& n = tape.nodes[i];
  switch (n.kind) {
    case NodeKind::object:
    case NodeKind::array:
      return std::string(container_text(text, n));
    case NodeKind::string:
      return dump_json(json(std::string(tape.str(n))));
    case NodeKind::integer:
      return n.flag ? std::to_string(static_cast<std::uint64_t>(n.i)) : std::to_string(n.i);
    case NodeKind::number:
      return dump_json(json(n.num));
    case NodeKind::boolean:
      return n.flag ? "true" : "false";
    default:
      return "null";
  }
}

std::uint32_t find_member_node(const Tape& tape, std::uint32_t obj, std::string_view key) {
  if (obj >= tape.nodes.size() || tape.nodes[obj].kind != NodeKind::object) return 0;
  std::uint32_t found = 0;
  for (std::uint32_t c = obj + 1; c < tape.nodes[obj].end; c = tape.nodes[c].end) {
    if (tape.key(tape.nodes[c]) == key) found = c;
  }
  return found;
}

bool tape_equal(const Tape& a, std::uint32_t ai, const Tape& b, std::uint32_t bi) {
  const TapeNode& x = a.nodes[ai];
  const TapeNode& y = b.nodes[bi];
  if (is_num(x) && is_num(y)) {
    if (x.kind == NodeKind::integer && y.kind == NodeKind::integer) return x.i == y.i;
    return x.num == y.num;
  }
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case NodeKind::null: return true;
    case NodeKind::boolean: return x.flag == y.flag;
    case NodeKind::string: return a.str(x) == b.str(y);
    case NodeKind::array: {
      if (x.count != y.count) return false;
      for (std::uint32_t i = ai + 1, j = bi + 1; i < x.end; i = a.nodes[i].end, j = b.nodes[j].end) {
        if (!tape_equal(a, i, b, j)) return false;  // depth bounded by the tapes' depth limits
      }
      return true;
    }
    case NodeKind::object: {
      if (x.count != y.count) return false;
      for (std::uint32_t i = ai + 1; i < x.end; i = a.nodes[i].end) {
        const std::string_view k = a.key(a.nodes[i]);
        bool found = false;
        for (std::uint32_t j = bi + 1; j < y.end; j = b.nodes[j].end) {
          if (b.key(b.nodes[j]) == k) {
            if (!tape_equal(a, i, b, j)) return false;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default: return false;
  }
}

std::uint64_t tape_hash(const Tape& t, std::uint32_t i) {
  const TapeNode& n = t.nodes[i];
  switch (n.kind) {
    case NodeKind::null: return 1;
    case NodeKind::boolean: return n.flag ? 3 : 2;
    case NodeKind::integer:
    case NodeKind::number: {
      double d = n.num;
      if (d == 0) d = 0;  // -0 == 0
      std::uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return mix(4, bits);
    }
    case NodeKind::string: return mix(5, hash_bytes(t.str(n)));
    case NodeKind::array: {
      std::uint64_t h = 6;
      for (std::uint32_t c = i + 1; c < n.end; c = t.nodes[c].end) h = mix(h, tape_hash(t, c));
      return h;
    }
    case NodeKind::object: {
      std::uint64_t h = 0;  // order-independent: sum of member hashes
      for (std::uint32_t c = i + 1; c < n.end; c = t.nodes[c].end) {
        h += mix(hash_bytes(t.key(t.nodes[c])), tape_hash(t, c));
      }
      return mix(7, h);
    }
  }
  return 0;
}

}  // namespace mcpw::schema
