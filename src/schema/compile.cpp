// Compilation: each framed schema object becomes a contiguous run of
// instructions; every subschema is referenced by index (resolved once, here).
// Subschemas are compiled from a work list, so schema depth costs no stack.

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "schema/compiler.h"
#include "schema/uri.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per schema: for size (support/size_opt.h)

namespace mcpw::schema {

std::string frag(std::string_view keyword) {
  std::string out;
  append_pointer_token(out, keyword);
  return out;
}

std::string frag(std::string_view keyword, std::string_view child) {
  std::string out = frag(keyword);
  append_pointer_token(out, child);
  return out;
}

Instr& Compiler::emit(std::vector<Instr>& out, Op op, std::string_view keyword) {
  Instr& i = out.emplace_back();
  i.op = op;
  i.kw = intern(frag(keyword));
  return i;
}

Result<std::uint32_t> Compiler::add_edge(const json& sub, std::string fragment) {
  auto e = edge(sub, std::move(fragment));
  if (!e) return e.take_error();
  p_->edges.push_back(e.value());
  return static_cast<std::uint32_t>(p_->edges.size() - 1);
}

std::uint32_t Compiler::intern(std::string_view s) {
  auto it = interned_.find(std::string(s));
  if (it != interned_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(p_->strings.size());
  p_->strings.emplace_back(s);
  interned_.emplace(std::string(s), id);
  return id;
}

Status Compiler::add_constant(const json& v) {
  Tape t;
  if (Status st = build_tape_from_json(v, opt_.limits.document_limits.max_depth, t); !st) return st;
  p_->constant_hashes.push_back(tape_hash(t, 0));
  p_->constants.push_back(std::move(t));
  return {};
}

Result<std::uint32_t> Compiler::schema_index(const json* node) {
  if (auto it = compiled_.find(node); it != compiled_.end()) return it->second;
  if (!frames_.count(node)) return Error(SCHEMA_INVALID, "subschema outside any framed resource");
  if (p_->schemas.size() >= opt_.limits.max_subschemas) return Error(SCHEMA_TOO_LARGE, "too many subschemas");
  const auto idx = static_cast<std::uint32_t>(p_->schemas.size());
  p_->schemas.emplace_back();
  compiled_.emplace(node, idx);
  queue_.emplace_back(idx, node);
  return idx;
}

Result<Edge> Compiler::edge(const json& sub, std::string fragment) {
  if (!sub.is_object() && !sub.is_boolean()) return Error(SCHEMA_INVALID, "not a schema at " + fragment);
  auto idx = schema_index(&sub);
  if (!idx) return idx.take_error();
  return Edge{idx.value(), intern(fragment)};
}

Result<std::shared_ptr<Program>> Compiler::run(const json& root) {
  p_->limits = opt_.limits;
  // The caller's document is only read during compile (constants are copied
  // into tapes), so it is framed in place, not copied.
  const Dialect fallback{opt_.default_draft, VOCAB_ALL};
  if (Status st = add_document(&root, opt_.base_uri, fallback); !st) return st.take_error();
  auto r = schema_index(&root);
  if (!r) return r.take_error();
  p_->root = r.value();
  while (true) {
    while (!queue_.empty()) {
      const auto [idx, node] = queue_.back();
      queue_.pop_back();
      if (Status st = compile_node(idx, node); !st) return st.take_error();
      if (p_->instrs.size() > opt_.limits.max_instructions) return Error(SCHEMA_TOO_LARGE, "too many instructions");
    }
    // Dynamic anchors of every loaded resource become reachable through
    // `$dynamicRef`/`$recursiveRef` at run time (core §8.2.3.2), so compile them too.
    if (!has_dynamic_ || anchors_compiled_ == resources_.size()) break;
    for (; anchors_compiled_ < resources_.size(); ++anchors_compiled_) {
      for (const auto& [name, node] : resources_[anchors_compiled_].dynamic_anchors) {
        if (auto st = schema_index(node); !st) return st.take_error();
      }
    }
  }
  // Every reference in the loaded documents must resolve, reachable or not:
  // a schema with a dangling `$ref` is refused, not half-accepted.
  // (Compiled nodes had theirs resolved already; resolving may frame more.)
  std::unordered_set<const json*> checked;
  while (true) {
    std::vector<std::pair<const json*, FrameInfo>> batch;
    for (const auto& [node, f] : frames_) {
      if (!compiled_.count(node) && checked.insert(node).second) batch.emplace_back(node, f);
    }
    if (batch.empty()) break;
    for (const auto& [node, f] : batch) {
      const Draft d = f.dialect.draft;
      // `$ref` in every draft; the dynamic references only where they are keywords.
      const std::string_view dynamic = d == Draft::draft2020_12   ? "$dynamicRef"
                                       : d == Draft::draft2019_09 ? "$recursiveRef"
                                                                  : "";
      for (std::string_view kw : {std::string_view("$ref"), dynamic}) {
        if (kw.empty()) continue;
        if (auto ref = find_string(*node, kw)) {
          if (auto r = resolve(f.base, *ref, f.dialect); !r) return r.take_error();
        }
      }
    }
  }
  mark_shallow();
  if (const SchemaNode& root_node = p_->schemas[p_->root]; !root_node.has_unevaluated) {
    for (std::uint32_t k = root_node.first; k < root_node.first + root_node.count; ++k) {
      if (p_->instrs[k].op == Op::object_props && p_->instrs[k].d == 0) p_->root_props = k;
    }
  }
  p_->resources.resize(resources_.size());
  if (has_dynamic_) {
    for (std::size_t i = 0; i < resources_.size(); ++i) {
      for (const auto& [name, node] : resources_[i].dynamic_anchors) {
        auto c = compiled_.find(node);
        if (c != compiled_.end()) p_->resources[i].dynamic_anchors.emplace_back(intern(name), c->second);
      }
    }
  }
  return p_;
}

// When every name of a schema's `required` is one of its `properties`, a
// verdict counts the required members object_props finds (a lookup it makes
// anyway) instead of searching the object for each name: REQUIRED_BY_PROPS.
// Names are distinct in an instance (the tape keeps one member per name), so
// the count reaching Instr::g means all are there. Basic output keeps the
// `required` instruction for its errors.
void Compiler::cover_required(std::vector<Instr>& code) {
  const auto req = std::find_if(code.begin(), code.end(), [](const Instr& i) { return i.op == Op::required; });
  const auto obj = std::find_if(code.begin(), code.end(), [](const Instr& i) { return i.op == Op::object_props; });
  if (req == code.end() || obj == code.end() || !(obj->flags & PROPS_BY_HASH) || req->b == 0) return;
  std::vector<std::uint32_t> marked;
  for (std::uint32_t k = req->a; k < req->a + req->b; ++k) {
    const std::string& name = p_->strings[p_->names[k]];
    std::uint32_t found = NONE;
    for (std::uint32_t j = obj->a; j < obj->a + obj->b; ++j) {
      const PropEntry& pe = p_->props[j];
      if (equal_bytes(std::string_view(p_->prop_names.data() + pe.name_off, pe.name_len), name)) found = j;
    }
    if (found == NONE) return;  // a required name no property covers
    if (std::find(marked.begin(), marked.end(), found) == marked.end()) marked.push_back(found);
  }
  if (marked.size() > 0xFFFF) return;
  for (std::uint32_t j : marked) p_->props[j].required = true;
  obj->g = static_cast<std::uint16_t>(marked.size());
  req->flags |= REQUIRED_BY_PROPS;
}

// Leaf::shallow, once every subschema has its leaf kind: a schema of
// assertions whose applicators (properties/additionalProperties without
// patternProperties, items) only reach any, types or assertions leaves.
void Compiler::mark_shallow() {
  auto& schemas = p_->schemas;
  const auto is_leaf = [&](std::uint32_t schema) {
    const Leaf l = schemas[schema].leaf;
    return l == Leaf::any || l == Leaf::types || l == Leaf::assertions || l == Leaf::format;
  };
  for (SchemaNode& sn : schemas) {
    if (sn.leaf != Leaf::none || sn.has_unevaluated) continue;
    bool ok = true;
    for (std::uint32_t k = sn.first; ok && k < sn.first + sn.count; ++k) {
      const Instr& in = p_->instrs[k];
      if (is_assertion(in.op)) continue;
      if (in.op == Op::object_props && in.d == 0) {
        for (std::uint32_t j = in.a; ok && j < in.a + in.b; ++j) ok = is_leaf(p_->props[j].edge.schema);
        ok = ok && (in.e == NONE || is_leaf(p_->edges[in.e].schema));
      } else if (in.op == Op::items) {
        for (std::uint32_t j = in.a; ok && j < in.a + in.b; ++j) ok = is_leaf(p_->edges[j].schema);
        ok = ok && (in.c == NONE || is_leaf(p_->edges[in.c].schema));
      } else {
        ok = false;
      }
    }
    if (ok) sn.leaf = Leaf::shallow;
  }
}

Status Compiler::compile_node(std::uint32_t index, const json* node) {
  auto fi = frames_.find(node);
  if (fi == frames_.end()) return Error(SCHEMA_INVALID, "subschema outside any framed resource");
  const FrameInfo f = fi->second;
  SchemaNode sn;
  sn.resource = f.resource;
  std::vector<Instr> code;
  if (node->is_boolean()) {
    if (!node->get<bool>()) {
      code.push_back(Instr{Op::fail});
      code.back().kw = intern("");
    }
  } else {
    if (Status st = compile_keywords(*node, f, code, sn); !st) return st;
  }
  cover_required(code);
  sn.first = static_cast<std::uint32_t>(p_->instrs.size());
  sn.count = static_cast<std::uint32_t>(code.size());
  if (!sn.has_unevaluated) {
    if (code.empty()) {
      sn.leaf = Leaf::any;
    } else if (code.size() == 1 && code[0].op == Op::type) {
      sn.leaf = Leaf::types;
      sn.leaf_types = code[0].a;
    } else if (const auto fmt = std::find_if(code.begin(), code.end(), [](const Instr& i) { return i.op == Op::format; });
               fmt != code.end() && code.size() <= 2 && (code.size() == 1 || code[fmt == code.begin()].op == Op::type)) {
      sn.leaf = Leaf::format;
      sn.leaf_types = code.size() == 1 ? 0x7Fu : code[fmt == code.begin()].a;  // format alone: every kind
      sn.leaf_format = static_cast<Format>(fmt->a);
    } else if (std::all_of(code.begin(), code.end(), [](const Instr& i) { return is_assertion(i.op); })) {
      sn.leaf = Leaf::assertions;
    }
  }
  p_->instrs.insert(p_->instrs.end(), code.begin(), code.end());
  p_->schemas[index] = sn;
  return {};
}

}  // namespace mcpw::schema

MCPW_SIZE_OPT_END
