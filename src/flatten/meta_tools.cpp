// search_tools / describe_tool / call_tool over a tool list (flatten.h
// "Above a tool limit"). Ranking is deterministic: no embeddings, no I/O.

#include <algorithm>
#include <set>

#include "flatten/encoding.h"
#include "flatten/flatten.h"

namespace mcpw::flatten {
namespace {

constexpr std::int64_t kMaxLimit = 50;

// Lower-case words: splits on non-alphanumerics and camelCase humps.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(detail::ascii_lower(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      flush();
      continue;
    }
    if (c >= 'A' && c <= 'Z' && !cur.empty() && !(cur.back() >= 'A' && cur.back() <= 'Z')) flush();
    cur.push_back(c);
  }
  flush();
  return out;
}

int score(const Tool& t, const std::vector<std::string>& query) {
  const std::vector<std::string> name = words(t.name);
  const std::vector<std::string> desc = words(t.description);
  const std::set<std::string> name_set(name.begin(), name.end()), desc_set(desc.begin(), desc.end());
  int total = 0;
  for (const std::string& q : query) {
    if (name_set.count(q)) total += 3;
    else if (std::any_of(name.begin(), name.end(), [&](const std::string& w) { return q.size() >= 3 && w.rfind(q, 0) == 0; }))
      total += 2;
    if (desc_set.count(q)) total += 1;
  }
  return total;
}

const Tool* find(const std::vector<Tool>& tools, std::string_view name) {
  for (const Tool& t : tools) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Error unknown_tool(const std::vector<Tool>& tools, std::string_view name) {
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const Tool& t : tools) {
    const std::size_t d = detail::edit_distance(name, t.name);
    if (d < best_d) {
      best_d = d;
      best = t.name;
    }
  }
  std::string msg = "unknown tool \"" + std::string(name) + "\"";
  if (!best.empty() && best_d <= std::max<std::size_t>(2, name.size() / 3)) msg += "; did you mean \"" + best + "\"?";
  else msg += "; use search_tools to find one";
  return Error(UNKNOWN_ARGUMENT, msg);
}

}  // namespace

std::vector<json> make_meta_tools() {
  const json name = {{"type", "string"}, {"description", "Tool name, as search_tools lists it."}};
  return {
      {{"name", "search_tools"},
       {"description", "Find tools by what they do. Returns names and descriptions, best match first."},
       {"inputSchema",
        {{"type", "object"},
         {"properties",
          {{"query", {{"type", "string"}, {"description", "Words describing the task, e.g. \"start run\"."}}},
           {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxLimit}, {"default", 10}}}}},
         {"required", {"query"}},
         {"additionalProperties", false}}}},
      {{"name", "describe_tool"},
       {"description", "The full definition (input schema) of one tool."},
       {"inputSchema",
        {{"type", "object"}, {"properties", {{"name", name}}}, {"required", {"name"}}, {"additionalProperties", false}}}},
      {{"name", "call_tool"},
       {"description", "Call a tool by name with its arguments (see describe_tool for their schema)."},
       {"inputSchema",
        {{"type", "object"},
         {"properties", {{"name", name}, {"arguments", {{"type", "object"}, {"description", "The tool's arguments."}}}}},
         {"required", {"name"}},
         {"additionalProperties", false}}}},
  };
}

Result<MetaOutcome> handle_meta_tool(const std::vector<Tool>& tools, std::string_view meta_tool, const json& args) {
  if (!args.is_object()) return Error(BAD_ARGUMENT, "arguments must be a JSON object");
  MetaOutcome out;
  if (meta_tool == "search_tools") {
    auto query = find_string(args, "query");
    if (!query) return Error(BAD_ARGUMENT, "search_tools needs a string \"query\"");
    std::int64_t limit = find_integer(args, "limit").value_or(10);
    limit = std::clamp<std::int64_t>(limit, 1, kMaxLimit);
    const std::vector<std::string> q = words(*query);
    std::vector<std::pair<int, const Tool*>> ranked;
    for (const Tool& t : tools) {
      const int s = score(t, q);
      if (s > 0) ranked.emplace_back(s, &t);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    json list = json::array();
    for (std::size_t i = 0; i < ranked.size() && static_cast<std::int64_t>(i) < limit; ++i)
      list.push_back({{"name", ranked[i].second->name}, {"description", ranked[i].second->description}});
    out.result = json{{"tools", std::move(list)}, {"total", tools.size()}};
    return out;
  }
  auto name = find_string(args, "name");
  if (meta_tool == "describe_tool" || meta_tool == "call_tool") {
    if (!name) return Error(BAD_ARGUMENT, std::string(meta_tool) + " needs a string \"name\"");
    const Tool* t = find(tools, *name);
    if (!t) return unknown_tool(tools, *name);
    if (meta_tool == "describe_tool") {
      out.result = make_tool_json(*t);
      return out;
    }
    const json* a = find_member(args, "arguments");
    if (a && !a->is_object() && !a->is_null()) return Error(BAD_ARGUMENT, "\"arguments\" must be an object");
    out.call_tool = t->name;
    out.call_arguments = a && a->is_object() ? *a : json::object();
    return out;
  }
  return Error(UNKNOWN_ARGUMENT, "unknown meta tool \"" + std::string(meta_tool) + "\"");
}

}  // namespace mcpw::flatten
