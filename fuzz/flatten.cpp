// libFuzzer target: OpenAPI flatten (src/flatten/flatten.h), round trip.
// The input is an OpenAPI document (the seeds are single operations of the
// module's test documents; libFuzzer mutates them). Properties: any document
// flattens or fails with a flatten.* error (never a crash); every tool's
// binding survives make_binding_json -> parse_binding_json; for every tool,
// arguments drawn from its input schema (the round-trip tests' generator,
// seeded from the input) that are valid under its inputSchema (checked with
// the schema module: a mutated schema can describe values no generator
// draws) -> build_request -> parse_request give the same arguments back, and
// the binding read back from JSON builds the same request. A path that reads
// more than one way ("/{a}-{b}" with a = "x-y") is refused, not guessed.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "flatten/flatten.h"
#include "schema/schema.h"
#include "tests/flatten/arg_generator.h"

using namespace mcpw;
using namespace mcpw::flatten;

namespace {

// OpenAPI 3.1 §4.8.12.4: an exploded form object spreads its members into
// the query as name=value pairs; without declared properties nothing tells
// them from other parameters (an ambiguity of the style, as those listed in
// flatten.h), so such tools are not round-tripped.
bool has_free_form_exploded_object(const Tool& t) {
  for (const KeyBinding& k : t.binding.keys) {
    if (k.style != Style::form || !k.explode || k.content_json) continue;
    if (k.location != Location::query && k.location != Location::cookie) continue;
    if (!k.schema.is_object()) continue;
    const json* type = find_member(k.schema, "type");
    const bool object = (type && *type == "object") || (!type && find_member(k.schema, "properties"));
    if (object && !find_object(k.schema, "properties")) return true;
    if (type && type->is_array()) return true;
  }
  return false;
}

// Also false for templates parse_request refuses as ambiguous (and the
// round trip cannot hold): two variables with no text between them, or a
// variable used twice (its places may split the value differently).
bool valid_path_template(std::string_view p) {
  if (p.find_first_of("?#") != std::string_view::npos) return false;
  if (p.find("}{") != std::string_view::npos) return false;
  std::set<std::string_view> names;
  bool open = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '{') {
      if (open) return false;
      open = true;
      start = i;
    } else if (p[i] == '}') {
      if (!open || i == start + 1) return false;
      if (!names.insert(p.substr(start + 1, i - start - 1)).second) return false;
      open = false;
    } else if (open && p[i] == '/') {
      return false;
    }
  }
  return !open;
}

// parse_request refuses a path that reads more than one way. That can only
// be when a text between two variables occurs twice in the path; anything
// else refused as ambiguous is a finding.
bool may_be_ambiguous(std::string_view tmpl, std::string_view path) {
  std::size_t close = tmpl.find('}');
  while (close != std::string_view::npos) {
    const std::size_t open = tmpl.find('{', close);
    if (open == std::string_view::npos) return false;  // the last text is anchored at the end
    const std::string_view text = tmpl.substr(close + 1, open - close - 1);
    const std::size_t first = path.find(text);
    if (first != std::string_view::npos && path.find(text, first + 1) != std::string_view::npos) return true;
    close = tmpl.find('}', open);
  }
  return false;
}

bool same(const HttpRequest& a, const HttpRequest& b) {
  return a.method == b.method && a.target == b.target && a.headers == b.headers && a.body == b.body;
}

std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonLimits jl;
  jl.max_depth = 64;
  auto doc = parse_json(text, jl);
  if (!doc.ok()) return 0;
  // Known, reported to the module's owner: a path key that is not a valid
  // template (OpenAPI 3.1.1 §4.8.8: no query string; §4.8.2 path templating:
  // "{name}" pairs) still flattens, and an argument then lands in the query
  // string or is lost, so it cannot be read back.
  if (const json* paths = find_object(*doc, "paths")) {
    for (auto it = paths->begin(); it != paths->end(); ++it) {
      if (!valid_path_template(it.key())) return 0;
    }
  }
  FlattenLimits limits;
  limits.max_operations = 16;
  limits.max_schema_nodes = 4000;
  limits.max_schema_depth = 24;
  auto r = flatten_openapi(*doc, limits);
  if (!r.ok()) {
    MCPW_FUZZ_CHECK(std::string_view(r.error().id.id).starts_with("flatten."), "an error outside flatten.*");
    return 0;
  }
  testing::ArgGenerator gen(fnv1a(text));
  std::size_t n = 0;
  for (const Tool& t : r->tools) {
    if (++n > 4) break;
    auto binding = parse_binding_json(make_binding_json(t.binding));
    MCPW_FUZZ_CHECK(binding.ok(), "a binding's JSON form does not parse");
    MCPW_FUZZ_CHECK(make_binding_json(*binding) == make_binding_json(t.binding), "binding JSON round trip");
    schema::CompileOptions so;
    so.limits.max_eval_steps = 100'000;
    if (has_free_form_exploded_object(t)) continue;
    auto input_schema = schema::CompiledSchema::compile(t.input_schema, so);
    if (!input_schema.ok()) continue;
    for (int i = 0; i < 2; ++i) {
      const json args = gen.arguments(t);
      auto valid = input_schema->validate(args);
      if (!valid.ok() || !valid->valid) continue;
      auto req = build_request(t.binding, args);
      if (!req.ok()) continue;  // the generator may draw what a mutated schema cannot carry
      auto req2 = build_request(*binding, args);
      MCPW_FUZZ_CHECK(req2.ok() && same(*req, *req2), "the parsed binding builds another request");
      auto back = parse_request(t.binding, *req);
      if (!back.ok() && back.error().message.starts_with("ambiguous path:")) {
        const std::string_view target = req->target;
        MCPW_FUZZ_CHECK(may_be_ambiguous(t.binding.path_template, target.substr(0, target.find('?'))),
                        "a path refused as ambiguous that cannot be");
        continue;
      }
      if (!back.ok() || *back != testing::with_file_defaults(t, args)) {
        std::fprintf(stderr, "tool %s\nargs: %s\ntarget: %s\nbody: %s\nback: %s\n", t.name.c_str(),
                     dump_json(args).c_str(), req->target.c_str(), req->body.c_str(),
                     back.ok() ? dump_json(*back).c_str() : back.error().message.c_str());
      }
      MCPW_FUZZ_CHECK(back.ok(), "a built request does not parse back");
      MCPW_FUZZ_CHECK(*back == testing::with_file_defaults(t, args), "args -> request -> args changed the arguments");
    }
  }
  return 0;
}
