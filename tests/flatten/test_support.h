#pragma once
// Shared helpers of the flatten tests: reading the test documents.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "flatten/flatten.h"
#include "arg_generator.h"

namespace mcpw::flatten::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// CI=true: a public document that scripts/setup should have installed is
/// missing, which fails the test instead of skipping it.
inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string_view(ci) == "true";
}

// Skips (or fails under CI=true) the current test when `present` is false.
#define MCPW_NEED_NPM_DOCUMENT(present, what)                                                     \
  do {                                                                                            \
    if (!(present)) {                                                                             \
      if (::mcpw::flatten::testing::in_ci()) FAIL() << "absent under CI=true: " << (what)         \
                                                    << " (scripts/setup installs tests/flatten/)"; \
      GTEST_SKIP() << "absent: " << (what) << " (scripts/setup installs tests/flatten/)";         \
    }                                                                                             \
  } while (0)

inline std::string data_path(const std::string& name) { return std::string(MCPW_SOURCE_DIR) + "/tests/flatten/data/" + name; }

/// The parsed document (null json when the file is missing or invalid).
inline json load_doc(const std::string& path) {
  auto parsed = parse_json(read_text(path));
  return parsed ? parsed.value() : json();
}

inline FlattenResult flatten_file(const std::string& name) {
  json doc = load_doc(data_path(name));
  EXPECT_TRUE(doc.is_object()) << name;
  auto r = flatten_openapi(doc);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r.value()) : FlattenResult{};
}

inline const Tool* find_tool(const FlattenResult& r, std::string_view name) {
  for (const Tool& t : r.tools) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

/// The named tool, or a failure and an empty tool.
inline const Tool& tool_or_fail(const FlattenResult& r, std::string_view name) {
  const Tool* t = find_tool(r, name);
  EXPECT_NE(t, nullptr) << name;
  static const Tool kEmpty{};
  return t ? *t : kEmpty;
}

inline const KeyBinding* find_key(const Tool& t, std::string_view flat_key) {
  for (const KeyBinding& k : t.binding.keys) {
    if (k.flat_key == flat_key) return &k;
  }
  return nullptr;
}

inline std::string header_of(const HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}


/// GitHub's REST document from npm, flattened once per test binary (null
/// when scripts/setup has not installed it).
/// `flatten_ms` (optional) receives the time flatten_openapi took.
inline const FlattenResult* github_tools(double* flatten_ms = nullptr) {
  static double ms = 0;
  static const FlattenResult* cached = [] {
    json doc = load_doc(std::string(MCPW_FLATTEN_NPM_DIR) + "/@octokit/openapi/generated/api.github.com.json");
    if (!doc.is_object()) return static_cast<FlattenResult*>(nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = flatten_openapi(doc);
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? new FlattenResult(std::move(r.value())) : nullptr;
  }();
  if (flatten_ms) *flatten_ms = ms;
  return cached;
}

}  // namespace mcpw::flatten::testing
