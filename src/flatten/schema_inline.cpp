#include "flatten/schema_inline.h"

#include <algorithm>
#include <array>
#include <utility>

#include "flatten/encoding.h"

namespace mcpw::flatten::detail {
namespace {

// Keywords whose value is one subschema / an array of them / a map of them
// (JSON Schema 2020-12 core §10, validation §6; OpenAPI 3.0 uses a subset).
constexpr std::array<std::string_view, 10> kOneSchema = {
    "additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedProperties", "unevaluatedItems"};
constexpr std::array<std::string_view, 4> kSchemaArray = {"allOf", "anyOf", "oneOf", "prefixItems"};
constexpr std::array<std::string_view, 3> kSchemaMap = {"properties", "patternProperties", "dependentSchemas"};
// OpenAPI-only keywords with no meaning for a tool schema.
constexpr std::array<std::string_view, 3> kDropped = {"xml", "externalDocs", "$schema"};

std::string sanitize_def_name(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.';
    out.push_back(ok ? c : '_');
  }
  return out.empty() ? std::string("def") : out;
}

bool has_type(const json& schema, std::string_view t) {
  const json* type = find_member(schema, "type");
  if (!type) return false;
  if (type->is_string()) return type->get_ref<const std::string&>() == t;
  if (type->is_array()) {
    for (const json& e : *type) {
      if (e.is_string() && e.get_ref<const std::string&>() == t) return true;
    }
  }
  return false;
}

void union_required(json& dst, const json& src) {
  if (!src.is_array()) return;
  if (!dst.is_array()) dst = json::array();
  for (const json& r : src) {
    if (std::find(dst.begin(), dst.end(), r) == dst.end()) dst.push_back(r);
  }
}

json type_list(const json& t) {
  if (t.is_string()) return json::array({t});
  return t.is_array() ? t : json::array();
}

// Merges src into dst; what cannot be merged is returned (an object, maybe
// empty) for a residual allOf.
json merge_into(json& dst, const json& src, std::size_t depth_budget) {
  json rest = json::object();
  for (auto it = src.begin(); it != src.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    auto d = dst.find(k);
    if (d == dst.end()) {
      dst[k] = v;
      continue;
    }
    if (*d == v) continue;
    if (k == "required") {
      union_required(*d, v);
    } else if (k == "properties" && d->is_object() && v.is_object()) {
      for (auto p = v.begin(); p != v.end(); ++p) {
        auto q = d->find(p.key());
        if (q == d->end()) {
          (*d)[p.key()] = p.value();
        } else if (*q != p.value()) {
          if (depth_budget > 0 && q->is_object() && p->is_object() && !q->contains("$ref") && !p->contains("$ref")) {
            json sub = *q;
            json left = merge_into(sub, p.value(), depth_budget - 1);
            if (!left.empty()) sub["allOf"] = json::array({left});
            *q = std::move(sub);
          } else {
            *q = json{{"allOf", json::array({*q, p.value()})}};
          }
        }
      }
    } else if (k == "type") {
      json a = type_list(*d), b = type_list(v), both = json::array();
      for (const json& t : a) {
        if (std::find(b.begin(), b.end(), t) != b.end()) both.push_back(t);
        else if (t == "number" && std::find(b.begin(), b.end(), "integer") != b.end()) both.push_back("integer");
      }
      if (both.empty()) rest[k] = v;
      else *d = both.size() == 1 ? both[0] : both;
    } else if (k == "enum" && d->is_array() && v.is_array()) {
      json both = json::array();
      for (const json& e : *d) {
        if (std::find(v.begin(), v.end(), e) != v.end()) both.push_back(e);
      }
      *d = std::move(both);
    } else if (k == "description" || k == "title" || k == "example" || k == "examples" || k == "default") {
      // Annotations: the outer (first) one is the more specific; keep it.
    } else {
      rest[k] = v;
    }
  }
  return rest;
}

}  // namespace

