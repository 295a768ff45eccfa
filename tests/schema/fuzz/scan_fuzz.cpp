// libFuzzer target for the instance text readers (STYLE.md habit 6).
// Property: the module's scanner accepts exactly the texts nlohmann accepts,
// and then builds the same tape as the SAX reader; a compiled schema gives
// the same verdict on the text paths and on the DOM. Built by hand (see
// README.md beside this file); not part of the CMake build.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "schema/schema.h"
#include "schema/tape.h"

using namespace mcpw;
using namespace mcpw::schema;

namespace {

const CompiledSchema& fuzz_schema() {
  static const CompiledSchema s = [] {
    auto doc = parse_json(R"({"type":["object","array"],"properties":{"a":{"type":"integer","multipleOf":3},
      "b":{"type":"array","items":{"type":"string","maxLength":4},"uniqueItems":true}},
      "additionalProperties":{"enum":[null,true,1.5,"x",[1],{"k":0}]},"items":{"$ref":"#"},"maxItems":5})");
    auto c = CompiledSchema::compile(doc.value());
    if (!c.ok()) std::abort();
    return std::move(c.value());
  }();
  return s;
}

bool same(const Tape& a, const Tape& b) {
  if (a.nodes.size() != b.nodes.size()) return false;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const TapeNode &x = a.nodes[i], &y = b.nodes[i];
    if (x.kind != y.kind || x.end != y.end || a.key(x) != b.key(y)) return false;
    if (x.kind == NodeKind::string && a.str(x) != b.str(y)) return false;
    if (x.kind == NodeKind::integer && x.i != y.i) return false;
    if (x.kind == NodeKind::number && !(x.num == y.num || (x.num != x.num && y.num != y.num))) return false;
    if (x.kind == NodeKind::boolean && x.flag != y.flag) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonLimits limits;
  limits.max_depth = 64;
  Tape scanned, sax;
  const bool scan_ok = scan_tape_from_text(text, limits, scanned).ok();
  const bool sax_ok = build_tape_from_text(text, limits, sax).ok();
  auto dom = parse_json(text, limits);
  if (sax_ok != dom.ok()) std::abort();
  // nlohmann's lexer takes a NUL byte where a token may start as the end of
  // input, so it accepts "0\0garbage"; the scanner refuses such texts.
  if (text.find('\0') != std::string_view::npos) {
    if (scan_ok && !dom.ok()) std::abort();
    if (!scan_ok) return 0;
  } else if (scan_ok != dom.ok()) {
    std::abort();
  }
  if (!dom.ok()) return 0;
  if (!same(scanned, sax)) std::abort();
  auto v1 = fuzz_schema().validate_text(text, OutputFormat::flag, limits);
  auto v2 = fuzz_schema().validate(dom.value(), OutputFormat::basic);
  if (v1.ok() && v2.ok() && v1->valid != v2->valid) std::abort();
  return 0;
}
