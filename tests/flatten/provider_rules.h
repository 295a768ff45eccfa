#pragma once
// Validators of each model provider's tool-schema rules (flatten.h "Provider
// adapters"), and the adapt-and-map-back property over a flattened document.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "arg_generator.h"
#include "flatten/flatten.h"

namespace mcpw::flatten::testing {

inline const Provider kProviders[] = {Provider::openai, Provider::openai_strict, Provider::anthropic, Provider::gemini};

inline const char* provider_name(Provider p) {
  switch (p) {
    case Provider::openai: return "openai";
    case Provider::openai_strict: return "openai_strict";
    case Provider::anthropic: return "anthropic";
    case Provider::gemini: return "gemini";
  }
  return "?";
}

// --- validators of the providers' rules -------------------------------------------

// [A-Za-z0-9<extra>]{1,64}, and when first_letter: starting with [A-Za-z_].
inline bool matches(const std::string& s, std::string_view extra, bool first_letter) {
  if (s.empty() || s.size() > 64) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (first_letter && !alpha(s[0]) && s[0] != '_') return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

struct Validator {
  Provider p;
  std::vector<std::string> problems;

  void fail(const std::string& where, const std::string& what) { problems.push_back(where + ": " + what); }

  void tool(const ProviderTool& t) {
    if (!(p == Provider::gemini ? matches(t.name, "_.-", true) : matches(t.name, "_-", false))) fail(t.name, "bad tool name");
    if (t.parameters.value("type", json()) != "object") fail(t.name, "root is not type object");
    if (p != Provider::openai) {
      for (const char* u : {"anyOf", "oneOf", "allOf"}) {
        if (t.parameters.contains(u)) fail(t.name, std::string("root ") + u);
      }
    }
    if (p == Provider::openai) return;  // the schema as the tool has it
    node(t.parameters, t.parameters, t.name, 0);
    if (const json* defs = find_object(t.parameters, "$defs")) {
      if (p == Provider::gemini) fail(t.name, "$defs");
      for (auto it = defs->begin(); it != defs->end(); ++it) node(it.value(), t.parameters, t.name + "/$defs/" + it.key(), 1);
    }
  }

  void node(const json& s, const json& root, const std::string& where, int depth) {
    if (depth > 60) return fail(where, "too deep");
    if (!s.is_object()) return fail(where, "schema is not an object");
    static const std::set<std::string> kStrict = {"type", "properties", "required", "additionalProperties", "items",
                                                  "enum", "const", "anyOf", "description", "$ref", "$defs",
                                                  "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
                                                  "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "title"};
    static const std::set<std::string> kGemini = {"type", "format", "description", "nullable", "enum", "properties",
                                                  "required", "items", "minItems", "maxItems", "minimum", "maximum",
                                                  "anyOf", "title", "minLength", "maxLength", "pattern", "propertyOrdering"};
    for (auto it = s.begin(); it != s.end(); ++it) {
      if (p == Provider::openai_strict && !kStrict.count(it.key())) fail(where, "keyword " + it.key());
      if (p == Provider::gemini && !kGemini.count(it.key())) fail(where, "keyword " + it.key());
    }
    if (auto ref = find_string(s, "$ref")) {
      if (p == Provider::gemini) fail(where, "$ref");
      const json* defs = find_object(root, "$defs");
      if (ref->rfind("#/$defs/", 0) != 0 || !defs || !find_member(*defs, ref->substr(8))) fail(where, "dangling $ref");
      return;
    }
    const json* type = find_member(s, "type");
    if (p == Provider::gemini) {
      static const std::set<std::string> kTypes = {"string", "number", "integer", "boolean", "array", "object"};
      if (type && (!type->is_string() || !kTypes.count(type->get<std::string>()))) fail(where, "type " + dump_json(*type));
      if (!type && !s.contains("anyOf")) fail(where, "no type");
      if (const json* e = find_array(s, "enum")) {
        if (!type || *type != "string") fail(where, "enum on a non-string");
        for (const json& x : *e) {
          if (!x.is_string()) fail(where, "non-string enum member");
        }
      }
    }
    if (p == Provider::openai_strict && !type && !s.contains("anyOf")) fail(where, "no type");
    const bool is_object = type && (*type == "object" || (type->is_array() && std::find(type->begin(), type->end(), "object") != type->end()));
    if (is_object) {
      const json* props = find_object(s, "properties");
      // A tool without arguments: the caller sends no `parameters` at all.
      if (p == Provider::gemini && (!props || props->empty()) && depth > 0) fail(where, "object without properties");
      if (p == Provider::openai_strict) {
        if (s.value("additionalProperties", json(true)) != json(false)) fail(where, "additionalProperties not false");
        json keys = json::array();
        if (props) {
          for (auto it = props->begin(); it != props->end(); ++it) keys.push_back(it.key());
        }
        json req = s.value("required", json::array());
        std::sort(req.begin(), req.end());
        if (req != keys) fail(where, "required is not every property");
      }
      if (props) {
        for (auto it = props->begin(); it != props->end(); ++it) {
          if (!(p == Provider::gemini ? matches(it.key(), "_", true) : matches(it.key(), "_.-", false))) fail(where, "key " + it.key());
          node(it.value(), root, where + "/" + it.key(), depth + 1);
        }
      }
    }
    if (const json* ap = find_member(s, "additionalProperties")) {
      if (p == Provider::gemini) fail(where, "additionalProperties");
      if (ap->is_object()) node(*ap, root, where + "/additionalProperties", depth + 1);
    }
    if (const json* items = find_member(s, "items")) node(*items, root, where + "/items", depth + 1);
    if (const json* any = find_array(s, "anyOf")) {
      for (const json& b : *any) node(b, root, where + "/anyOf", depth + 1);
    }
  }
};

// --- properties over whole documents ------------------------------------------------

struct Counts {
  int adapted = 0, left_out = 0, round_trips = 0;
};

inline Counts check_document(const FlattenResult& r, Provider p, int iterations, std::uint32_t seed) {
  Counts c;
  AdaptResult a = adapt_tools(r.tools, p);
  c.adapted = static_cast<int>(a.tools.size());
  c.left_out = static_cast<int>(a.diagnostics.size());
  EXPECT_EQ(a.tools.size() + a.diagnostics.size(), r.tools.size());
  Validator v{p, {}};
  std::set<std::string> names;
  for (const ProviderTool& t : a.tools) {
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    v.tool(t);
  }
  for (std::size_t i = 0; i < v.problems.size() && i < 10; ++i) ADD_FAILURE() << provider_name(p) << " " << v.problems[i];
  ArgGenerator gen(seed);
  for (const ProviderTool& t : a.tools) {
    const Tool* orig = nullptr;
    for (const Tool& x : r.tools) {
      if (x.name == t.original_name) orig = &x;
    }
    if (!orig) {
      ADD_FAILURE() << "no original for " << t.name;
      continue;
    }
    for (int i = 0; i < iterations; ++i) {
      const json args = gen.arguments(*orig);
      auto fwd = arguments_to_provider(t, args);
      if (!fwd.ok()) {
        ADD_FAILURE() << provider_name(p) << " " << t.name << ": to provider: " << fwd.error().message << "\n" << dump_json(args);
        return c;
      }
      auto back = arguments_from_provider(t, fwd.value());
      if (!back.ok() || back.value() != args) {
        ADD_FAILURE() << provider_name(p) << " " << t.name << ": back differs\nargs: " << dump_json(args)
                      << "\nprovider: " << dump_json(fwd.value())
                      << "\nback: " << (back.ok() ? dump_json(back.value()) : back.error().message);
        return c;
      }
      ++c.round_trips;
    }
  }
  return c;
}

}  // namespace mcpw::flatten::testing
