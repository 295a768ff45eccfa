// The result shapes of src/shapes against the official schema.json of each
// revision (../shared/mcp-schema/<revision>/): the same verdict on instances
// synthesised from the official definitions, on each of them with one member
// removed or given the wrong type, on every revision's instances fed to every
// other revision, and on the official examples.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shapes/shapes.h"

namespace mcpw::shapes {
namespace {

const std::vector<std::string> REVISIONS = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"};
const std::vector<std::pair<std::string, std::string>> METHODS = {
    {"tools/list", "ListToolsResult"},
    {"tools/call", "CallToolResult"},
    {"resources/list", "ListResourcesResult"},
    {"resources/templates/list", "ListResourceTemplatesResult"},
    {"resources/read", "ReadResourceResult"},
    {"prompts/list", "ListPromptsResult"},
    {"prompts/get", "GetPromptResult"},
    {"completion/complete", "CompleteResult"},
    {"ping", "EmptyResult"},
    {"logging/setLevel", "EmptyResult"},
    {"resources/subscribe", "EmptyResult"},
};

std::optional<json> read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = parse_json(ss.str());
  if (!doc.ok()) return std::nullopt;
  return std::move(*doc);
}

bool shared_present() {
  if (std::filesystem::exists(std::string(MCPW_SHARED_DIR) + "/mcp-schema/2025-11-25/schema.json")) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") {
    ADD_FAILURE() << "../shared/mcp-schema is missing under CI";
  } else {
    std::fprintf(stderr, "\n*** SKIPPED: ../shared/mcp-schema not found next to the repo ***\n\n");
  }
  return false;
}

// The official document of a revision, its definitions under one key.
struct Official {
  json doc;
  std::string defs_key;
  const json& def(const std::string& name) const { return doc[defs_key][name]; }
  schema::CompiledSchema compile(const std::string& name) const {
    json root = doc;
    root["$ref"] = "#/" + defs_key + "/" + name;
    auto c = schema::CompiledSchema::compile(root);
    EXPECT_TRUE(c.ok()) << name << ": " << (c.ok() ? "" : c.error().message);
    return std::move(*c);
  }
};

Official load(const std::string& revision) {
  Official o;
  o.doc = *read_json(std::string(MCPW_SHARED_DIR) + "/mcp-schema/" + revision + "/schema.json");
  o.defs_key = o.doc.contains("$defs") ? "$defs" : "definitions";
  return o;
}

// An instance of `s` (official document `o`): required members only, or
// every member (`full`); in full mode an array holds one item per branch of
// its item schema's anyOf.
json synth(const Official& o, const json& s, bool full, int depth);

const json& resolve(const Official& o, const json& s) {
  const json* cur = &s;
  for (int i = 0; i < 8 && cur->is_object() && cur->contains("$ref"); ++i) {
    std::string ref = (*cur)["$ref"].get<std::string>();
    cur = &o.def(ref.substr(ref.rfind('/') + 1));
  }
  return *cur;
}

std::vector<json> branches(const Official& o, const json& s) {
  const json& r = resolve(o, s);
  if (r.is_object() && r.contains("anyOf")) return r["anyOf"].get<std::vector<json>>();
  return {s};
}

json synth(const Official& o, const json& in, bool full, int depth) {
  const json& s = resolve(o, in);
  if (!s.is_object() || depth > 8) return "x";
  if (s.contains("anyOf")) return synth(o, s["anyOf"][0], full, depth + 1);
  if (s.contains("const")) return s["const"];
  if (s.contains("enum")) return s["enum"][0];
  std::string type = s.contains("type") ? s["type"].get<std::string>() : (s.contains("properties") ? "object" : "");
  if (type == "object") {
    json out = json::object();
    if (!s.contains("properties")) return out;
    std::vector<std::string> required;
    if (s.contains("required")) required = s["required"].get<std::vector<std::string>>();
    for (const auto& [k, v] : s["properties"].items()) {
      if (!full && std::find(required.begin(), required.end(), k) == required.end()) continue;
      if (k == "_meta" && full) continue;  // reserved keys are covered by the official examples
      out[k] = synth(o, v, full, depth + 1);
    }
    return out;
  }
  if (type == "array") {
    json out = json::array();
    if (full && s.contains("items")) {
      for (const json& b : branches(o, s["items"])) out.push_back(synth(o, b, full, depth + 1));
    }
    return out;
  }
  if (type == "string") return "x";
  if (type == "integer") return 1;
  if (type == "number") return 0.5;
  if (type == "boolean") return true;
  return "any";
}

json wrong_type(const json& v) {
  if (v.is_string()) return 42;
  if (v.is_object() || v.is_array()) return "x";
  return "x";
}

