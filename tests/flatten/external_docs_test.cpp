// Real public OpenAPI documents, installed from npm by scripts/setup into
// tests/flatten/node_modules (never copied into the repo; package.json here):
// @readme/oas-examples (small fixtures for every style, cookies, files,
// cycles), @octokit/openapi (GitHub REST: ~1,200 operations, "/" in
// operationIds, long ids, root-union bodies) and @directus/specs (Directus,
// 3.0.1), and kubernetes-client (Kubernetes 1.10-1.13 as Swagger 2.0, with
// query parameters that clash with body fields; unpacked by scripts/setup).
// Without them the tests skip and say so (fail under CI=true).

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "arg_generator.h"
#include "provider_rules.h"
#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

std::string npm_dir() { return MCPW_FLATTEN_NPM_DIR; }

bool have(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// Operations whose round trip cannot hold because of the document itself,
// each with the reason. The list fails the test when an entry passes.
const std::map<std::string, std::string>& known_round_trip_failures() {
  static const std::map<std::string, std::string> k = {};
  return k;
}

struct Outcome {
  int tools = 0;
  int runs = 0;
  std::set<std::string> failed;
  std::string first_failure;
};

Outcome round_trip(const std::string& label, const FlattenResult& r, int iterations) {
  Outcome out;
  testing::ArgGenerator gen(7);
  for (const Tool& t : r.tools) {
    ++out.tools;
    // Each flat key maps to exactly one place, and no place has two keys.
    std::set<std::string> keys;
    std::set<std::pair<int, std::string>> places;
    for (const KeyBinding& k : t.binding.keys) {
      EXPECT_TRUE(keys.insert(k.flat_key).second) << label << " " << t.name << " " << k.flat_key;
      EXPECT_TRUE(places.insert({static_cast<int>(k.location), k.name}).second) << label << " " << t.name << " " << k.name;
    }
    for (int i = 0; i < iterations; ++i) {
      const json args = gen.arguments(t);
      auto req = build_request(t.binding, args);
      std::string why;
      if (!req.ok()) {
        why = "build: " + req.error().message;
      } else if (auto back = parse_request(t.binding, req.value()); !back.ok()) {
        why = "parse: " + back.error().message + " target " + req->target;
      } else if (back.value() != testing::with_file_defaults(t, args)) {
        why = "differs: " + dump_json(back.value()) + " target " + req->target;
      }
      if (!why.empty()) {
        const std::string id = label + " " + t.name;
        if (out.failed.insert(id).second && out.first_failure.empty())
          out.first_failure = id + ": " + why + "\nargs: " + dump_json(args);
        break;
      }
      ++out.runs;
    }
  }
  return out;
}

void check_against_known(const Outcome& o) {
  for (const std::string& f : o.failed) {
    auto it = known_round_trip_failures().find(f);
    EXPECT_NE(it, known_round_trip_failures().end()) << "unlisted failure " << o.first_failure;
  }
}

class OasExamples : public ::testing::TestWithParam<std::string> {};

TEST_P(OasExamples, FlattensAndRoundTrips) {
  const std::string path = npm_dir() + "/@readme/oas-examples/" + GetParam();
  MCPW_NEED_NPM_DOCUMENT(have(path), path);
  json doc = testing::load_doc(path);
  ASSERT_TRUE(doc.is_object());
  auto r = flatten_openapi(doc);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (const Diagnostic& d : r->diagnostics) {
    // Left-out operations must say why, with a stable id.
    EXPECT_EQ(d.id.rfind("flatten.", 0), 0u) << d.where << " " << d.id;
  }
  const Outcome o = round_trip(GetParam(), r.value(), 10);
  check_against_known(o);
  std::printf("%s: %d tools, %zu left out, %d round trips\n", GetParam().c_str(), o.tools, r->diagnostics.size(), o.runs);
  for (Provider p : testing::kProviders) {
    const testing::Counts c = testing::check_document(r.value(), p, 2, 13);
    if (c.left_out) std::printf("  %s: %d left out\n", testing::provider_name(p), c.left_out);
    for (const Diagnostic& d : adapt_tools(r->tools, p).diagnostics)
      std::printf("    %s: %s\n", d.where.c_str(), d.message.c_str());
  }
  for (const Diagnostic& d : r->diagnostics) std::printf("  left out %s: %s %s\n", d.where.c_str(), d.id.c_str(), d.message.c_str());
}

std::vector<std::string> oas_example_files() {
  std::vector<std::string> out;
  for (const char* dir : {"3.0/json", "3.1/json"}) {
    std::error_code ec;
    std::filesystem::directory_iterator it(npm_dir() + "/@readme/oas-examples/" + dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".json") out.push_back(std::string(dir) + "/" + it->path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) out.push_back("missing");  // one test that skips and says so
  return out;
}

INSTANTIATE_TEST_SUITE_P(Npm, OasExamples, ::testing::ValuesIn(oas_example_files()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(DirectusSpecs, EveryOperationFlattensAndRoundTrips) {
  const std::string path = npm_dir() + "/@directus/specs/dist/openapi.json";
  MCPW_NEED_NPM_DOCUMENT(have(path), path);
  json doc = testing::load_doc(path);
  ASSERT_TRUE(doc.is_object());
  const auto t0 = std::chrono::steady_clock::now();
  auto r = flatten_openapi(doc);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::printf("Directus: flatten %.0f ms\n", ms);
  for (const Diagnostic& d : r->diagnostics) ADD_FAILURE() << d.where << ": " << d.id << " " << d.message;
  EXPECT_GE(r->tools.size(), 100u);
  const Outcome o = round_trip("directus", r.value(), 4);
  check_against_known(o);
  std::printf("Directus: %zu tools, %d round trips\n", r->tools.size(), o.runs);
  for (Provider p : testing::kProviders) {
    const testing::Counts c = testing::check_document(r.value(), p, 1, 14);
    std::printf("Directus %s: %d adapted, %d left out\n", testing::provider_name(p), c.adapted, c.left_out);
  }
}

TEST(GitHubRest, EveryOperationFlattensAndRoundTrips) {
  double ms = 0;
  const FlattenResult* r = testing::github_tools(&ms);
  MCPW_NEED_NPM_DOCUMENT(r, "@octokit/openapi under " + npm_dir());
  std::printf("GitHub REST: %zu tools, %zu diagnostics, flatten %.0f ms\n", r->tools.size(), r->diagnostics.size(), ms);
  EXPECT_GE(r->tools.size(), 1100u);
  for (const Diagnostic& d : r->diagnostics) ADD_FAILURE() << d.where << ": " << d.id << " " << d.message;
  std::set<std::string> names;
  for (const Tool& t : r->tools) {
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    EXPECT_LE(t.name.size(), 128u);
    EXPECT_EQ(t.name.find('/'), std::string::npos) << t.name;
  }
  const Outcome o = round_trip("github", *r, 2);
  check_against_known(o);
  std::printf("GitHub REST: %d round trips\n", o.runs);
}

class KubernetesSwagger : public ::testing::TestWithParam<std::string> {};

TEST_P(KubernetesSwagger, EveryOperationFlattensAndRoundTrips) {
  const std::string path = npm_dir() + "/.mcpw-specs/kubernetes-swagger-" + GetParam() + ".json";
  MCPW_NEED_NPM_DOCUMENT(have(path), path);
  json doc = testing::load_doc(path);
  ASSERT_TRUE(doc.is_object());
  std::size_t operations = 0;
  for (const auto& item : doc["paths"]) {
    for (const char* m : {"get", "put", "post", "delete", "options", "head", "patch"}) operations += item.contains(m);
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = flatten_openapi(doc);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (const Diagnostic& d : r->diagnostics) ADD_FAILURE() << d.where << ": " << d.id << " " << d.message;
  EXPECT_EQ(r->tools.size(), operations);
  int clashes = 0;
  for (const Tool& t : r->tools) {
    for (const KeyBinding& k : t.binding.keys) clashes += k.flat_key != k.name && k.location != Location::body;
  }
  EXPECT_GT(clashes, 0);  // e.g. deleteCollection*: gracePeriodSeconds in the query and in DeleteOptions
  const Outcome o = round_trip("kubernetes " + GetParam(), r.value(), 2);
  check_against_known(o);
  std::printf("Kubernetes %s: %zu tools, %d suffixed keys, %d round trips, flatten %.0f ms\n", GetParam().c_str(),
              r->tools.size(), clashes, o.runs, ms);
  for (Provider p : testing::kProviders) {
    const testing::Counts c = testing::check_document(r.value(), p, 1, 15);
    std::printf("Kubernetes %s %s: %d adapted, %d left out\n", GetParam().c_str(), testing::provider_name(p), c.adapted,
                c.left_out);
  }
}

// The newest by default (about 1,000 operations, minutes under ASan);
// MCPW_FLATTEN_ALL_KUBERNETES=1 runs 1.10-1.12 too.
std::vector<std::string> kubernetes_versions() {
  const char* all = std::getenv("MCPW_FLATTEN_ALL_KUBERNETES");
  if (all && std::string_view(all) == "1") return {"1.10", "1.11", "1.12", "1.13"};
  return {"1.13"};
}

INSTANTIATE_TEST_SUITE_P(Npm, KubernetesSwagger, ::testing::ValuesIn(kubernetes_versions()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = "v" + p.param;
                           for (char& c : n) c = c == '.' ? '_' : c;
                           return n;
                         });

}  // namespace
}  // namespace mcpw::flatten
