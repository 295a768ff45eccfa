#pragma once
// The evaluator's state (internal): evaluate.cpp holds the walk and the
// in-place applicators, evaluate_ops.cpp the assertions and the object and
// array applicators.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "schema/evaluate.h"
#include "schema/uri.h"

namespace mcpw::schema::detail {

// Evaluated members (by ordinal) and items of the current instance location.
struct Annot {
  std::vector<std::uint64_t> props, items;
  std::uint32_t items_upto = 0;
  bool items_all = false;

  static void set(std::vector<std::uint64_t>& bits, std::uint32_t i) {
    if (bits.size() <= i / 64) bits.resize(i / 64 + 1, 0);
    bits[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  static bool get(const std::vector<std::uint64_t>& bits, std::uint32_t i) {
    return i / 64 < bits.size() && ((bits[i / 64] >> (i % 64)) & 1u);
  }
  void merge(const Annot& o) {
    if (props.size() < o.props.size()) props.resize(o.props.size(), 0);
    for (std::size_t i = 0; i < o.props.size(); ++i) props[i] |= o.props[i];
    if (items.size() < o.items.size()) items.resize(o.items.size(), 0);
    for (std::size_t i = 0; i < o.items.size(); ++i) items[i] |= o.items[i];
    items_upto = std::max(items_upto, o.items_upto);
    items_all = items_all || o.items_all;
  }
};

// The dynamic scope: usually a few resources deep, so the first entries live
// inline (no allocation per validation); deeper scopes spill to the heap.
class ScopeStack {
 public:
  bool empty() const { return n_ == 0; }
  std::uint32_t back() const { return n_ <= INLINE ? inline_[n_ - 1] : spill_.back(); }
  // The inline part inline, the heap part out of line (push_back was a call
  // on every subschema entered).
  [[gnu::always_inline]] void push_back(std::uint32_t r) {
    if (n_ < INLINE) inline_[n_] = r;
    else spill(r);
    ++n_;
  }
  void pop_back() {
    if (n_ > INLINE) spill_.pop_back();
    --n_;
  }
  /// Outermost first (core §7.1: the dynamic scope's order).
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t k = 0; k < n_ && k < INLINE; ++k) {
      if (f(inline_[k])) return;
    }
    for (std::uint32_t r : spill_) {
      if (f(r)) return;
    }
  }

 private:
  [[gnu::noinline]] void spill(std::uint32_t r) { spill_.push_back(r); }
  static constexpr std::size_t INLINE = 16;
  std::uint32_t inline_[INLINE];  // read only below n_: no zeroing per evaluation
  std::vector<std::uint32_t> spill_;
  std::size_t n_ = 0;
};

inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

inline const char* kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::null: return "null";
    case NodeKind::boolean: return "boolean";
    case NodeKind::integer: return "integer";
    case NodeKind::number: return "number";
    case NodeKind::string: return "string";
    case NodeKind::array: return "array";
    case NodeKind::object: return "object";
  }
  return "?";
}

inline std::string num_text(double d) {
  json j = d;
  if (std::floor(d) == d && std::fabs(d) < 1e15) j = static_cast<std::int64_t>(d);
  return dump_json(j);
}

// The `type` keyword's test: `mask` has a bit per NodeKind, and bit 7 for
// "integer", which a number with no fraction also is (validation §6.1.1).
inline bool type_holds(std::uint32_t mask, const TapeNode& n) {
  if (mask & (1u << static_cast<unsigned>(n.kind))) return true;
  return (mask & (1u << 7)) && n.kind == NodeKind::number && std::isfinite(n.num) && std::floor(n.num) == n.num;
}

class Evaluator {
 public:
  Evaluator(const Program& p, const Tape& t, OutputFormat f, ValidationOutput& out)
      : p_(p), t_(&t), nodes_(t.nodes.data()), schemas_(p.schemas.data()), instrs_(p.instrs.data()),
        edges_(p.edges.data()), prop_slots_(p.prop_slots.data()), props_(p.props.data()),
        prop_names_(p.prop_names.data()), arena_end_(t.arena.data() + t.arena.size()),
        basic_(f == OutputFormat::basic), out_(out) {}

