// Assertions (2020-12 validation §6) and the object/array applicators
// (core §10.3) of the evaluator.

#include <algorithm>
#include <cstring>

#include "schema/evaluator.h"

namespace mcpw::schema::detail {
namespace {

// RFC 4648 §4 base64, padding required, no whitespace.
std::optional<std::string> decode_base64(std::string_view s) {
  if (s.size() % 4 != 0) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=' && i + 2 >= s.size()) {
      if (i + 1 < s.size() && s[i + 1] != '=') return std::nullopt;
      break;
    } else return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::string Evaluator::describe(const Instr& in, std::uint32_t inst, std::uint32_t x, std::uint32_t y) const {
  const TapeNode& n = node(inst);
  switch (in.op) {
    case Op::fail: return "no value is allowed here (false schema)";
    case Op::type: return std::string("unexpected type ") + kind_name(n.kind);
    case Op::enum_: return "value is not one of the enumerated values";
    case Op::const_: return "value is not the constant";
    case Op::multiple_of: return "not a multiple of " + num_text(in.num);
    case Op::maximum: return "greater than the maximum " + num_text(in.num);
    case Op::exclusive_maximum: return "not less than the exclusive maximum " + num_text(in.num);
    case Op::minimum: return "less than the minimum " + num_text(in.num);
    case Op::exclusive_minimum: return "not greater than the exclusive minimum " + num_text(in.num);
    case Op::max_length: return "longer than " + std::to_string(in.a) + " characters";
    case Op::min_length: return "shorter than " + std::to_string(in.a) + " characters";
    case Op::pattern: return "does not match the pattern";
    case Op::format: return "not a valid \"" + std::string(format_name(static_cast<Format>(in.a))) + "\" string";
    case Op::content: return x == 1 ? "not valid base64" : "not a valid JSON document";
    case Op::max_items: return "more than " + std::to_string(in.a) + " items";
    case Op::min_items: return "fewer than " + std::to_string(in.a) + " items";
    case Op::unique_items: return "items are not unique";
    case Op::max_properties: return "more than " + std::to_string(in.a) + " properties";
    case Op::min_properties: return "fewer than " + std::to_string(in.a) + " properties";
    case Op::required: return "missing required property \"" + p_.strings[x] + "\"";
    case Op::dependent_required:
      return "property \"" + p_.strings[x] + "\" requires property \"" + p_.strings[y] + "\"";
    case Op::contains:
      return std::to_string(x) + " items match \"contains\", expected " +
             (x < in.b ? "at least " + std::to_string(in.b) : "at most " + std::to_string(in.c));
    case Op::any_of: return "value matches none of the \"anyOf\" subschemas";
    case Op::one_of:
      return x == 0 ? "value matches none of the \"oneOf\" subschemas"
                    : "value matches more than one of the \"oneOf\" subschemas";
    case Op::not_: return "value matches the \"not\" subschema";
    default: return "invalid";
  }
}

void Evaluator::fail(const Instr& in, std::uint32_t inst, std::uint32_t x, std::uint32_t y) {
  if (!basic_) return;
  OutputUnit u;
  for (std::uint32_t f : kw_path_) u.keyword_location += p_.strings[f];
  u.keyword_location += p_.strings[in.kw];
  for (const auto& s : inst_path_) u.instance_location += s;
  u.message = describe(in, inst, x, y);
  out_.errors.push_back(std::move(u));
}

bool Evaluator::exec(const Instr& in, std::uint32_t inst, Annot* annot) {
  const TapeNode& n = node(inst);
  const bool is_num = n.kind == NodeKind::integer || n.kind == NodeKind::number;
  switch (in.op) {
    case Op::fail:
      fail(in, inst);
      return false;
    case Op::type:
      if (type_holds(in.a, n)) return true;
      fail(in, inst);
      return false;
    case Op::enum_: {
      const std::uint64_t h = tape_hash(*t_, inst);
      const auto first = p_.constant_hashes.begin() + in.a;
      for (auto it = std::lower_bound(first, first + in.b, h); it != first + in.b && *it == h; ++it) {
        if (tape_equal(*t_, inst, p_.constants[static_cast<std::size_t>(it - p_.constant_hashes.begin())], 0)) {
          return true;
        }
      }
      fail(in, inst);
      return false;
    }
    case Op::const_:
      if (tape_equal(*t_, inst, p_.constants[in.a], 0)) return true;
      fail(in, inst);
      return false;
    case Op::multiple_of: {
      if (!is_num) return true;
      bool ok;
      if (n.kind == NodeKind::integer && std::floor(in.num) == in.num && std::fabs(in.num) < 9.0e18) {
        ok = n.i % static_cast<std::int64_t>(in.num) == 0;
      } else {
        const double q = n.num / in.num;
        ok = std::isfinite(q) ? std::floor(q) == q : std::fmod(n.num, in.num) == 0;
      }
      if (!ok) fail(in, inst);
      return ok;
    }
    case Op::maximum:
      if (!is_num || n.num <= in.num) return true;
      fail(in, inst);
      return false;
    case Op::exclusive_maximum:
      if (!is_num || n.num < in.num) return true;
      fail(in, inst);
      return false;
    case Op::minimum:
      if (!is_num || n.num >= in.num) return true;
      fail(in, inst);
      return false;
    case Op::exclusive_minimum:
      if (!is_num || n.num > in.num) return true;
      fail(in, inst);
      return false;
    // A string of `count` UTF-8 bytes has between count / 4 (rounded up)
    // and count code points: most lengths are decided without reading it.
    case Op::max_length:
      if (n.kind != NodeKind::string || n.count <= in.a ||
          ((n.count + 3) / 4 <= in.a && utf8_length(t_->str(n)) <= in.a)) {
        return true;
      }
      fail(in, inst);
      return false;
    case Op::min_length:
      if (n.kind != NodeKind::string || (n.count >= in.a && ((n.count + 3) / 4 >= in.a || utf8_length(t_->str(n)) >= in.a))) {
        return true;
      }
      fail(in, inst);
      return false;
    case Op::pattern:
      if (n.kind != NodeKind::string || search(in.a, t_->str(n))) return true;
      if (!stop()) fail(in, inst);
      return false;
    case Op::format:
      if (n.kind != NodeKind::string || check_format(static_cast<Format>(in.a), t_->str(n))) return true;
      fail(in, inst);
      return false;
    case Op::content:
      return exec_content(in, inst);
    case Op::max_items:
      if (n.kind != NodeKind::array || n.count <= in.a) return true;
      fail(in, inst);
      return false;
    case Op::min_items:
      if (n.kind != NodeKind::array || n.count >= in.a) return true;
      fail(in, inst);
      return false;
    case Op::unique_items:
      if (n.kind != NodeKind::array || unique(inst)) return true;
      if (!stop()) fail(in, inst);
      return false;
    case Op::max_properties:
      if (n.kind != NodeKind::object || n.count <= in.a) return true;
      fail(in, inst);
      return false;
    case Op::min_properties:
      if (n.kind != NodeKind::object || n.count >= in.a) return true;
      fail(in, inst);
      return false;
    case Op::required: {
      if (n.kind != NodeKind::object || ((in.flags & REQUIRED_BY_PROPS) && !basic_)) return true;
      bool ok = true;
      for (std::uint32_t k = in.a; k < in.a + in.b; ++k) {
        if (!member(inst, p_.strings[p_.names[k]])) {
          ok = false;
          if (!basic_) break;
          fail(in, inst, p_.names[k]);
        }
      }
      return ok;
    }
    case Op::dependent_required: {
      if (n.kind != NodeKind::object) return true;
      bool ok = true;
      for (std::uint32_t d = in.a; d < in.a + in.b && (ok || basic_); ++d) {
        const DepEntry& dep = p_.deps[d];
        if (!member(inst, p_.strings[dep.name])) continue;
        for (std::uint32_t k = dep.first; k < dep.first + dep.count; ++k) {
          if (!member(inst, p_.strings[p_.names[k]])) {
            ok = false;
            fail(in, inst, dep.name, p_.names[k]);
            if (!basic_) break;
          }
        }
      }
      return ok;
    }
    case Op::object_props:
    case Op::property_names:
    case Op::dependent_schemas:
    case Op::unevaluated_properties:
      return exec_object(in, inst, annot);
    case Op::items:
    case Op::contains:
    case Op::unevaluated_items:
      return exec_array(in, inst, annot);
    default:
      return exec_in_place(in, inst, annot);
  }
}

bool Evaluator::assertions_hold(const SchemaNode& target, std::uint32_t inst) {
  if (++steps_ > step_budget_) {
    out_of_budget(SCHEMA_EVAL_BUDGET);
    return false;
  }
  for (std::uint32_t k = target.first, end = target.first + target.count; k < end; ++k) {
    if (!exec(instrs_[k], inst, nullptr)) return false;
  }
  return true;
}

bool Evaluator::exec_content(const Instr& in, std::uint32_t inst) {
  const TapeNode& n = node(inst);
  if (n.kind != NodeKind::string) return true;
  std::string decoded;
  std::string_view text = t_->str(n);
  if (in.a) {
    auto d = decode_base64(text);
    if (!d) {
      fail(in, inst, 1);
      return false;
    }
    decoded = std::move(*d);
    text = decoded;
  }
  if (in.b && !parse_json(text).ok()) {
    fail(in, inst, 2);
    return false;
  }
  return true;
}

bool Evaluator::property_names(const Instr& in, std::uint32_t inst) {
  // Each name is validated as a string instance (core §10.3.2.4): a one-node
  // tape stands in for it.
  const TapeNode& n = node(inst);
  bool ok = true;
  Tape name_tape;
  const Tape* saved = t_;
  for (std::uint32_t c = inst + 1; c < n.end; c = saved->nodes[c].end) {
    name_tape.clear();
    name_tape.arena.assign(saved->key(saved->nodes[c]));
    TapeNode& s = name_tape.nodes.emplace_back(TapeNode{});
    s.kind = NodeKind::string;
    s.count = static_cast<std::uint32_t>(name_tape.arena.size());
    s.end = 1;
    if (basic_) {
      std::string seg;
      append_pointer_token(seg, saved->key(saved->nodes[c]));
      inst_path_.push_back(std::move(seg));
    }
    t_ = &name_tape;
    nodes_ = name_tape.nodes.data();
    const bool r = apply(edges_[in.a], 0, nullptr);
    t_ = saved;
    nodes_ = saved->nodes.data();
    if (basic_) inst_path_.pop_back();
    if (!r) {
      ok = false;
      if (!basic_ || stop()) return false;
    }
  }
  return ok;
}

// object_props for a verdict, with no patternProperties and no annotations
// to record (the usual MCP schema). The loop's state lives in locals: in
// Wasm a member read through `this` or `in` is a load from linear memory,
// redone after every call that could have stored there.
bool Evaluator::props_verdict(const Instr& in, std::uint32_t inst) {
  const TapeNode* const nodes = nodes_;
  const char* const arena = t_->arena.data();
  const PropTable table = prop_table(in);
  const PropEntry* const props = table.props;
  const std::uint32_t end = nodes[inst].end, count = nodes[inst].count;
  const std::uint32_t additional = in.e;
  std::uint32_t required_left = in.g;
  // The root schema's own evaluation of the root object (depth 1) after a
  // MemberProbe: the members it passed are not looked at again (they are
  // named properties, or open to additionalProperties; their required
  // names are counted).
  std::uint32_t first = inst + 1;
  if (depth_ == 1 && skip_end_ > first) {
    first = skip_end_;
    required_left -= std::min(required_left, skip_required_);
  }
  const auto find = [&](std::uint32_t c) __attribute__((always_inline)) {
    return table.find(arena + nodes[c].key_off, nodes[c].key_len);
  };
  // A closed object: a member that no property names fails by its name
  // alone, and a missing required one by the count, before any value is
  // evaluated (the lookups are kept for the values).
  if ((in.flags & PROPS_CLOSED) && count <= 32) {
    std::uint32_t found[32];
    std::uint32_t k = 0;
    for (std::uint32_t c = first; c < end; c = nodes[c].end) {
      const std::uint32_t prop = found[k++] = find(c);
      if (prop == NONE) return false;
      required_left -= props[prop].required && required_left != 0;  // names are distinct; stays safe if not
    }
    if (required_left != 0) return false;
    k = 0;
    for (std::uint32_t c = first; c < end; c = nodes[c].end) {
      if (!apply_child(props[found[k++]].edge, c, inst, 0)) return false;
    }
    return true;
  }
  for (std::uint32_t c = first; c < end; c = nodes[c].end) {
    const std::uint32_t prop = find(c);
    if (prop != NONE) {
      required_left -= props[prop].required && required_left != 0;
      if (!apply_child(props[prop].edge, c, inst, 0)) return false;
    } else if (additional != NONE && !apply_child(edges_[additional], c, inst, 0)) {
      return false;
    }
  }
  return required_left == 0;
}

MemberProbe::Verdict Evaluator::members_verdict(const Instr& in, std::uint32_t first, std::uint32_t end,
                                                std::uint32_t& at) {
  retape();
  step_budget_ = p_.limits.max_eval_steps + 64 * std::size_t{end};
  stack_base_ = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  const TapeNode* const nodes = nodes_;
  const char* const arena = t_->arena.data();
  const PropTable table = prop_table(in);
  for (std::uint32_t c = first; c < end; c = nodes[c].end) {
    at = c;
    const std::uint32_t prop = table.find(arena + nodes[c].key_off, nodes[c].key_len);
    const Edge* edge = prop != NONE ? &table.props[prop].edge : in.e != NONE ? &edges_[in.e] : nullptr;
    if (!edge) {
      if (in.flags & PROPS_CLOSED) return MemberProbe::Verdict::fails;
      continue;
    }
    // A leaf is judged in place (no scope, no nesting); any other subschema
    // is entered from inside the root schema, as run() does at its
    // object_props. One call site: apply_child is inlined where it is called.
    const bool enter = schemas_[edge->schema].leaf == Leaf::none;
    if (enter) {
      depth_ = 1;
      scope_.push_back(schemas_[p_.root].resource);
    }
    const bool ok = apply_child(*edge, c, 0, 0);
    if (enter) {
      scope_.pop_back();
      depth_ = 0;
    }
    if (fatal_) return MemberProbe::Verdict::unknown;
    if (!ok) return MemberProbe::Verdict::fails;
    skip_required_ += prop != NONE && table.props[prop].required;
  }
  at = end;
  return MemberProbe::Verdict::holds;
}

bool Evaluator::exec_object(const Instr& in, std::uint32_t inst, Annot* annot) {
  const TapeNode& n = node(inst);
  if (n.kind != NodeKind::object) return true;
  bool ok = true;
  switch (in.op) {
    case Op::object_props: {
      if (!basic_ && in.d == 0 && !annot) return props_verdict(in, inst);
      // Verdict only, closed object: a member that no property names fails
      // by its name alone, before any value is evaluated (the lookups are
      // kept for the pass that evaluates the values).
      // With REQUIRED_BY_PROPS (in.g > 0), the required members found are
      // counted here for a verdict (the `required` instruction passes).
      std::uint32_t found[32];
      std::uint32_t required_left = basic_ ? 0 : in.g;
      const bool prechecked = !basic_ && (in.flags & PROPS_CLOSED) && n.count <= 32;
      if (prechecked) {
        std::uint32_t k = 0;
        for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end) {
          const std::uint32_t prop = found[k++] = find_prop(in, t_->key(node(c)));
          if (prop == NONE) return false;
          required_left -= props_[in.a + prop].required && required_left != 0;
        }
        if (required_left != 0) return false;
      }
      std::uint32_t ordinal = 0;
      for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end, ++ordinal) {
        const std::string_view key = t_->key(node(c));
        const std::uint32_t prop = prechecked ? found[ordinal] : find_prop(in, key);
        bool matched = prop != NONE;
        if (!prechecked && matched && props_[in.a + prop].required && required_left != 0) --required_left;
        if (matched && !apply_child(props_[in.a + prop].edge, c, inst, ordinal)) ok = false;
        for (std::uint32_t k = in.c; k < in.c + in.d && !stop(); ++k) {
          const PatternEntry& pp = p_.pattern_entries[k];
          if (!search(pp.pattern, key)) continue;
          matched = true;
          if (!apply_child(pp.edge, c, inst, ordinal)) ok = false;
        }
        if (!matched && in.e != NONE) {
          matched = true;
          if (!apply_child(edges_[in.e], c, inst, ordinal)) ok = false;
        }
        if (matched && annot) Annot::set(annot->props, ordinal);
        if ((!ok && !basic_) || stop()) return false;
      }
      return ok && required_left == 0;
    }
    case Op::property_names:
      return property_names(in, inst);
    case Op::dependent_schemas:
      for (std::uint32_t d = in.a; d < in.a + in.b; ++d) {
        const DepEntry& dep = p_.deps[d];
        if (!member(inst, p_.strings[dep.name])) continue;
        if (!apply(dep.edge, inst, annot)) {
          ok = false;
          if (!basic_ || stop()) return false;
        }
      }
      return ok;
    case Op::unevaluated_properties: {
      std::uint32_t ordinal = 0;
      for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end, ++ordinal) {
        if (annot && Annot::get(annot->props, ordinal)) continue;
        if (!apply_child(edges_[in.a], c, inst, ordinal)) {
          ok = false;
          if (!basic_ || stop()) return false;
        } else if (annot) {
          Annot::set(annot->props, ordinal);
        }
      }
      return ok;
    }
    default:
      return true;
  }
}

