// The regex-only parts of the official JSON-Schema-Test-Suite
// (../shared/json-schema-test-suite): `pattern` schemas over string data, and
// `patternProperties` schemas whose values are all `true` with
// `additionalProperties: false` (valid iff every key matches some pattern).
// Everything else in those files needs the schema module and is left to it.
// Each case is its own test.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/json.h"
#include "test_util.h"

namespace mcpw::regex::testing {
namespace {

struct SuiteCase {
  std::string name;          // file / group / test, for the test name
  std::vector<std::string> patterns;
  std::vector<std::string> subjects;  // all must match some pattern (pattern: exactly one subject)
  bool valid;
};

const std::string kSuite = std::string(MCPW_SHARED_DIR) + "/json-schema-test-suite/tests/";
const char* const kFiles[] = {"draft2020-12/pattern.json", "draft2020-12/patternProperties.json",
                              "draft2020-12/optional/ecmascript-regex.json", "draft2020-12/optional/non-bmp-regex.json",
                              "draft2019-09/pattern.json", "draft2019-09/optional/ecmascript-regex.json",
                              "draft7/pattern.json", "draft7/optional/ecmascript-regex.json"};

std::vector<SuiteCase> load_cases() {
  std::vector<SuiteCase> out;
  for (const char* file : kFiles) {
    Result<json> doc = parse_json(read_file(kSuite + file));
    if (!doc || !doc->is_array()) continue;
    std::size_t group_no = 0;
    for (const json& group : *doc) {
      ++group_no;
      const json* schema = find_member(group, "schema");
      const json* tests = find_member(group, "tests");
      if (!schema || !schema->is_object() || !tests || !tests->is_array()) continue;
      const json* pattern = find_member(*schema, "pattern");
      const json* props = find_member(*schema, "patternProperties");
      const json* additional = find_member(*schema, "additionalProperties");
      std::vector<std::string> patterns;
      bool by_keys = false;
      if (pattern && pattern->is_string()) {
        patterns.push_back(pattern->get_ref<const std::string&>());
      } else if (props && props->is_object() && additional && additional->is_boolean() && !additional->get<bool>()) {
        bool all_true = true;
        for (auto it = props->begin(); it != props->end(); ++it) {
          all_true = all_true && it.value().is_boolean() && it.value().get<bool>();
          patterns.push_back(it.key());
        }
        if (!all_true) continue;
        by_keys = true;
      } else {
        continue;
      }
      std::size_t test_no = 0;
      for (const json& t : *tests) {
        ++test_no;
        const json* data = find_member(t, "data");
        const json* valid = find_member(t, "valid");
        if (!data || !valid || !valid->is_boolean()) continue;
        SuiteCase c;
        c.name = std::string(file) + "_" + std::to_string(group_no) + "_" + std::to_string(test_no);
        c.patterns = patterns;
        c.valid = valid->get<bool>();
        if (!by_keys && data->is_string()) {
          c.subjects.push_back(data->get_ref<const std::string&>());
        } else if (by_keys && data->is_object()) {
          for (auto it = data->begin(); it != data->end(); ++it) c.subjects.push_back(it.key());
        } else {
          continue;  // non-string data: the pattern keyword ignores it (a schema-module concern)
        }
        out.push_back(std::move(c));
      }
    }
  }
  return out;
}

class RegexSuite : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(RegexSuite, Case) {
  // spec: JSON Schema 2020-12 validation §6.3.3 (pattern), core §10.3.2.2 (patternProperties).
  const SuiteCase& c = GetParam();
  bool all = true;
  for (const std::string& s : c.subjects) {
    bool any = false;
    for (const std::string& p : c.patterns) {
      Result<Regex> re = Regex::compile(p);
      ASSERT_TRUE(re.ok()) << p << ": " << re.error().message;
      Result<bool> m = re->search(s);
      ASSERT_TRUE(m.ok()) << p;
      any = any || *m;
    }
    all = all && any;
  }
  EXPECT_EQ(all, c.valid);
}

INSTANTIATE_TEST_SUITE_P(JsonSchemaTestSuite, RegexSuite, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           std::string n = info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

TEST(RegexSuitePresence, SuiteIsThere) {
  const std::size_t n = load_cases().size();
  if (n == 0) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << "JSON-Schema-Test-Suite missing under " << kSuite;
    GTEST_SKIP() << "JSON-Schema-Test-Suite NOT FOUND under " << kSuite << ": its regex cases were skipped";
  }
  EXPECT_GT(n, 60u);
}

}  // namespace
}  // namespace mcpw::regex::testing
