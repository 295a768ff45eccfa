// Framing (2020-12 core §9): which documents are loaded, where each schema
// resource starts, its base URI, its dialect, and what each `$id`, `$anchor`,
// `$dynamicAnchor` and `$recursiveAnchor` names. References are resolved here.

#include <string>

#include "schema/compiler.h"
#include "schema/metaschemas.h"
#include "schema/uri.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per schema: for size (support/size_opt.h)

namespace mcpw::schema {
namespace {

std::string_view strip_empty_fragment(std::string_view uri) {
  if (!uri.empty() && uri.back() == '#') uri.remove_suffix(1);
  return uri;
}

// Keywords whose values are schemas, by shape (core §10, validation §6,
// draft-07 §6/§9). Only these are walked: an `$id` inside `enum` or an unknown
// keyword is data, not an identifier.
constexpr std::string_view MAP_KEYWORDS[] = {"$defs", "definitions", "properties", "patternProperties",
                                             "dependentSchemas", "dependencies"};
constexpr std::string_view ONE_KEYWORDS[] = {"additionalProperties", "additionalItems", "unevaluatedProperties",
                                             "unevaluatedItems", "items", "contains", "propertyNames", "if", "then",
                                             "else", "not", "contentSchema"};
constexpr std::string_view LIST_KEYWORDS[] = {"allOf", "anyOf", "oneOf", "prefixItems", "items"};

bool is_schema_value(const json& v) { return v.is_object() || v.is_boolean(); }

}  // namespace

std::string Compiler::absolute(const std::string& base, std::string_view ref) const { return resolve_uri(base, ref); }

Result<Dialect> Compiler::dialect_of(std::string_view schema_uri, Dialect fallback) {
  const std::string uri(strip_empty_fragment(schema_uri));
  if (uri == "https://json-schema.org/draft/2020-12/schema") return Dialect{Draft::draft2020_12, VOCAB_ALL};
  if (uri == "https://json-schema.org/draft/2019-09/schema") return Dialect{Draft::draft2019_09, VOCAB_ALL};
  if (uri == "http://json-schema.org/draft-07/schema" || uri == "https://json-schema.org/draft-07/schema") {
    return Dialect{Draft::draft7, VOCAB_ALL};
  }
  if (uri.find("json-schema.org/draft-0") != std::string::npos || uri.find("json-schema.org/schema") != std::string::npos) {
    return Error(SCHEMA_UNKNOWN_DIALECT, "unsupported dialect: " + uri);
  }
  // A custom metaschema: its own `$schema` gives the draft, its `$vocabulary`
  // the vocabularies (core §8.1.2).
  if (++dialect_depth_ > 8) return Error(SCHEMA_UNKNOWN_DIALECT, "metaschema chain too long at " + uri);
  Status loaded = ensure_document(uri, fallback);
  --dialect_depth_;
  if (!loaded) return Error(SCHEMA_UNKNOWN_DIALECT, "unknown dialect " + uri + ": " + loaded.error().message);
  const json* meta = ids_[uri];
  auto it = frames_.find(meta);
  Dialect d = it == frames_.end() ? fallback : it->second.dialect;
  d.vocab = VOCAB_ALL;
  if (const json* vocab = find_object(*meta, "$vocabulary")) {
    d.vocab = 0;
    for (auto v = vocab->begin(); v != vocab->end(); ++v) {
      const std::string& name = v.key();
      const auto slash = name.rfind('/');
      const std::string_view last = slash == std::string::npos ? std::string_view(name) : std::string_view(name).substr(slash + 1);
      const bool known = name.find("json-schema.org/draft/20") != std::string::npos;
      unsigned bit = 0;
      if (known) {
        if (last == "core") bit = VOCAB_CORE;
        if (last == "applicator") bit = VOCAB_APPLICATOR;
        if (last == "validation") bit = VOCAB_VALIDATION;
        if (last == "unevaluated") bit = VOCAB_UNEVALUATED;
        if (last == "format-assertion") bit = VOCAB_FORMAT_ASSERTION;
        if (last == "format-annotation" || last == "format") bit = VOCAB_META;  // annotation only
        if (last == "content") bit = VOCAB_CONTENT;
        if (last == "meta-data") bit = VOCAB_META;
      }
      if (bit == 0) {
        if (v->is_boolean() && v->get<bool>()) {
          return Error(SCHEMA_UNSUPPORTED, "required vocabulary not supported: " + name);
        }
        continue;
      }
      d.vocab |= bit;
    }
    // 2019-09 folds unevaluated* into the applicator vocabulary.
    if (d.draft == Draft::draft2019_09 && (d.vocab & VOCAB_APPLICATOR)) d.vocab |= VOCAB_UNEVALUATED;
  }
  return d;
}

Status Compiler::add_document(const json* doc, const std::string& uri, Dialect fallback) {
  if (docs_.size() + 1 > opt_.limits.max_documents) {
    return Error(SCHEMA_TOO_LARGE, "more than " + std::to_string(opt_.limits.max_documents) + " schema documents");
  }
  ids_.emplace(uri, doc);
  return frame(doc, uri, fallback, NONE);
}

Status Compiler::ensure_document(const std::string& abs_uri, Dialect fallback) {
  if (ids_.count(abs_uri)) return {};
  for (const auto& m : embedded_metaschemas()) {
    if (m.uri != abs_uri) continue;
    auto parsed = parse_json(m.text);
    if (!parsed) return parsed.take_error();
    docs_.push_back(std::make_unique<json>(std::move(parsed.value())));
    return add_document(docs_.back().get(), abs_uri, fallback);
  }
  if (!opt_.resolver) return Error(SCHEMA_UNRESOLVED_REF, "cannot resolve " + abs_uri + " (no resolver)");
  auto text = opt_.resolver(abs_uri);
  if (!text) return Error(SCHEMA_UNRESOLVED_REF, "cannot resolve " + abs_uri + ": " + text.error().message);
  auto parsed = parse_json(text.value(), opt_.limits.document_limits);
  if (!parsed) return Error(SCHEMA_UNRESOLVED_REF, "cannot parse " + abs_uri + ": " + parsed.error().message);
  docs_.push_back(std::make_unique<json>(std::move(parsed.value())));
  return add_document(docs_.back().get(), abs_uri, fallback);
}

Status Compiler::frame(const json* start, const std::string& start_base, Dialect start_dialect,
                       std::uint32_t start_resource) {
  struct Item {
    const json* node;
    std::string base;
    Dialect dialect;
    std::uint32_t resource;  // NONE: this node starts a resource
  };
  std::vector<Item> stack;
  stack.push_back({start, start_base, start_dialect, start_resource});
  while (!stack.empty()) {
    Item it = std::move(stack.back());
    stack.pop_back();
    const json& s = *it.node;
    if (frames_.count(it.node)) continue;
    if (frames_.size() > opt_.limits.max_subschemas) return Error(SCHEMA_TOO_LARGE, "schema too large");
    if (!s.is_object()) {
      if (s.is_boolean()) {
        if (it.resource == NONE) {
          it.resource = static_cast<std::uint32_t>(resources_.size());
          resources_.push_back({{}, it.node});
        }
        frames_.emplace(it.node, FrameInfo{it.base, it.dialect, it.resource});
      }
      continue;
    }
    Dialect d = it.dialect;
    const auto id = find_string(s, "$id");
    const bool ref_hides_id = d.draft == Draft::draft7 && find_member(s, "$ref") != nullptr;
    bool new_resource = it.resource == NONE;
    std::string base = it.base;
    if (id && !ref_hides_id) {
      if (d.draft == Draft::draft7 && !id->empty() && (*id)[0] == '#') {
        ids_.emplace(std::string(split_fragment(base).first) + std::string(*id), it.node);
      } else {
        const std::string abs = absolute(base, *id);
        const auto [without, frag] = split_fragment(abs);
        base = std::string(without);
        new_resource = true;
        ids_.emplace(base, it.node);
        if (!frag.empty() && d.draft == Draft::draft7) ids_.emplace(abs, it.node);
      }
    }
    if (new_resource) {
      if (auto sch = find_string(s, "$schema")) {
        auto nd = dialect_of(*sch, d);
        if (!nd) return nd.take_error();
        d = nd.value();
      }
      it.resource = static_cast<std::uint32_t>(resources_.size());
      resources_.push_back({{}, it.node});
    }
    if (d.draft != Draft::draft7) {
      if (auto a = find_string(s, "$anchor")) ids_.emplace(base + "#" + std::string(*a), it.node);
      if (d.draft == Draft::draft2020_12) {
        if (auto a = find_string(s, "$dynamicAnchor")) {
          ids_.emplace(base + "#" + std::string(*a), it.node);
          resources_[it.resource].dynamic_anchors.emplace_back(std::string(*a), it.node);
          dyn_anchor_of_.emplace(it.node, std::string(*a));
        }
      } else if (find_bool(s, "$recursiveAnchor").value_or(false) && resources_[it.resource].root == it.node) {
        resources_[it.resource].dynamic_anchors.emplace_back(std::string(RECURSIVE_ANCHOR_NAME), it.node);
      }
    }
    frames_.emplace(it.node, FrameInfo{base, d, it.resource});
    // One pass over the members (a schema has few; the keyword lists are short).
    auto listed = [](const auto& list, std::string_view k) {
      for (std::string_view kw : list) {
        if (kw == k) return true;
      }
      return false;
    };
    for (auto m = s.begin(); m != s.end(); ++m) {
      const std::string_view k = m.key();
      if (m->is_object() && listed(MAP_KEYWORDS, k)) {
        for (const auto& v : *m) {
          if (is_schema_value(v)) stack.push_back({&v, base, d, it.resource});
        }
      }
      if (is_schema_value(*m) && listed(ONE_KEYWORDS, k)) stack.push_back({&*m, base, d, it.resource});
      if (m->is_array() && listed(LIST_KEYWORDS, k)) {
        for (const auto& v : *m) {
          if (is_schema_value(v)) stack.push_back({&v, base, d, it.resource});
        }
      }
    }
  }
  return {};
}

Result<const json*> Compiler::resolve(const std::string& base, std::string_view ref, Dialect fallback) {
  const std::string abs = absolute(base, ref);
  const auto [uri_view, frag] = split_fragment(abs);
  const std::string uri(uri_view);
  if (Status st = ensure_document(uri, fallback); !st) return st.take_error();
  const json* root = ids_[uri];
  if (frag.empty()) return root;
  auto decoded = percent_decode(frag);
  if (!decoded) return Error(SCHEMA_UNRESOLVED_REF, "bad escape in " + abs);
  if ((*decoded)[0] != '/') {
    auto a = ids_.find(uri + "#" + *decoded);
    if (a == ids_.end()) return Error(SCHEMA_UNRESOLVED_REF, "no anchor for " + abs);
    return a->second;
  }
  auto tokens = parse_json_pointer(*decoded);
  if (!tokens) return Error(SCHEMA_UNRESOLVED_REF, "bad JSON pointer in " + abs);
  const json* cur = root;
  const FrameInfo* last = &frames_[root];
  for (const auto& t : *tokens) {
    if (cur->is_object()) {
      cur = find_member(*cur, t);
    } else if (cur->is_array()) {
      std::size_t i = 0;
      bool ok = !t.empty() && t.size() < 10 && (t == "0" || t[0] != '0');
      for (char c : t) ok = ok && c >= '0' && c <= '9';
      if (ok) i = std::stoul(t);
      cur = ok && i < cur->size() ? &*(cur->cbegin() + static_cast<std::ptrdiff_t>(i)) : nullptr;
    } else {
      cur = nullptr;
    }
    if (!cur) return Error(SCHEMA_UNRESOLVED_REF, "no schema at " + abs);
    if (auto f = frames_.find(cur); f != frames_.end()) last = &f->second;
  }
  if (!frames_.count(cur)) {
    const FrameInfo info = *last;  // copy: framing may rehash frames_
    if (Status st = frame(cur, info.base, info.dialect, info.resource); !st) return st.take_error();
  }
  return cur;
}

}  // namespace mcpw::schema

MCPW_SIZE_OPT_END
