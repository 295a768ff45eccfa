// Keyword by keyword: one schema object -> its instructions (2020-12
// validation §6, core §10; 2019-09; draft-07 where it differs). Order inside a
// schema: cheap assertions first, applicators next, `unevaluated*` last,
// because they read the annotations of their siblings (core §11).

#include <algorithm>
#include <cmath>
#include <string>

#include "schema/compiler.h"
#include "schema/uri.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per schema: for size (support/size_opt.h)

namespace mcpw::schema {
namespace {

Error invalid(std::string_view keyword, std::string_view why) {
  return Error(SCHEMA_INVALID, "\"" + std::string(keyword) + "\" " + std::string(why));
}

Result<std::uint32_t> count_value(const json& v, std::string_view keyword) {
  if (!v.is_number()) return invalid(keyword, "must be a non-negative integer");
  const double d = v.get<double>();
  if (d < 0 || std::floor(d) != d) return invalid(keyword, "must be a non-negative integer");
  return d >= 4294967295.0 ? NONE : static_cast<std::uint32_t>(d);
}

// Type names -> mask bits; bit 7 is "integer" (any number with no fraction).
constexpr unsigned INTEGER_BIT = 1u << 7;

std::optional<unsigned> type_bit(std::string_view t) {
  if (t == "null") return 1u << static_cast<unsigned>(NodeKind::null);
  if (t == "boolean") return 1u << static_cast<unsigned>(NodeKind::boolean);
  if (t == "object") return 1u << static_cast<unsigned>(NodeKind::object);
  if (t == "array") return 1u << static_cast<unsigned>(NodeKind::array);
  if (t == "string") return 1u << static_cast<unsigned>(NodeKind::string);
  if (t == "number") return (1u << static_cast<unsigned>(NodeKind::number)) | (1u << static_cast<unsigned>(NodeKind::integer));
  if (t == "integer") return INTEGER_BIT | (1u << static_cast<unsigned>(NodeKind::integer));
  return std::nullopt;
}

}  // namespace

Status Compiler::compile_keywords(const json& s, const FrameInfo& f, std::vector<Instr>& out, SchemaNode& node) {
  const Draft draft = f.dialect.draft;
  const unsigned vocab = f.dialect.vocab;
  auto instr = [&](Op op, std::string_view keyword) -> Instr& { return emit(out, op, keyword); };
  auto ref_to = [&](std::string_view keyword, std::string_view ref, std::uint32_t dynamic_name) -> Status {
    auto target = resolve(f.base, ref, f.dialect);
    if (!target) return target.take_error();
    auto e = add_edge(*target.value(), frag(keyword));
    if (!e) return e.take_error();
    Instr& i = instr(dynamic_name == NONE ? Op::ref : Op::dynamic_ref, keyword);
    i.a = e.value();
    i.b = dynamic_name;
    return {};
  };

  // draft-07 §8.3: "All other properties in a "$ref" object MUST be ignored."
  if (draft == Draft::draft7) {
    if (auto ref = find_string(s, "$ref")) return ref_to("$ref", *ref, NONE);
  }

  if (vocab & VOCAB_VALIDATION) {
    if (const json* t = find_member(s, "type")) {
      unsigned mask = 0;
      if (t->is_string()) {
        auto b = type_bit(t->get_ref<const std::string&>());
        if (!b) return invalid("type", "names an unknown type");
        mask = *b;
      } else if (t->is_array()) {
        for (const auto& v : *t) {
          auto b = v.is_string() ? type_bit(v.get_ref<const std::string&>()) : std::nullopt;
          if (!b) return invalid("type", "names an unknown type");
          mask |= *b;
        }
      } else {
        return invalid("type", "must be a string or an array");
      }
      instr(Op::type, "type").a = mask;
    }
    if (const json* e = find_member(s, "enum")) {
      if (!e->is_array()) return invalid("enum", "must be an array");
      Instr& i = instr(Op::enum_, "enum");
      i.a = static_cast<std::uint32_t>(p_->constants.size());
      i.b = static_cast<std::uint32_t>(e->size());
      for (const auto& v : *e) {
        if (Status st = add_constant(v); !st) return st;
      }
      // Sorted by hash, so evaluation can binary-search the set.
      std::vector<std::pair<std::uint64_t, Tape>> sorted;
      for (std::uint32_t k = i.a; k < i.a + i.b; ++k) {
        sorted.emplace_back(p_->constant_hashes[k], std::move(p_->constants[k]));
      }
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      for (std::uint32_t k = 0; k < i.b; ++k) {
        p_->constant_hashes[i.a + k] = sorted[k].first;
        p_->constants[i.a + k] = std::move(sorted[k].second);
      }
    }
    if (const json* c = find_member(s, "const")) {
      instr(Op::const_, "const").a = static_cast<std::uint32_t>(p_->constants.size());
      if (Status st = add_constant(*c); !st) return st;
    }
    struct NumKw { std::string_view name; Op op; };
    for (const NumKw k : {NumKw{"multipleOf", Op::multiple_of}, NumKw{"maximum", Op::maximum},
                          NumKw{"exclusiveMaximum", Op::exclusive_maximum}, NumKw{"minimum", Op::minimum},
                          NumKw{"exclusiveMinimum", Op::exclusive_minimum}}) {
      if (const json* v = find_member(s, k.name)) {
        if (!v->is_number()) return invalid(k.name, "must be a number");
        if (k.op == Op::multiple_of && !(v->get<double>() > 0)) return invalid(k.name, "must be > 0");
        instr(k.op, k.name).num = v->get<double>();
      }
    }
    struct CountKw { std::string_view name; Op op; };
    for (const CountKw k : {CountKw{"maxLength", Op::max_length}, CountKw{"minLength", Op::min_length},
                            CountKw{"maxItems", Op::max_items}, CountKw{"minItems", Op::min_items},
                            CountKw{"maxProperties", Op::max_properties},
                            CountKw{"minProperties", Op::min_properties}}) {
      if (const json* v = find_member(s, k.name)) {
        auto n = count_value(*v, k.name);
        if (!n) return n.take_error();
        instr(k.op, k.name).a = n.value();
      }
    }
    if (const json* v = find_member(s, "pattern")) {
      if (!v->is_string()) return invalid("pattern", "must be a string");
      auto pat = Pattern::compile(v->get_ref<const std::string&>(), opt_.pattern_engine);
      if (!pat) return pat.take_error();
      p_->patterns.push_back(std::move(pat.value()));
      instr(Op::pattern, "pattern").a = static_cast<std::uint32_t>(p_->patterns.size() - 1);
    }
    if (find_bool(s, "uniqueItems").value_or(false)) instr(Op::unique_items, "uniqueItems");
    if (const json* r = find_member(s, "required")) {
      if (!r->is_array()) return invalid("required", "must be an array");
      Instr& i = instr(Op::required, "required");
      i.a = static_cast<std::uint32_t>(p_->names.size());
      for (const auto& n : *r) {
        if (!n.is_string()) return invalid("required", "must hold strings");
        p_->names.push_back(intern(n.get_ref<const std::string&>()));
      }
      i.b = static_cast<std::uint32_t>(p_->names.size()) - i.a;
    }
  }

  // dependentRequired (2019-09+) and draft-07's `dependencies` (arrays: names,
  // objects: schemas).
  std::vector<DepEntry> dep_required, dep_schemas;
  auto add_dep_names = [&](const std::string& prop, const json& list, std::string_view kw) -> Status {
    DepEntry d;
    d.name = intern(prop);
    d.first = static_cast<std::uint32_t>(p_->names.size());
    for (const auto& n : list) {
      if (!n.is_string()) return invalid(kw, "must hold arrays of strings");
      p_->names.push_back(intern(n.get_ref<const std::string&>()));
    }
    d.count = static_cast<std::uint32_t>(p_->names.size()) - d.first;
    dep_required.push_back(d);
    return {};
  };
  auto add_dep_schema = [&](const std::string& prop, const json& sub, std::string_view kw) -> Status {
    auto e = edge(sub, frag(kw, prop));
    if (!e) return e.take_error();
    DepEntry d;
    d.name = intern(prop);
    d.edge = e.value();
    dep_schemas.push_back(d);
    return {};
  };
  // `dependencies` is draft-07; 2019-09+ split it in two but it is still
  // honoured there for compatibility (suite: optional/dependencies-compatibility).
  {
    if (const json* deps = find_object(s, "dependencies")) {
      for (auto it = deps->begin(); it != deps->end(); ++it) {
        Status st = it->is_array() ? add_dep_names(it.key(), *it, "dependencies")
                                   : add_dep_schema(it.key(), *it, "dependencies");
        if (!st) return st;
      }
    }
  }
  if (draft != Draft::draft7) {
    if (vocab & VOCAB_VALIDATION) {
      if (const json* deps = find_object(s, "dependentRequired")) {
        for (auto it = deps->begin(); it != deps->end(); ++it) {
          if (!it->is_array()) return invalid("dependentRequired", "must hold arrays");
          if (Status st = add_dep_names(it.key(), *it, "dependentRequired"); !st) return st;
        }
      }
    }
    if (vocab & VOCAB_APPLICATOR) {
      if (const json* deps = find_object(s, "dependentSchemas")) {
        for (auto it = deps->begin(); it != deps->end(); ++it) {
          if (Status st = add_dep_schema(it.key(), *it, "dependentSchemas"); !st) return st;
        }
      }
    }
  }
  if (!dep_required.empty()) {
    Instr& i = instr(Op::dependent_required, draft == Draft::draft7 ? "dependencies" : "dependentRequired");
    i.a = static_cast<std::uint32_t>(p_->deps.size());
    i.b = static_cast<std::uint32_t>(dep_required.size());
    p_->deps.insert(p_->deps.end(), dep_required.begin(), dep_required.end());
  }

  if (const json* fmt = find_member(s, "format"); fmt && fmt->is_string()) {
    const bool assert = opt_.format_assertion || (vocab & VOCAB_FORMAT_ASSERTION);
    const Format id = parse_format_name(fmt->get_ref<const std::string&>());
    if (assert && id != Format::unknown) instr(Op::format, "format").a = static_cast<std::uint32_t>(id);
  }

  // Content (2020-12 validation §8; draft-07 §8): annotations, asserted only
  // when asked.
  if (opt_.content_assertion) {
    const auto enc = find_string(s, "contentEncoding");
    const auto media = find_string(s, "contentMediaType");
    const bool base64 = enc && *enc == "base64";
    const bool is_json = media && *media == "application/json";
    if (base64 || is_json) {
      Instr& i = instr(Op::content, enc ? "contentEncoding" : "contentMediaType");
      i.a = base64 ? 1 : 0;
      i.b = is_json ? 1 : 0;
    }
  }

  if (vocab & VOCAB_APPLICATOR) {
    if (Status st = compile_applicators(s, f, out, dep_schemas); !st) return st;
  }

  // References (core §8.2.3). In 2019-09+ `$ref` is an applicator beside its siblings.
  if (draft != Draft::draft7) {
    if (auto ref = find_string(s, "$ref")) {
      if (Status st = ref_to("$ref", *ref, NONE); !st) return st;
    }
    if (draft == Draft::draft2020_12) {
      if (auto ref = find_string(s, "$dynamicRef")) {
        auto target = resolve(f.base, *ref, f.dialect);
        if (!target) return target.take_error();
        // Dynamic only when the fragment is a plain name that the static
        // target itself declares with `$dynamicAnchor` (core §8.2.3.2).
        const auto frag_name = split_fragment(*ref).second;
        std::uint32_t name = NONE;
        auto a = dyn_anchor_of_.find(target.value());
        if (!frag_name.empty() && frag_name[0] != '/' && a != dyn_anchor_of_.end() && a->second == frag_name) {
          name = intern(frag_name);
          has_dynamic_ = true;
        }
        if (Status st = ref_to("$dynamicRef", *ref, name); !st) return st;
      }
    } else if (auto ref = find_string(s, "$recursiveRef")) {
      // 2019-09 core §8.2.4.2: dynamic when the target resource root has `$recursiveAnchor: true`.
      auto target = resolve(f.base, *ref, f.dialect);
      if (!target) return target.take_error();
      std::uint32_t name = NONE;
      if (find_bool(*target.value(), "$recursiveAnchor").value_or(false)) {
        name = intern(RECURSIVE_ANCHOR_NAME);
        has_dynamic_ = true;
      }
      if (Status st = ref_to("$recursiveRef", *ref, name); !st) return st;
    }
  }

  if (draft != Draft::draft7 && (vocab & VOCAB_UNEVALUATED)) {
    if (const json* u = find_member(s, "unevaluatedItems")) {
      auto e = add_edge(*u, "/unevaluatedItems");
      if (!e) return e.take_error();
      instr(Op::unevaluated_items, "unevaluatedItems").a = e.value();
      node.has_unevaluated = true;
    }
    if (const json* u = find_member(s, "unevaluatedProperties")) {
      auto e = add_edge(*u, "/unevaluatedProperties");
      if (!e) return e.take_error();
      instr(Op::unevaluated_properties, "unevaluatedProperties").a = e.value();
      node.has_unevaluated = true;
    }
    if (node.has_unevaluated) p_->uses_annotations = true;
  }
  return {};
}

}  // namespace mcpw::schema

MCPW_SIZE_OPT_END
