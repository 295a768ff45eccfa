// The benchmark corpus (MCP-shaped schemas with valid and invalid instances)
// as a correctness test: every instance gets its expected verdict through both
// the DOM path and the SAX text path.

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "schema/schema.h"

namespace mcpw::schema {
namespace {

TEST(Corpus, VerdictsMatchOnBothPaths) {
  std::ifstream in(std::string(MCPW_SHARED_DIR) + "/bench-corpus/validation-corpus.json", std::ios::binary);
  if (!in) GTEST_SKIP() << "bench corpus not found";
  std::stringstream ss;
  ss << in.rdbuf();
  auto corpus = parse_json(ss.str());
  ASSERT_TRUE(corpus.ok());
  int checked = 0;
  for (const auto& c : corpus.value()) {
    const std::string name(find_string(c, "name").value_or("?"));
    CompileOptions opt;
    opt.format_assertion = true;  // the corpus' invalid instances include bad formats
    auto s = CompiledSchema::compile(*find_member(c, "schema"), opt);
    ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
    for (const char* kind : {"valid", "invalid"}) {
      const bool expect = std::string(kind) == "valid";
      for (const auto& inst : *find_array(c, kind)) {
        auto dom = s->validate(inst);
        auto text = s->validate_text(dump_json(inst));
        auto sax = s->validate_text(dump_json(inst), OutputFormat::flag, {}, TextReader::nlohmann_sax);
        auto basic = s->validate_text(dump_json(inst), OutputFormat::basic);
        auto probed = s->is_valid_text(dump_json(inst));
        ASSERT_TRUE(dom.ok() && text.ok() && sax.ok() && basic.ok() && probed.ok()) << name;
        EXPECT_EQ(*probed, expect) << name << " " << kind;
        EXPECT_EQ(sax->valid, expect) << name << " " << kind;
        EXPECT_EQ(dom->valid, expect) << name << " " << kind;
        EXPECT_EQ(text->valid, expect) << name << " " << kind;
        EXPECT_EQ(basic->valid, expect) << name << " " << kind;
        EXPECT_EQ(basic->errors.empty(), expect) << name << " " << kind;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace mcpw::schema