bool Evaluator::exec_array(const Instr& in, std::uint32_t inst, Annot* annot) {
  const TapeNode& n = node(inst);
  if (n.kind != NodeKind::array) return true;
  bool ok = true;
  switch (in.op) {
    case Op::items: {
      std::uint32_t i = 0;
      for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end, ++i) {
        if (i < in.b) {
          if (!apply_child(edges_[in.a + i], c, inst, i)) ok = false;
        } else if (in.c != NONE) {
          if (!apply_child(edges_[in.c], c, inst, i)) ok = false;
        } else {
          break;
        }
        if ((!ok && !basic_) || stop()) return false;
      }
      if (annot) {
        annot->items_upto = std::max(annot->items_upto, std::min(in.b, n.count));
        if (in.c != NONE) annot->items_all = true;
      }
      return ok;
    }
    case Op::contains: {
      std::uint32_t matches = 0, i = 0;
      const std::size_t saved = out_.errors.size();
      const bool annotate = annot && in.d;
      for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end, ++i) {
        if (apply_child(edges_[in.a], c, inst, i)) {
          ++matches;
          if (annotate) Annot::set(annot->items, i);
          if (!annotate && in.c == NONE && matches >= in.b) break;
        }
        if (stop()) return false;
      }
      out_.errors.resize(saved);
      if (matches < in.b) {
        fail(in, inst, matches);
        return false;
      }
      if (in.c != NONE && matches > in.c) {
        fail(in, inst, matches);
        return false;
      }
      return true;
    }
    case Op::unevaluated_items: {
      if (annot && annot->items_all) return true;
      std::uint32_t i = 0;
      for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end, ++i) {
        if (annot && (i < annot->items_upto || Annot::get(annot->items, i))) continue;
        if (!apply_child(edges_[in.a], c, inst, i)) {
          ok = false;
          if (!basic_ || stop()) return false;
        }
      }
      if (ok && annot) annot->items_all = true;
      return ok;
    }
    default:
      return true;
  }
}