  /// Validates the value at tape node `root` (0: the whole document).
  Status run(std::uint32_t root = 0) {
    retape();
    stack_base_ = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    // Work grows with the instance: the budget does too, so only a schema
    // that fans out (not a large document) can exhaust it.
    step_budget_ = p_.limits.max_eval_steps + 64 * t_->nodes.size();
    out_.valid = eval(p_.root, root, nullptr);
    if (fatal_) return std::move(*fatal_);
    if (out_.valid) out_.errors.clear();
    return {};
  }

  /// MemberProbe's check, verdict only: the root members (of the object at
  /// node 0, while the tape is being filled) from node `first` up to `end`
  /// against the root schema's object_props `in` alone, as run() judges them
  /// there (same dynamic scope and nesting); `at` takes the first that does
  /// not hold. `unknown` when the evaluation ran out of a budget (run() then
  /// reports it).
  MemberProbe::Verdict members_verdict(const Instr& in, std::uint32_t first, std::uint32_t end, std::uint32_t& at);

  /// The root object's members at nodes before `node` held members_verdict:
  /// run() goes on from there (0: from the first member).
  void skip_members_before(std::uint32_t node) { skip_end_ = node; }

 private:
  const TapeNode& node(std::uint32_t i) const { return nodes_[i]; }
  // The tape's buffers again: a tape being filled may have moved them.
  void retape() {
    nodes_ = t_->nodes.data();
    arena_end_ = t_->arena.data() + t_->arena.size();
  }
  bool stop() const { return fatal_.has_value(); }

  // Records an error (basic output only); the message is built out of line
  // so the hot path keeps small stack frames.
  [[gnu::noinline, gnu::cold]] void fail(const Instr& in, std::uint32_t inst, std::uint32_t x = 0, std::uint32_t y = 0);
  std::string describe(const Instr& in, std::uint32_t inst, std::uint32_t x, std::uint32_t y) const;
  [[gnu::noinline, gnu::cold]] void out_of_budget(const ErrorId& id) {
    if (fatal_) return;
    if (id == SCHEMA_EVAL_BUDGET) {
      fatal_.emplace(id, "validation needed more than its budget of " + std::to_string(step_budget_) +
                             " steps (subschema evaluations and pattern work)");
    } else {
      fatal_.emplace(id, "evaluation nested deeper than " + std::to_string(p_.limits.max_eval_depth) +
                             " subschemas or " + std::to_string(p_.limits.max_eval_stack_bytes) +
                             " bytes of stack (a reference cycle?)");
    }
  }

  bool eval(std::uint32_t schema, std::uint32_t inst, Annot* annot) {
    // Two bounds: nesting count, and stack bytes actually used (frame sizes
    // differ between builds: sanitizers, Wasm, optimisation).
    const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    const std::uintptr_t used = stack_base_ > here ? stack_base_ - here : here - stack_base_;
    if (++steps_ > step_budget_) {
      out_of_budget(SCHEMA_EVAL_BUDGET);
      return false;
    }
    if (++depth_ > p_.limits.max_eval_depth || used > p_.limits.max_eval_stack_bytes) {
      out_of_budget(SCHEMA_EVAL_DEPTH);
      --depth_;
      return false;
    }
    const SchemaNode& n = schemas_[schema];
    const bool push_scope = scope_.empty() || scope_.back() != n.resource;
    if (push_scope) scope_.push_back(n.resource);
    std::optional<Annot> local;
    Annot* a = annot;
    if (n.has_unevaluated) a = &local.emplace();
    bool ok = true;
    for (std::uint32_t k = n.first, end = n.first + n.count; k < end; ++k) {
      if (!exec(instrs_[k], inst, a)) {
        ok = false;
        if (!basic_ || stop()) break;
      }
    }
    if (ok && local && annot) annot->merge(*local);
    if (push_scope) scope_.pop_back();
    --depth_;
    return ok && !stop();
  }

