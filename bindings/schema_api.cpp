// compileSchema() of the npm package (web/src/schema.mjs): the schema module
// (src/schema) behind a handle. Compiling goes through Embind (rare, JSON text
// in, JSON text out); validating is the hot path, so the instance text is
// written by JS straight into a buffer in Wasm memory (TextEncoder.encodeInto)
// and validated from there by a plain exported function: no Embind string
// conversion, no copy on the C++ side (measured: the Embind std::string path
// took 2x the time per call on a 213-byte instance, 3x on 156 KB).

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <string>

#include "schema/schema.h"
#include "support/json.h"

namespace mcpw::bindings {

namespace {

struct SchemaHandle {
  schema::CompiledSchema compiled;
};

// The instance text buffer shared by every handle (JS is single-threaded and
// a validation runs to completion), and the details of the last validation.
std::unique_ptr<char[]> scratch;
std::size_t scratch_size = 0;
std::string last_detail;

json error_value(const Error& e) {
  json data = nullptr;
  if (!e.data_json.empty()) {
    if (auto d = parse_json(e.data_json); d.ok()) data = std::move(*d);
  }
  return json{{"id", e.id.id},
              {"kind", e.kind() == ErrorKind::local ? "local" : "remote"},
              {"message", e.message},
              {"data", std::move(data)}};
}

std::string fail(std::string_view id, const std::string& message) {
  return dump_json(json{{"error", {{"id", id}, {"kind", "local"}, {"message", message}, {"data", nullptr}}}});
}

// "2020-12", "2019-09", "7" / "draft-07", or the metaschema URIs.
bool parse_dialect(std::string_view s, schema::Draft& out) {
  if (s.find("2020-12") != std::string_view::npos) return out = schema::Draft::draft2020_12, true;
  if (s.find("2019-09") != std::string_view::npos) return out = schema::Draft::draft2019_09, true;
  if (s == "7" || s.find("draft-07") != std::string_view::npos || s == "draft7") {
    return out = schema::Draft::draft7, true;
  }
  return false;
}

// Keys of `schemas` name documents; a trailing empty fragment ("...#") is the same document.
std::string document_uri(std::string_view uri) {
  if (!uri.empty() && uri.back() == '#') uri.remove_suffix(1);
  return std::string(uri);
}

// schemaCompile(schemaText, optionsText) -> '{"handle":N}' or '{"error":{...}}'.
// Options: {formats: "annotate"|"assert", defaultDialect, schemas: {uri: schema}}.
std::string schema_compile(const std::string& schema_text, const std::string& options_text) {
  schema::CompileOptions opts;
  JsonLimits schema_limits;
  schema_limits.max_depth = opts.limits.max_schema_depth;
  auto options = parse_json(options_text);
  if (!options.ok() || !options->is_object()) return fail("support.invalid_argument", "options must be an object");
  if (auto f = find_string(*options, "formats")) {
    if (*f != "annotate" && *f != "assert") {
      return fail("support.invalid_argument", "options.formats must be \"annotate\" or \"assert\"");
    }
    opts.format_assertion = *f == "assert";
  }
  if (const json* d = find_member(*options, "defaultDialect"); d && !d->is_null()) {
    if (!d->is_string() || !parse_dialect(d->get_ref<const std::string&>(), opts.default_draft)) {
      return fail("support.invalid_argument",
                  "options.defaultDialect must be \"2020-12\", \"2019-09\" or \"draft-07\" (or its metaschema URI)");
    }
  }
  auto remotes = std::make_shared<std::map<std::string, std::string>>();
  if (const json* s = find_member(*options, "schemas"); s && !s->is_null()) {
    if (!s->is_object()) return fail("support.invalid_argument", "options.schemas must be an object {uri: schema}");
    for (const auto& [uri, doc] : s->items()) (*remotes)[document_uri(uri)] = dump_json(doc);
  }
  opts.resolver = [remotes](std::string_view uri) -> Result<std::string> {
    auto it = remotes->find(document_uri(uri));
    if (it == remotes->end()) {
      return Error(schema::SCHEMA_UNRESOLVED_REF,
                   "no schema for " + std::string(uri) + " (pass it in options.schemas; nothing is fetched)");
    }
    return it->second;
  };
  auto doc = parse_json(schema_text, schema_limits);
  if (!doc.ok()) return dump_json(json{{"error", error_value(doc.error())}});
  auto compiled = schema::CompiledSchema::compile(*doc, opts);
  if (!compiled.ok()) return dump_json(json{{"error", error_value(compiled.error())}});
  auto* handle = new SchemaHandle{std::move(*compiled)};
  return dump_json(json{{"handle", reinterpret_cast<std::uintptr_t>(handle)}});
}

void schema_free(double handle) {
  delete reinterpret_cast<SchemaHandle*>(static_cast<std::uintptr_t>(handle));
}

std::string last_result() { return last_detail; }

// The verdict first (flag output: stops at the first failure, tracks no
// locations); only an invalid instance is evaluated again for its errors.
int validate(const SchemaHandle* h, std::string_view text, bool basic) {
  auto verdict = h->compiled.is_valid_text(text);
  if (!verdict.ok()) {
    last_detail = dump_json(error_value(verdict.error()));
    return -1;
  }
  if (verdict.value()) return 1;
  if (!basic) return 0;
  auto out = h->compiled.validate_text(text, schema::OutputFormat::basic);
  if (!out.ok()) {
    last_detail = dump_json(error_value(out.error()));
    return -1;
  }
  if (out->valid) return 1;
  if (!basic) return 0;
  json errors = json::array();
  for (const auto& e : out->errors) {
    errors.push_back(json{{"instanceLocation", e.instance_location},
                          {"keywordLocation", e.keyword_location},
                          {"message", e.message}});
  }
  last_detail = dump_json(errors);
  return 0;
}

}  // namespace

}  // namespace mcpw::bindings

extern "C" {

/// A buffer of at least `size` bytes for the instance text (valid until the next call).
EMSCRIPTEN_KEEPALIVE char* mcpw_schema_buffer(std::size_t size) {
  using namespace mcpw::bindings;
  if (size > scratch_size) {
    std::size_t want = scratch_size ? scratch_size : 4096;
    while (want < size) want *= 2;
    scratch.reset(new (std::nothrow) char[want]);
    scratch_size = scratch ? want : 0;
  }
  return scratch.get();
}

/// Validates the first `len` bytes of the buffer: 1 valid, 0 invalid (errors in
/// schemaLastResult() when `basic`), -1 a typed error (schemaLastResult()).
EMSCRIPTEN_KEEPALIVE int mcpw_schema_validate(std::uintptr_t handle, std::size_t len, int basic) {
  using namespace mcpw::bindings;
  if (len > scratch_size) {
    last_detail = R"({"id":"support.invalid_argument","kind":"local","message":"text outside the buffer","data":null})";
    return -1;
  }
  return validate(reinterpret_cast<const SchemaHandle*>(handle), std::string_view(scratch.get(), len), basic != 0);
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(mcpw_schema) {
  using namespace emscripten;
  function("schemaCompile", &mcpw::bindings::schema_compile);
  function("schemaFree", &mcpw::bindings::schema_free);
  function("schemaLastResult", &mcpw::bindings::last_result);
}
