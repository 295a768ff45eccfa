// Arguments between a tool's own form and a provider's form, by the plan that
// adapt.cpp made (plan kinds are described there).

#include <algorithm>

#include "flatten/flatten.h"

namespace mcpw::flatten {
namespace {

constexpr std::size_t kMaxDepth = 64;

enum class Dir : unsigned char { back, forward };  // back: provider -> tool

class Mapper {
 public:
  Mapper(const json& defs, Dir dir) : defs_(defs), dir_(dir) {}

  Result<json> map(const json& plan, const json& v, std::size_t depth) {
    if (depth > kMaxDepth) return Error(BAD_ARGUMENT, "arguments nested too deep");
    const std::string kind(find_string(plan, "kind").value_or("value"));
    if (kind == "value") return v;
    if (kind == "ref") {
      const json* p = find_member(defs_, find_string(plan, "def").value_or(""));
      return p ? map(*p, v, depth + 1) : Result<json>(v);
    }
    if (kind == "json_text") {
      if (dir_ == Dir::forward) return json(dump_json(v));
      if (!v.is_string()) return v;  // a model that sent the value itself
      auto parsed = parse_json(v.get_ref<const std::string&>());
      // Not JSON text: the model meant the string itself.
      return parsed ? std::move(parsed.value()) : v;
    }
    if (kind == "array") {
      if (!v.is_array()) return v;
      json out = json::array();
      for (const json& e : v) {
        auto m = map(*find_member(plan, "items"), e, depth + 1);
        if (!m) return m;
        out.push_back(std::move(m.value()));
      }
      return out;
    }
    if (kind == "kv") return map_kv(plan, v, depth);
    if (kind == "union") {
      const json* branches = find_array(plan, "branches");
      if (!branches) return v;
      // The first branch the value fits and maps through wins.
      for (const json& b : *branches) {
        if (!fits(b, v, 0)) continue;
        auto m = map(b, v, depth + 1);
        if (m) return m;
      }
      return Error(BAD_ARGUMENT, "a value that fits no branch of the union");
    }
    if (kind == "object") return map_object(plan, v, depth);
    return v;
  }

 private:
  // Whether v has the shape of the plan's side we map from.
  bool fits(const json& plan, const json& v, std::size_t depth) const {
    const std::string kind(find_string(plan, "kind").value_or("value"));
    if (depth > 16) return true;
    if (kind == "ref") {
      const json* p = find_member(defs_, find_string(plan, "def").value_or(""));
      return p ? fits(*p, v, depth + 1) : true;
    }
    if (kind == "object") {
      if (!v.is_object()) return false;
      const json* props = find_object(plan, "props");
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!key_of(plan, it.key())) {
          if (dir_ == Dir::back && find_member(plan, "extra") && (*find_member(plan, "extra")).value("key", "") == it.key()) continue;
          if (!find_member(plan, "extra") && !find_member(plan, "map_extra")) return false;
        }
      }
      (void)props;
      return true;
    }
    if (kind == "union") {
      const json* branches = find_array(plan, "branches");
      return !branches || std::any_of(branches->begin(), branches->end(), [&](const json& b) { return fits(b, v, depth + 1); });
    }
    if (kind == "kv") return dir_ == Dir::back ? v.is_array() : v.is_object();
    if (kind == "array") return v.is_array();
    if (kind == "json_text") return dir_ == Dir::back ? v.is_string() : true;
    return true;
  }

  // The plan entry for key k on the side we map from.
  const json* key_of(const json& plan, const std::string& k) const {
    const json* props = find_object(plan, "props");
    if (!props) return nullptr;
    if (dir_ == Dir::back) return find_member(*props, k);
    for (auto it = props->begin(); it != props->end(); ++it) {
      if (find_string(it.value(), "orig").value_or("") == k) return &it.value();
    }
    return nullptr;
  }

  Result<json> map_kv(const json& plan, const json& v, std::size_t depth) {
    const json& vp = *find_member(plan, "value");
    if (v.is_null()) return v;  // a nullable map: null on both sides
    if (dir_ == Dir::forward) {
      if (!v.is_object()) return v;
      json out = json::array();
      for (auto it = v.begin(); it != v.end(); ++it) {
        auto m = map(vp, it.value(), depth + 1);
        if (!m) return m;
        out.push_back(json{{"key", it.key()}, {"value", std::move(m.value())}});
      }
      return out;
    }
    if (!v.is_array()) return Error(BAD_ARGUMENT, "expected a list of {key, value}");
    json out = json::object();
    for (const json& e : v) {
      auto key = find_string(e, "key");
      const json* val = find_member(e, "value");
      if (!key || !val) return Error(BAD_ARGUMENT, "each entry needs a string key and a value");
      auto m = map(vp, *val, depth + 1);
      if (!m) return m;
      out[std::string(*key)] = std::move(m.value());
    }
    return out;
  }