const json* resolve_local_ref(const json& doc, std::string_view ref) {
  if (ref.empty() || ref[0] != '#') return nullptr;
  auto decoded = pct_decode(ref.substr(1));
  if (!decoded) return nullptr;
  std::string_view ptr = *decoded;
  const json* cur = &doc;
  if (ptr.empty()) return cur;
  if (ptr[0] != '/') return nullptr;
  ptr.remove_prefix(1);
  while (true) {
    const std::size_t slash = ptr.find('/');
    std::string_view raw = ptr.substr(0, slash);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    if (cur->is_object()) {
      cur = find_member(*cur, token);
    } else if (cur->is_array()) {
      if (token.empty() || token.size() > 9 || !std::all_of(token.begin(), token.end(), [](char c) {
            return c >= '0' && c <= '9';
          })) {
        return nullptr;
      }
      const std::size_t idx = std::stoul(token);
      cur = idx < cur->size() ? &(*cur)[idx] : nullptr;
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
    if (slash == std::string_view::npos) return cur;
    ptr.remove_prefix(slash + 1);
  }
}

Result<const json*> follow_refs(const json& doc, const json& node, std::size_t max_chain) {
  const json* cur = &node;
  for (std::size_t hops = 0; hops <= max_chain; ++hops) {
    auto ref = find_string(*cur, "$ref");
    if (!ref) return cur;
    const json* next = resolve_local_ref(doc, *ref);
    if (!next) return Error(BAD_REF, "unresolvable $ref \"" + std::string(*ref) + "\"");
    cur = next;
  }
  return Error(BAD_REF, "$ref chain longer than " + std::to_string(max_chain));
}

bool schema_allows_null(const json& schema) {
  if (schema.is_boolean()) return schema.get<bool>();
  if (!schema.is_object()) return false;
  if (has_type(schema, "null")) return true;
  if (const json* e = find_array(schema, "enum")) {
    return std::find(e->begin(), e->end(), nullptr) != e->end();
  }
  if (const json* c = find_member(schema, "const")) return c->is_null();
  for (std::string_view u : {"anyOf", "oneOf"}) {
    if (const json* arr = find_array(schema, u)) {
      for (const json& b : *arr) {
        if (b.is_object() && (has_type(b, "null") || (find_member(b, "const") && find_member(b, "const")->is_null())))
          return true;
      }
    }
  }
  if (!find_member(schema, "type") && find_array(schema, "enum") == nullptr) {
    // An untyped schema with no union accepts null.
    return !find_member(schema, "anyOf") && !find_member(schema, "oneOf") && !find_member(schema, "$ref") &&
           !find_member(schema, "properties");
  }
  return false;
}

std::vector<std::string> schema_types(const json& schema) {
  std::vector<std::string> types;
  if (const json* t = find_member(schema, "type")) {
    if (t->is_string()) types.push_back(t->get<std::string>());
    if (t->is_array()) {
      for (const json& x : *t) {
        if (x.is_string()) types.push_back(x.get<std::string>());
      }
    }
  }
  return types;
}

bool is_plain_object_schema(const json& schema) {
  if (!schema.is_object()) return false;
  if (find_member(schema, "oneOf") || find_member(schema, "anyOf") || find_member(schema, "$ref")) return false;
  if (const json* t = find_member(schema, "type")) return t->is_string() && *t == "object";
  return find_object(schema, "properties") != nullptr;
}

void convert_nullable(json& schema) {
  if (!schema.is_object()) return;
  auto it = schema.find("nullable");
  if (it == schema.end()) return;
  const bool nullable = it->is_boolean() && it->get<bool>();
  schema.erase(it);
  if (!nullable) return;
  if (json* e = schema.contains("enum") ? &schema["enum"] : nullptr; e && e->is_array()) {
    if (std::find(e->begin(), e->end(), nullptr) == e->end()) e->push_back(nullptr);
  }
  if (schema.contains("type")) {
    json& t = schema["type"];
    if (t.is_string()) {
      if (t != "null") t = json::array({t, "null"});
    } else if (t.is_array() && std::find(t.begin(), t.end(), "null") == t.end()) {
      t.push_back("null");
    }
    return;
  }
  if (schema.contains("oneOf") && schema["oneOf"].is_array()) {
    schema["oneOf"].push_back(json{{"type", "null"}});
  } else if (schema.contains("anyOf") && schema["anyOf"].is_array()) {
    schema["anyOf"].push_back(json{{"type", "null"}});
  } else if (schema.contains("$ref") || schema.contains("allOf") || schema.contains("properties")) {
    json inner = std::move(schema);
    json desc;
    if (inner.contains("description")) {
      desc = inner["description"];
      inner.erase("description");
    }
    schema = json{{"anyOf", json::array({std::move(inner), json{{"type", "null"}}})}};
    if (!desc.is_null()) schema["description"] = desc;
  }
}

void merge_all_of(json& target, const json& members, std::size_t depth_budget) {
  json residual = json::array();
  for (const json& m : members) {
    if (!m.is_object() || m.contains("$ref")) {
      residual.push_back(m);  // a cyclic $defs reference or a boolean schema
      continue;
    }
    json rest = merge_into(target, m, depth_budget);
    if (!rest.empty()) residual.push_back(std::move(rest));
  }
  if (!residual.empty()) target["allOf"] = std::move(residual);
}

SchemaInliner::SchemaInliner(const json& doc, const FlattenLimits& limits, Direction dir)
    : doc_(doc), limits_(limits), dir_(dir) {}

Result<json> SchemaInliner::inline_schema(const json& schema) { return visit(schema, 0, 0); }

std::string SchemaInliner::def_name_for(std::string_view ref) {
  auto it = def_names_.find(std::string(ref));
  if (it != def_names_.end()) return it->second;
  const std::size_t slash = ref.rfind('/');
  std::string base = sanitize_def_name(slash == std::string_view::npos ? ref : ref.substr(slash + 1));
  std::string name = base;
  for (int n = 2; std::any_of(def_names_.begin(), def_names_.end(), [&](const auto& kv) { return kv.second == name; });
       ++n) {
    name = base + "_" + std::to_string(n);
  }
  def_names_.emplace(std::string(ref), name);
  return name;
}

Result<json> SchemaInliner::visit(const json& node, std::size_t depth, std::size_t chain) {
  if (!node.is_object()) return node;  // booleans and (invalid) other values pass through
  if (++nodes_ > limits_.max_schema_nodes) {
    return Error(SCHEMA_TOO_LARGE, "schema has more than " + std::to_string(limits_.max_schema_nodes) + " nodes");
  }
  if (depth > limits_.max_schema_depth) {
    return Error(SCHEMA_TOO_LARGE, "schema nested deeper than " + std::to_string(limits_.max_schema_depth));
  }
  if (auto ref = find_string(node, "$ref")) return visit_ref(node, *ref, depth, chain);
  return visit_children(node, depth);
}

Result<json> SchemaInliner::visit_ref(const json& node, std::string_view ref, std::size_t depth, std::size_t chain) {
  if (chain >= limits_.max_ref_chain) {
    return Error(BAD_REF, "$ref chain longer than " + std::to_string(limits_.max_ref_chain));
  }
  const json* target = resolve_local_ref(doc_, ref);
  if (!target) return Error(BAD_REF, "unresolvable $ref \"" + std::string(ref) + "\"");
  // A chain of $refs that comes back to its start names no schema at all
  // (a cycle through real schemas is fine: it becomes a $defs entry).
  {
    std::vector<std::string_view> seen{ref};
    const json* cur = target;
    for (std::size_t hops = 0;; ++hops) {
      auto next = find_string(*cur, "$ref");
      if (!next) break;
      if (std::find(seen.begin(), seen.end(), *next) != seen.end())
        return Error(BAD_REF, "$ref cycle with no schema in it at \"" + std::string(ref) + "\"");
      if (hops >= limits_.max_ref_chain)
        return Error(BAD_REF, "$ref chain longer than " + std::to_string(limits_.max_ref_chain));
      seen.push_back(*next);
      cur = resolve_local_ref(doc_, *next);
      if (!cur) return Error(BAD_REF, "unresolvable $ref \"" + std::string(*next) + "\"");
    }
  }
  json result;
  if (std::find(stack_.begin(), stack_.end(), ref) != stack_.end()) {
    // A cycle: keep it as a reference into this tool's $defs.
    result = json{{"$ref", "#/$defs/" + def_name_for(ref)}};
  } else {
    stack_.emplace_back(ref);
    auto inner = visit(*target, depth + 1, chain + 1);
    stack_.pop_back();
    if (!inner) return inner.take_error();
    result = std::move(inner.value());
  }
  // OpenAPI 3.1 (JSON Schema 2020-12) allows siblings of $ref: annotations
  // there describe the use site and win; constraints apply as well as the
  // target's (an allOf, merged). 3.0 says siblings are ignored, but they are
  // written to be meant, so the same rule serves both.
  json constraints = json::object();
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& k = it.key();
    if (k == "$ref") continue;
    const bool annotation = k == "description" || k == "title" || k == "nullable" || k == "readOnly" ||
                            k == "writeOnly" || k == "default" || k == "deprecated" || k == "example" ||
                            k == "examples" || k.rfind("x-", 0) == 0;
    if (!annotation) {
      constraints[k] = it.value();
      continue;
    }
    if (result.is_object() && result.contains("$ref") && k != "description" && k != "title") {
      continue;  // a cycle reference: keep it bare
    }
    if (result.is_object()) result[k] = it.value();
  }
  if (!constraints.empty() && result.is_object()) {
    auto extra = visit_children(constraints, depth + 1);
    if (!extra) return extra.take_error();
    if (result.contains("$ref")) {
      result = json{{"allOf", json::array({std::move(result), std::move(extra.value())})}};
    } else {
      merge_all_of(result, json::array({std::move(extra.value())}), limits_.max_schema_depth);
    }
  }
  if (result.is_object()) convert_nullable(result);
  return result;
}

