// The applicator keywords (2020-12 core §10; 2019-09 core §9.3; draft-07
// validation §6.4-6.7): compiled into instructions that hold edge indices.
// `properties`, `patternProperties` and `additionalProperties` become ONE
// instruction, so an object's members are walked once.

#include <algorithm>
#include <string>

#include "schema/compiler.h"
#include "schema/uri.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per schema: for size (support/size_opt.h)

namespace mcpw::schema {

Status Compiler::compile_applicators(const json& s, const FrameInfo& f, std::vector<Instr>& out,
                                     const std::vector<DepEntry>& dep_schemas) {
  const Draft draft = f.dialect.draft;
  auto instr = [&](Op op, std::string_view keyword) -> Instr& { return emit(out, op, keyword); };
  // A list of schemas -> a contiguous range of edges.
  auto add_list = [&](const json& list, std::string_view keyword, std::uint32_t& first,
                      std::uint32_t& count) -> Status {
    if (!list.is_array() || (list.empty() && keyword != "prefixItems" && keyword != "items")) {
      return Error(SCHEMA_INVALID, "\"" + std::string(keyword) + "\" must be a non-empty array of schemas");
    }
    std::vector<Edge> tmp;
    std::size_t k = 0;
    for (const auto& sub : list) {
      auto e = edge(sub, frag(keyword, std::to_string(k++)));
      if (!e) return e.take_error();
      tmp.push_back(e.value());
    }
    first = static_cast<std::uint32_t>(p_->edges.size());
    count = static_cast<std::uint32_t>(tmp.size());
    p_->edges.insert(p_->edges.end(), tmp.begin(), tmp.end());
    return {};
  };

  // Objects.
  const json* props = find_member(s, "properties");
  const json* pattern_props = find_member(s, "patternProperties");
  const json* additional = find_member(s, "additionalProperties");
  if (props || pattern_props || additional) {
    std::vector<PropEntry> pe;
    std::vector<PatternEntry> pp;
    if (props) {
      if (!props->is_object()) return Error(SCHEMA_INVALID, "\"properties\" must be an object");
      for (auto it = props->begin(); it != props->end(); ++it) {
        auto e = edge(*it, frag("properties", it.key()));
        if (!e) return e.take_error();
        PropEntry entry{hash_name(it.key()), e.value()};
        auto& blob = p_->prop_names;
        if (blob.empty()) blob.assign(8, '\0');
        entry.name_off = static_cast<std::uint32_t>(blob.size() - 8);
        entry.name_len = static_cast<std::uint32_t>(it.key().size());
        blob.insert(blob.end() - 8, it.key().begin(), it.key().end());
        pe.push_back(entry);
      }
    }
    if (pattern_props) {
      if (!pattern_props->is_object()) return Error(SCHEMA_INVALID, "\"patternProperties\" must be an object");
      for (auto it = pattern_props->begin(); it != pattern_props->end(); ++it) {
        auto pat = Pattern::compile(it.key(), opt_.pattern_engine);
        if (!pat) return pat.take_error();
        auto e = edge(*it, frag("patternProperties", it.key()));
        if (!e) return e.take_error();
        p_->patterns.push_back(std::move(pat.value()));
        pp.push_back(PatternEntry{static_cast<std::uint32_t>(p_->patterns.size() - 1), e.value()});
      }
    }
    std::uint32_t add_e = NONE;
    if (additional) {
      auto e = add_edge(*additional, "/additionalProperties");
      if (!e) return e.take_error();
      add_e = e.value();
    }
    Instr& i = instr(Op::object_props, props ? "properties" : pattern_props ? "patternProperties" : "additionalProperties");
    if (!pe.empty()) {
      // A hash table at most half full: a member name finds its property in
      // one or two probes (a binary search was four dependent loads).
      unsigned bits = 2;
      while ((std::size_t{1} << bits) < 2 * pe.size()) ++bits;
      const std::uint32_t mask = (1u << bits) - 1;
      i.f = static_cast<std::uint32_t>(p_->prop_slots.size());
      p_->prop_slots.resize(p_->prop_slots.size() + mask + 1, 0);
      std::uint32_t* slots = p_->prop_slots.data() + i.f;
      for (std::uint32_t j = 0; j < pe.size(); ++j) {
        std::uint32_t slot = static_cast<std::uint32_t>(pe[j].hash) & mask;
        while (slots[slot] != 0) slot = (slot + 1) & mask;
        slots[slot] = j + 1;
      }
      i.flags = static_cast<std::uint8_t>(PROPS_BY_HASH | (bits << 1));
    }
    i.a = static_cast<std::uint32_t>(p_->props.size());
    i.b = static_cast<std::uint32_t>(pe.size());
    i.c = static_cast<std::uint32_t>(p_->pattern_entries.size());
    i.d = static_cast<std::uint32_t>(pp.size());
    i.e = add_e;
    if (additional && additional->is_boolean() && !additional->get<bool>() && pp.empty()) i.flags |= PROPS_CLOSED;
    p_->props.insert(p_->props.end(), pe.begin(), pe.end());
    p_->pattern_entries.insert(p_->pattern_entries.end(), pp.begin(), pp.end());
  }
  if (const json* pn = find_member(s, "propertyNames")) {
    auto e = add_edge(*pn, "/propertyNames");
    if (!e) return e.take_error();
    instr(Op::property_names, "propertyNames").a = e.value();
  }
  if (!dep_schemas.empty()) {
    Instr& i = instr(Op::dependent_schemas, draft == Draft::draft7 ? "dependencies" : "dependentSchemas");
    i.a = static_cast<std::uint32_t>(p_->deps.size());
    i.b = static_cast<std::uint32_t>(dep_schemas.size());
    p_->deps.insert(p_->deps.end(), dep_schemas.begin(), dep_schemas.end());
  }

  // Arrays: 2020-12 prefixItems + items; earlier drafts items (array form) + additionalItems.
  {
    std::uint32_t first = 0, count = 0, rest = NONE;
    bool any = false;
    const json* items = find_member(s, "items");
    if (draft == Draft::draft2020_12) {
      if (const json* prefix = find_member(s, "prefixItems")) {
        if (Status st = add_list(*prefix, "prefixItems", first, count); !st) return st;
        any = true;
      }
      if (items) {
        auto e = add_edge(*items, "/items");
        if (!e) return e.take_error();
        rest = e.value();
        any = true;
      }
    } else if (items) {
      any = true;
      if (items->is_array()) {
        if (Status st = add_list(*items, "items", first, count); !st) return st;
        if (const json* more = find_member(s, "additionalItems")) {
          auto e = add_edge(*more, "/additionalItems");
          if (!e) return e.take_error();
          rest = e.value();
        }
      } else {
        auto e = add_edge(*items, "/items");
        if (!e) return e.take_error();
        rest = e.value();
      }
    }
    if (any) {
      Instr& i = instr(Op::items, draft == Draft::draft2020_12 && !items ? "prefixItems" : "items");
      i.a = first;
      i.b = count;
      i.c = rest;
    }
  }
  if (const json* c = find_member(s, "contains")) {
    auto e = add_edge(*c, "/contains");
    if (!e) return e.take_error();
    Instr& i = instr(Op::contains, "contains");
    i.a = e.value();
    i.b = 1;
    i.c = NONE;
    i.d = draft == Draft::draft2020_12 ? 1 : 0;
    if (draft != Draft::draft7) {
      // Counts past 32 bits saturate (no array has that many items): a huge
      // minContains can never be met, a huge maxContains never exceeded.
      const auto count = [](double d) { return d >= 4294967295.0 ? NONE : static_cast<std::uint32_t>(d); };
      if (const json* v = find_member(s, "minContains"); v && v->is_number() && v->get<double>() >= 0) {
        i.b = count(v->get<double>());
      }
      if (const json* v = find_member(s, "maxContains"); v && v->is_number() && v->get<double>() >= 0) {
        i.c = count(v->get<double>());
      }
    }
  }

  // In-place applicators.
  struct ListKw { std::string_view name; Op op; };
  for (const ListKw k : {ListKw{"allOf", Op::all_of}, ListKw{"anyOf", Op::any_of}, ListKw{"oneOf", Op::one_of}}) {
    if (const json* list = find_member(s, k.name)) {
      std::uint32_t first = 0, count = 0;
      if (Status st = add_list(*list, k.name, first, count); !st) return st;
      Instr& i = instr(k.op, k.name);
      i.a = first;
      i.b = count;
    }
  }
  if (const json* n = find_member(s, "not")) {
    auto e = add_edge(*n, "/not");
    if (!e) return e.take_error();
    instr(Op::not_, "not").a = e.value();
  }
  if (const json* cond = find_member(s, "if")) {
    auto e = add_edge(*cond, "/if");
    if (!e) return e.take_error();
    std::uint32_t then_e = NONE, else_e = NONE;
    if (const json* t = find_member(s, "then")) {
      auto te = add_edge(*t, "/then");
      if (!te) return te.take_error();
      then_e = te.value();
    }
    if (const json* el = find_member(s, "else")) {
      auto ee = add_edge(*el, "/else");
      if (!ee) return ee.take_error();
      else_e = ee.value();
    }
    Instr& i = instr(Op::if_then_else, "if");
    i.a = e.value();
    i.b = then_e;
    i.c = else_e;
  }
  return {};
}

}  // namespace mcpw::schema

MCPW_SIZE_OPT_END