  // Same instance location, through one keyword.
  bool apply(const Edge& e, std::uint32_t inst, Annot* annot) {
    if (basic_) kw_path_.push_back(e.frag);
    const bool ok = eval(e.schema, inst, annot);
    if (basic_) kw_path_.pop_back();
    return ok;
  }

  // A member or item: its own location, no annotations shared upward.
  bool apply_child(const Edge& e, std::uint32_t child, std::uint32_t parent, std::uint32_t ordinal) {
    // A leaf subschema that holds needs no evaluation (nothing to record:
    // children share no annotations); one that fails is evaluated for its
    // error as any other.
    if (const SchemaNode& target = schemas_[e.schema]; target.leaf != Leaf::none) {
      if (target.leaf == Leaf::any) return true;
      if (target.leaf == Leaf::types) {
        if (type_holds(target.leaf_types, node(child))) return true;
      } else if (target.leaf == Leaf::format) {
        const TapeNode& n = node(child);
        if (type_holds(target.leaf_types, n) &&
            (n.kind != NodeKind::string || check_format(target.leaf_format, t_->str(n)))) {
          return true;
        }
        if (!basic_) return false;
      } else if (!basic_) {
        return assertions_hold(target, child);
      }
    }
    if (basic_) {
      std::string seg;
      if (node(parent).kind == NodeKind::object) {
        append_pointer_token(seg, t_->key(node(child)));
      } else {
        seg = "/" + std::to_string(ordinal);
      }
      inst_path_.push_back(std::move(seg));
    }
    const bool ok = apply(e, child, nullptr);
    if (basic_) inst_path_.pop_back();
    return ok;
  }

  std::optional<std::uint32_t> member(std::uint32_t obj, std::string_view name) const {
    const TapeNode& o = node(obj);
    for (std::uint32_t c = obj + 1; c < o.end; c = node(c).end) {
      if (equal_bytes(t_->key(node(c)), name)) return c;
    }
    return std::nullopt;
  }

  // An object_props instruction's property table, its fields read once
  // (props_verdict keeps it in locals across its calls into subschemas).
  struct PropTable {
    const std::uint32_t* slots;
    const PropEntry* props;
    const char* names;
    const char* arena_end;  // the instance's string bytes end here
    std::uint32_t mask;
    bool by_hash;

    // The index of the property named by the n bytes at k (in the
    // instruction's run of Program::props), or NONE.
    [[gnu::always_inline]] std::uint32_t find(const char* k, std::size_t n) const {
      if (!by_hash) return NONE;
      // Word reads need 8 readable bytes from the name: true of every name
      // in the arena but the last few bytes' (those take the byte loop).
      const bool words = n >= 8 || arena_end - k >= 8;
      const std::uint64_t h = words ? hash_name_padded(k, n) : hash_name(std::string_view(k, n));
      for (std::uint32_t slot = static_cast<std::uint32_t>(h) & mask;; slot = (slot + 1) & mask) {
        const std::uint32_t v = slots[slot];
        if (v == 0) return NONE;
        const PropEntry& pe = props[v - 1];
        if (pe.hash != h || pe.name_len != n) continue;
        const char* name = names + pe.name_off;
        if (words ? names_equal_padded(name, k, n) : equal_bytes(std::string_view(name, n), std::string_view(k, n))) {
          return v - 1;
        }
      }
    }
  };
  PropTable prop_table(const Instr& in) const {
    return {prop_slots_ + in.f, props_ + in.a, prop_names_, arena_end_,
            (1u << ((in.flags >> 1) & PROPS_BITS_MASK)) - 1, (in.flags & PROPS_BY_HASH) != 0};
  }