Result<json> SchemaInliner::visit_children(const json& node, std::size_t depth) {
  json out = json::object();
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (std::find(kDropped.begin(), kDropped.end(), k) != kDropped.end()) continue;
    if (std::find(kOneSchema.begin(), kOneSchema.end(), k) != kOneSchema.end()) {
      if (v.is_array() && k == "items") {
        // Draft-04-style tuple items in some 3.0 documents.
        json arr = json::array();
        for (const json& e : v) {
          auto r = visit(e, depth + 1, 0);
          if (!r) return r.take_error();
          arr.push_back(std::move(r.value()));
        }
        out["prefixItems"] = std::move(arr);
        continue;
      }
      auto r = visit(v, depth + 1, 0);
      if (!r) return r.take_error();
      out[k] = std::move(r.value());
    } else if (std::find(kSchemaArray.begin(), kSchemaArray.end(), k) != kSchemaArray.end() && v.is_array()) {
      json arr = json::array();
      for (const json& e : v) {
        auto r = visit(e, depth + 1, 0);
        if (!r) return r.take_error();
        arr.push_back(std::move(r.value()));
      }
      out[k] = std::move(arr);
    } else if (std::find(kSchemaMap.begin(), kSchemaMap.end(), k) != kSchemaMap.end() && v.is_object()) {
      json map = json::object();
      for (auto p = v.begin(); p != v.end(); ++p) {
        auto r = visit(p.value(), depth + 1, 0);
        if (!r) return r.take_error();
        map[p.key()] = std::move(r.value());
      }
      out[k] = std::move(map);
    } else {
      out[k] = v;
    }
  }
  // allOf first (a `nullable` beside an allOf applies to the merged result).
  if (auto a = out.find("allOf"); a != out.end() && a->is_array()) {
    json members = std::move(*a);
    out.erase("allOf");
    merge_all_of(out, members, limits_.max_schema_depth > depth ? limits_.max_schema_depth - depth : 0);
  }
  convert_nullable(out);
  // OpenAPI 3.0 boolean exclusive bounds -> JSON Schema 2020-12 numbers.
  for (auto [ex, bound] : {std::pair{"exclusiveMinimum", "minimum"}, std::pair{"exclusiveMaximum", "maximum"}}) {
    auto e = out.find(ex);
    if (e == out.end() || !e->is_boolean()) continue;
    const bool on = e->get<bool>();
    out.erase(ex);
    auto b = out.find(bound);
    if (on && b != out.end() && b->is_number()) {
      out[ex] = *b;
      out.erase(bound);
    }
  }
  // readOnly properties are not sent; writeOnly ones never come back.
  const char* hidden = dir_ == Direction::request ? "readOnly" : "writeOnly";
  if (auto p = out.find("properties"); p != out.end() && p->is_object()) {
    std::vector<std::string> gone;
    for (auto q = p->begin(); q != p->end(); ++q) {
      if (find_bool(q.value(), hidden).value_or(false)) gone.push_back(q.key());
    }
    for (const std::string& g : gone) p->erase(g);
    if (auto r = out.find("required"); r != out.end() && r->is_array() && !gone.empty()) {
      json kept = json::array();
      for (const json& name : *r) {
        if (!name.is_string() || std::find(gone.begin(), gone.end(), name.get<std::string>()) == gone.end())
          kept.push_back(name);
      }
      *r = std::move(kept);
    }
  }
  return out;
}

Result<json> SchemaInliner::take_defs() {
  // Each def is inlined with its own ref on the stack, so its self-references
  // stay references; doing so may discover further cyclic refs, hence the loop
  // (bounded: every pass either finishes a def or stops).
  while (true) {
    std::string ref, name;
    for (const auto& [r, n] : def_names_) {
      if (!defs_.count(n)) {
        ref = r;
        name = n;
        break;
      }
    }
    if (ref.empty()) break;
    const json* target = resolve_local_ref(doc_, ref);
    if (!target) return Error(BAD_REF, "unresolvable $ref \"" + ref + "\"");
    stack_.assign(1, ref);
    defs_[name] = json::object();  // placeholder: marks it as in progress
    auto body = visit(*target, 1, 1);
    stack_.clear();
    if (!body) return body.take_error();
    defs_[name] = std::move(body.value());
  }
  json out = json::object();
  for (auto& [n, s] : defs_) out[n] = s;
  return out;
}

}  // namespace mcpw::flatten::detail
