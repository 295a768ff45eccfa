// The official JSON-Schema-Test-Suite, each case its own test (STYLE.md habit 7).
// Known failures are listed with a reason in suite_skip.txt; an entry that
// passes fails its test, so the list can only shrink.

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "schema/schema.h"

namespace mcpw::schema {
namespace {

const std::string SUITE = std::string(MCPW_SHARED_DIR) + "/json-schema-test-suite";

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Group {
  json schema;
  Draft draft;
  bool format_assertion;
  bool content_assertion;
  std::string file;
};

struct Case {
  std::shared_ptr<Group> group;
  json data;
  bool valid;
  std::string name;  // the gtest name
  std::string key;   // the skip-list key: <draft>/<file>#<group>/<test>
};

// Keeps gtest from printing the raw bytes of a case.
void PrintTo(const Case& c, std::ostream* os) { *os << c.key; }

std::string sanitize(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) break;
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return out;
}

std::vector<Case> load_cases(const std::string& dir, Draft draft) {
  std::vector<Case> cases;
  const std::string root = SUITE + "/tests/" + dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return cases;
  std::vector<std::string> files;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string rel = path.substr(root.size() + 1);
    auto text = read_file(path);
    if (!text) continue;
    auto doc = parse_json(*text);
    if (!doc || !doc->is_array()) continue;
    const bool optional_format = rel.rfind("optional/format/", 0) == 0;
    const std::string stem = sanitize(rel.substr(0, rel.size() - 5), 80);
    std::size_t g = 0;
    for (const auto& group : doc.value()) {
      auto grp = std::make_shared<Group>();
      grp->schema = *find_member(group, "schema");
      grp->draft = draft;
      grp->format_assertion = optional_format;
      grp->content_assertion = rel == "optional/content.json";
      grp->file = rel;
      std::size_t t = 0;
      const json* tests = find_array(group, "tests");
      for (const auto& test : *tests) {
        Case c;
        c.group = grp;
        c.data = *find_member(test, "data");
        c.valid = find_bool(test, "valid").value_or(false);
        c.name = stem + "_" + std::to_string(g) + "_" + std::to_string(t) + "_" +
                 sanitize(find_string(test, "description").value_or(""), 40);
        c.key = dir + "/" + rel + "#" + std::to_string(g) + "/" + std::to_string(t);
        cases.push_back(std::move(c));
        ++t;
      }
      ++g;
    }
  }
  return cases;
}

// "name reason..." per line; '#' starts a comment.
const std::map<std::string, std::string>& skip_list() {
  static const std::map<std::string, std::string> list = [] {
    std::map<std::string, std::string> out;
    auto text = read_file(std::string(MCPW_SOURCE_DIR) + "/tests/schema/suite_skip.txt");
    if (!text) return out;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto sp = line.find(' ');
      out[line.substr(0, sp)] = sp == std::string::npos ? "" : line.substr(sp + 1);
    }
    return out;
  }();
  return list;
}

Result<std::string> serve_remote(std::string_view uri) {
  constexpr std::string_view prefix = "http://localhost:1234/";
  if (uri.substr(0, prefix.size()) != prefix) return Error(INVALID_ARGUMENT, "not a test remote");
  auto text = read_file(SUITE + "/remotes/" + std::string(uri.substr(prefix.size())));
  if (!text) return Error(INVALID_ARGUMENT, "no such remote");
  return *text;
}

const Result<CompiledSchema>& compiled(const Group& g) {
  static std::map<const Group*, Result<CompiledSchema>> cache;
  auto it = cache.find(&g);
  if (it == cache.end()) {
    CompileOptions opt;
    opt.default_draft = g.draft;
    opt.format_assertion = g.format_assertion;
    opt.content_assertion = g.content_assertion;
    opt.resolver = serve_remote;
    it = cache.emplace(&g, CompiledSchema::compile(g.schema, opt)).first;
  }
  return it->second;
}

// Runs one case through every path; returns "" when it behaves as the suite
// says, else what went wrong.
std::string run_case(const Case& c) {
  const auto& s = compiled(*c.group);
  if (!s.ok()) return "compile failed: " + std::string(s.error().id.id) + ": " + s.error().message;
  auto dom = s->validate(c.data);
  if (!dom) return "validate failed: " + dom.error().message;
  const std::string data_text = dump_json(c.data);
  auto text = s->validate_text(data_text);
  if (!text) return "validate_text failed: " + text.error().message;
  auto sax = s->validate_text(data_text, OutputFormat::flag, {}, TextReader::nlohmann_sax);
  if (!sax) return "validate_text (SAX) failed: " + sax.error().message;
  if (sax->valid != dom->valid) return "DOM and SAX text paths disagree";
  auto probed = s->is_valid_text(data_text);  // the verdict path that probes root members
  if (!probed) return "is_valid_text failed: " + probed.error().message;
  if (*probed != dom->valid) return "is_valid_text and the DOM path disagree";
  auto basic = s->validate(c.data, OutputFormat::basic);
  if (!basic) return "basic validate failed: " + basic.error().message;
  if (text->valid != dom->valid) return "DOM and text paths disagree";
  if (basic->valid != dom->valid) return "flag and basic outputs disagree";
  if (basic->valid != basic->errors.empty()) return "basic output: errors do not match the verdict";
  if (dom->valid != c.valid) return std::string("expected ") + (c.valid ? "valid" : "invalid") + ", got the opposite";
  return "";
}

class Suite : public testing::TestWithParam<Case> {};

TEST_P(Suite, Case) {
  const Case& c = GetParam();
  const std::string problem = run_case(c);
  const auto& skips = skip_list();
  auto skip = skips.find(c.key);
  if (skip != skips.end()) {
    if (problem.empty()) FAIL() << "listed in suite_skip.txt but passes now: remove the entry";
    GTEST_SKIP() << skip->second << " (" << problem << ")";
  }
  EXPECT_EQ(problem, "") << c.group->file << " schema " << dump_json(c.group->schema) << " data "
                         << dump_json(c.data);
}

std::string case_name(const testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(draft2020_12, Suite, testing::ValuesIn(load_cases("draft2020-12", Draft::draft2020_12)),
                         case_name);
INSTANTIATE_TEST_SUITE_P(draft2019_09, Suite, testing::ValuesIn(load_cases("draft2019-09", Draft::draft2019_09)),
                         case_name);
INSTANTIATE_TEST_SUITE_P(draft7, Suite, testing::ValuesIn(load_cases("draft7", Draft::draft7)), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Suite);

TEST(SuiteData, Present) {
  std::error_code ec;
  if (std::filesystem::is_directory(SUITE + "/tests/draft2020-12", ec)) return;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL() << "JSON-Schema-Test-Suite missing at " << SUITE;
  GTEST_SKIP() << "JSON-Schema-Test-Suite NOT FOUND at " << SUITE << ": the suite did not run";
}

// Every skip entry names an existing case and gives a reason.
TEST(SuiteData, SkipListIsWellFormed) {
  std::set<std::string> names;
  for (const char* d : {"draft2020-12", "draft2019-09", "draft7"}) {
    for (const auto& c : load_cases(d, Draft::draft2020_12)) names.insert(c.key);
  }
  if (names.empty()) GTEST_SKIP() << "suite absent";
  for (const auto& [name, reason] : skip_list()) {
    EXPECT_TRUE(names.count(name)) << "suite_skip.txt names no test: " << name;
    EXPECT_FALSE(reason.empty()) << "suite_skip.txt entry without a reason: " << name;
  }
}

}  // namespace
}  // namespace mcpw::schema