  // The index of the property of object_props `in` named `key` (in its run
  // of Program::props), or NONE.
  [[gnu::always_inline]] std::uint32_t find_prop(const Instr& in, std::string_view key) const {
    return prop_table(in).find(key.data(), key.size());
  }

  bool search(std::uint32_t pattern, std::string_view s) {
    // Matching is linear in the subject: charge it to the step budget, so many
    // members times many patterns cannot run unbounded.
    steps_ += 1 + s.size() / 8;
    if (steps_ > step_budget_) {
      out_of_budget(SCHEMA_EVAL_BUDGET);
      return false;
    }
    auto r = p_.patterns[pattern].search(s);
    if (!r) {
      if (!fatal_) fatal_.emplace(r.take_error());
      return false;
    }
    return r.value();
  }

  [[gnu::always_inline]] bool exec(const Instr& in, std::uint32_t inst, Annot* annot);
  // A Leaf::assertions or Leaf::shallow subschema's verdict, counted as one
  // step like eval() (no depth check: a shallow one's subschemas apply none).
  [[gnu::noinline]] bool assertions_hold(const SchemaNode& target, std::uint32_t inst);
  [[gnu::noinline]] bool exec_content(const Instr& in, std::uint32_t inst);
  [[gnu::noinline]] bool property_names(const Instr& in, std::uint32_t inst);
  bool exec_object(const Instr& in, std::uint32_t inst, Annot* annot);
  bool props_verdict(const Instr& in, std::uint32_t inst);
  bool exec_array(const Instr& in, std::uint32_t inst, Annot* annot);
  bool exec_in_place(const Instr& in, std::uint32_t inst, Annot* annot);
  bool unique(std::uint32_t inst);

  const Program& p_;
  const Tape* t_;
  // Raw pointers to the hot arrays: in Wasm each level of indirection through
  // a member is a load from linear memory.
  const TapeNode* nodes_;
  const SchemaNode* schemas_;
  const Instr* instrs_;
  const Edge* edges_;
  const std::uint32_t* prop_slots_;
  const PropEntry* props_;
  const char* prop_names_;
  const char* arena_end_;  // the instance's string bytes end here
  bool basic_;
  ValidationOutput& out_;
  std::optional<Error> fatal_;
  std::size_t depth_ = 0;
  std::size_t steps_ = 0;
  std::size_t step_budget_ = 0;
  std::uintptr_t stack_base_ = 0;
  std::uint32_t skip_end_ = 0;           // skip_members_before
  std::uint32_t skip_required_ = 0;      // required properties among the members members_verdict passed
  ScopeStack scope_;                     // dynamic scope: resources entered (core §7.1)
  std::vector<std::uint32_t> kw_path_;   // fragment ids
  std::vector<std::string> inst_path_;   // escaped "/token" segments
};

// The probe of a verdict-only scan (MemberProbe): each root member against
// the program's root_props (given to the scanner only when that is set),
// then the whole document by the same evaluator, from the first member not
// judged (all of it when there was no look).
class RootMemberProbe final : public MemberProbe {
 public:
  RootMemberProbe(const Program& p, const Tape& tape) : program_(p), tape_(tape) {}
  Verdict check(const Tape&, std::uint32_t first, std::uint32_t end, std::uint32_t& at) override {
    if (!ev_) ev_.emplace(program_, tape_, OutputFormat::flag, out_);
    return ev_->members_verdict(program_.instrs[program_.root_props], first, end, at);
  }
  // The verdict on the whole document once it is read (and not `failed`).
  Result<bool> verdict() {
    if (!ev_) ev_.emplace(program_, tape_, OutputFormat::flag, out_);
    ev_->skip_members_before(checked_end);
    if (Status st = ev_->run(); !st) return st.take_error();
    return out_.valid;
  }

 private:
  const Program& program_;
  const Tape& tape_;
  ValidationOutput out_;
  std::optional<Evaluator> ev_;  // made at the first look, or for the verdict
};

}  // namespace mcpw::schema::detail