  Result<json> map_object(const json& plan, const json& v, std::size_t depth) {
    if (!v.is_object()) return v;
    const json* props = find_object(plan, "props");
    const json* extra = find_object(plan, "extra");
    const json* map_extra = find_member(plan, "map_extra");
    json out = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      if (dir_ == Dir::back && extra && extra->value("key", "") == k) {
        if (it->is_null()) continue;
        auto m = map_kv(*find_member(*extra, "plan"), it.value(), depth + 1);
        if (!m) return m;
        for (auto e = m->begin(); e != m->end(); ++e) out[e.key()] = e.value();
        continue;
      }
      const json* entry = key_of(plan, k);
      if (!entry) {
        if (dir_ == Dir::forward && extra) continue;  // collected below
        if (map_extra) {
          auto m = map(*map_extra, it.value(), depth + 1);
          if (!m) return m;
          out[k] = std::move(m.value());
          continue;
        }
        return Error(UNKNOWN_ARGUMENT, "unknown argument \"" + k + "\"");
      }
      const std::string mode(find_string(*entry, "mode").value_or("required"));
      const json& sub = *find_member(*entry, "plan");
      json value = it.value();
      if (dir_ == Dir::back) {
        if ((mode == "null_omits" || mode == "wrap") && value.is_null()) continue;
        if (mode == "wrap") {
          const json* inner = find_member(value, "value");
          if (!inner) return Error(BAD_ARGUMENT, "\"" + k + "\" needs {\"value\": ...} or null");
          value = *inner;
          if (value.is_null()) {
            out[std::string(find_string(*entry, "orig").value_or(k))] = nullptr;
            continue;
          }
        }
      }
      auto m = map(sub, value, depth + 1);
      if (!m) return m;
      const std::string target = dir_ == Dir::back ? std::string(find_string(*entry, "orig").value_or(k))
                                                    : find_adapted_key(*props, k);
      if (dir_ == Dir::forward && mode == "wrap") out[target] = json{{"value", std::move(m.value())}};
      else out[target] = std::move(m.value());
    }
    if (dir_ == Dir::forward) {
      // Strict form: every property present, absent ones as null.
      for (auto it = props->begin(); it != props->end(); ++it) {
        const std::string mode(find_string(it.value(), "mode").value_or("required"));
        if ((mode == "null_omits" || mode == "wrap") && !out.contains(it.key())) out[it.key()] = nullptr;
      }
      if (extra) {
        json rest = json::object();
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!key_of(plan, it.key())) rest[it.key()] = it.value();
        }
        const std::string key(extra->value("key", ""));
        auto m = rest.empty() ? Result<json>(json()) : map_kv(*find_member(*extra, "plan"), rest, depth + 1);
        if (!m) return m;
        out[key] = std::move(m.value());
      }
    }
    return out;
  }

  static std::string find_adapted_key(const json& props, const std::string& orig) {
    for (auto it = props.begin(); it != props.end(); ++it) {
      if (find_string(it.value(), "orig").value_or("") == orig) return it.key();
    }
    return orig;
  }

  const json& defs_;
  Dir dir_;
};

Result<json> run(const ProviderTool& t, const json& args, Dir dir) {
  if (!args.is_object()) return Error(BAD_ARGUMENT, "arguments must be a JSON object");
  const json* defs = find_object(t.plan, "defs");
  static const json kNoDefs = json::object();
  const json* root = find_member(t.plan, "root");
  if (!root) return args;
  Mapper m(defs ? *defs : kNoDefs, dir);
  return m.map(*root, args, 0);
}

}  // namespace

Result<json> arguments_from_provider(const ProviderTool& tool, const json& model_arguments) {
  return run(tool, model_arguments, Dir::back);
}

Result<json> arguments_to_provider(const ProviderTool& tool, const json& arguments) {
  return run(tool, arguments, Dir::forward);
}

}  // namespace mcpw::flatten