// Every instance that differs from `base` by one member removed or retyped.
void mutations(const json& base, const json::json_pointer& at, int depth, std::vector<std::pair<std::string, json>>& out) {
  const json& node = base[at];
  if (depth > 5) return;
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) {
      json::json_pointer child = at / k;
      json removed = base;
      removed[at].erase(k);
      out.emplace_back("remove " + child.to_string(), std::move(removed));
      json retyped = base;
      retyped[child] = wrong_type(v);
      out.emplace_back("retype " + child.to_string(), std::move(retyped));
      mutations(base, child, depth + 1, out);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      json::json_pointer child = at / i;
      json retyped = base;
      retyped[child] = wrong_type(node[i]);
      out.emplace_back("retype " + child.to_string(), std::move(retyped));
      mutations(base, child, depth + 1, out);
    }
  }
}

// The one deliberate difference (src/shapes/shapes.cpp): in 2026-07-28 an
// absent resultType reads as "complete" and absent cache hints as "do not
// cache" (spec: basic/utilities), so results without them are accepted. The
// official verdict on such an instance is the one on it with them added.
json with_result_members(json instance) {
  if (!instance.is_object()) return instance;
  if (!instance.contains("resultType")) instance["resultType"] = "complete";
  if (!instance.contains("cacheScope")) instance["cacheScope"] = "private";
  if (!instance.contains("ttlMs")) instance["ttlMs"] = 0;
  return instance;
}

bool verdict(const schema::CompiledSchema& s, const json& instance) {
  auto out = s.validate(instance);
  EXPECT_TRUE(out.ok());
  return out.ok() && out->valid;
}

TEST(Shapes, UnknownMethodsAreNotChecked) {
  EXPECT_EQ(result_schema("2025-11-25", "initialize"), nullptr);
  EXPECT_EQ(result_validator("2025-11-25", "x/custom"), nullptr);
  EXPECT_NE(result_validator("2025-11-25", "tools/call"), nullptr);
}

// spec: each revision's schema.json — the result of every checked method.
TEST(Shapes, SameVerdictsAsTheOfficialSchemas) {
  if (!shared_present()) GTEST_SKIP();
  std::vector<Official> officials;
  for (const auto& r : REVISIONS) officials.push_back(load(r));
  std::size_t compared = 0, tolerated = 0;
  for (const auto& [method, def] : METHODS) {
    // Instances synthesised from every revision, for use against every revision.
    std::vector<std::pair<std::string, json>> instances;
    for (std::size_t i = 0; i < REVISIONS.size(); ++i) {
      const json& d = officials[i].def(def);
      for (bool full : {false, true}) {
        json base = synth(officials[i], d, full, 0);
        const std::string tag = REVISIONS[i] + (full ? " full" : " minimal");
        instances.emplace_back(tag, base);
        std::vector<std::pair<std::string, json>> muts;
        mutations(base, json::json_pointer(), 0, muts);
        for (auto& [what, m] : muts) instances.emplace_back(tag + " " + what, std::move(m));
      }
    }
    for (std::size_t i = 0; i < REVISIONS.size(); ++i) {
      const schema::CompiledSchema official = officials[i].compile(def);
      const schema::CompiledSchema* ours = result_validator(REVISIONS[i], method);
      ASSERT_NE(ours, nullptr) << method;
      for (const auto& [what, instance] : instances) {
        const bool want = verdict(official, instance);
        const bool got = verdict(*ours, instance);
        if (got && !want && REVISIONS[i] == "2026-07-28" && verdict(official, with_result_members(instance))) {
          ++tolerated;
          continue;
        }
        EXPECT_EQ(got, want) << REVISIONS[i] << " " << method << " on " << what << ": " << dump_json(instance);
        ++compared;
      }
      // The synthesised instances of this very revision are valid.
      EXPECT_TRUE(verdict(official, synth(officials[i], officials[i].def(def), true, 0))) << REVISIONS[i] << def;
    }
  }
  EXPECT_GT(compared, 5000u);
  EXPECT_GT(tolerated, 0u);  // the deviation below still exists: drop it when it does not
}

// spec: 2026-07-28 examples/ — every example of a checked result is valid.
TEST(Shapes, OfficialExamplesAreValid) {
  if (!shared_present()) GTEST_SKIP();
  std::size_t seen = 0;
  for (const auto& [method, def] : METHODS) {
    const std::string dir = std::string(MCPW_SHARED_DIR) + "/mcp-schema/2026-07-28/examples/" + def;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      auto example = read_json(f.path().string());
      ASSERT_TRUE(example.has_value()) << f.path();
      EXPECT_TRUE(verdict(*result_validator("2026-07-28", method), *example)) << f.path();
      ++seen;
    }
  }
  EXPECT_GT(seen, 10u);
}

}  // namespace
}  // namespace mcpw::shapes