bool Evaluator::unique(std::uint32_t inst) {
  const TapeNode& n = node(inst);
  // A few scalars (labels, tags, ids): compared pairwise, with no hashing,
  // sorting or allocation; each comparison is bounded by a string's length.
  // (Every child a single node: the items are inst + 1 ... inst + count.)
  if (n.count <= 8 && n.end - inst == n.count + 1) {
    for (std::uint32_t i = inst + 1; i < n.end; ++i) {
      for (std::uint32_t j = i + 1; j < n.end; ++j) {
        if (tape_equal(*t_, i, *t_, j)) return false;
      }
    }
    return true;
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> items;
  items.reserve(n.count);
  for (std::uint32_t c = inst + 1; c < n.end; c = node(c).end) items.emplace_back(tape_hash(*t_, c), c);
  std::sort(items.begin(), items.end());
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t j = i + 1; j < items.size() && items[j].first == items[i].first; ++j) {
      // Hash collisions could be crafted: comparisons count against the step budget.
      if (++steps_ > step_budget_) {
        out_of_budget(SCHEMA_EVAL_BUDGET);
        return false;
      }
      if (tape_equal(*t_, items[i].second, *t_, items[j].second)) return false;
    }
  }
  return true;
}

}  // namespace mcpw::schema::detail
