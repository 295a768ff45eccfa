#pragma once
// Working on this module? Read /work/main/DEVELOPING.md first.
//
// JSON Schema validation compiled once, evaluated many times, with no code
// generation (JSON Schema 2020-12 core + validation, 2019-09, draft-07).
//
// Pipeline (one file per step): uri -> frame (find resources, $id, anchors)
// -> compile (flat program of instructions with resolved subschema indices)
// -> evaluate (over a compact instance tape) -> output (flag or basic).
//
// Error ids (stable):
//   schema.invalid          the schema is not a valid schema (wrong keyword type...)
//   schema.unknown_dialect  `$schema` names a dialect we do not know and cannot resolve
//   schema.unresolved_ref   a `$ref`/`$dynamicRef`/`$recursiveRef` target cannot be found
//   schema.unsupported      a valid construct this implementation does not support
//                           (e.g. a required unknown vocabulary, or `pattern` without
//                           a regex engine)
//   schema.too_large        compile limits exceeded (depth, instructions, documents)
//   schema.eval_depth       evaluation nested deeper than the limit (e.g. `{"$ref":"#"}`)
//   schema.eval_budget      one validation evaluated more subschemas than allowed
//                           (e.g. nested anyOf of refs that fan out exponentially)
//   schema.regex_budget     a pattern ran out of its step budget on this instance
// Instance parse errors keep the json.* ids of support/json.h.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/json.h"
#include "support/result.h"

namespace mcpw::schema {

inline constexpr ErrorId SCHEMA_INVALID{"schema.invalid", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_UNKNOWN_DIALECT{"schema.unknown_dialect", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_UNRESOLVED_REF{"schema.unresolved_ref", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_UNSUPPORTED{"schema.unsupported", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_TOO_LARGE{"schema.too_large", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_EVAL_DEPTH{"schema.eval_depth", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_EVAL_BUDGET{"schema.eval_budget", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_REGEX_BUDGET{"schema.regex_budget", ErrorKind::remote};

/// The dialects we implement (2020-12 core §8.1.1 `$schema`).
enum class Draft : unsigned char { draft7, draft2019_09, draft2020_12 };

/// Fetches the schema document named by an absolute URI (no fragment) that is
/// neither in the schema itself nor embedded; returns its JSON text. The core
/// never touches the network: the host decides (2020-12 core §9.1.2).
using Resolver = std::function<Result<std::string>(std::string_view absolute_uri)>;

#if defined(__SANITIZE_ADDRESS__)
#define MCPW_SCHEMA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MCPW_SCHEMA_ASAN 1
#endif
#endif
// Evaluation costs ~400 bytes of stack per nested subschema in optimised
// builds and ~6.5 KB under ASan at -O0; the default budget follows the build.
#ifdef MCPW_SCHEMA_ASAN
inline constexpr std::size_t EVAL_STACK_DEFAULT = 6u << 20;
#else
inline constexpr std::size_t EVAL_STACK_DEFAULT = 1u << 20;
#endif

/// A regular-expression engine the host may inject for `pattern` and
/// `patternProperties` (2020-12 validation §6.3.3: ECMA-262 dialect). In Wasm,
/// the host's own RegExp is exact and CSP-safe; natively the built-in bounded
/// engine (src/regex) is used when none is given. Must be usable from const
/// methods concurrently if the compiled schema is shared across threads.
class PatternEngine {
 public:
  virtual ~PatternEngine() = default;
  /// Compiles an ECMA-262 pattern (u flag); returns the engine's handle for it.
  virtual Result<std::uint32_t> compile(std::string_view pattern) = 0;
  /// Unanchored search (RegExp.prototype.test).
  virtual Result<bool> search(std::uint32_t handle, std::string_view subject) const = 0;
};

/// Compile limits: a schema that exceeds one fails to compile (schema.too_large).
struct CompileLimits {
  std::size_t max_schema_depth = 256;      // nesting of the schema document (checked before any copy)
  std::size_t max_subschemas = 200'000;    // compiled schema objects
  std::size_t max_instructions = 1'000'000;
  std::size_t max_documents = 64;          // root + resolved remotes + metaschemas
  std::size_t max_eval_depth = 1000;       // nested subschema evaluations at run time
  std::size_t max_eval_stack_bytes = EVAL_STACK_DEFAULT;  // C++ stack the evaluation may use
  std::size_t max_eval_steps = 20'000'000;  // work per validation, plus 64 per instance node (bounds time)
  std::size_t max_instance_depth = 128;    // nesting of an nlohmann instance given to validate()
  JsonLimits document_limits{};            // for resolver-supplied documents
};

/// How a schema is compiled.
struct CompileOptions {
  Draft default_draft = Draft::draft2020_12;  // when the root has no `$schema`
  bool format_assertion = false;  // 2020-12 validation §7.2.2: annotate unless asked
  bool content_assertion = false;  // validation §8.1: contentEncoding/MediaType (base64, JSON)
  Resolver resolver;              // may be empty: then only local and embedded URIs
  std::shared_ptr<PatternEngine> pattern_engine;  // empty: the built-in regex engine
  std::string base_uri = "mcpw:/root.json";  // retrieval URI of the root (core §9.1.1)
  CompileLimits limits{};
};

/// Output formats (2020-12 core §12.4): verdict only, or a flat list of errors.
enum class OutputFormat : unsigned char { flag, basic };

/// Which reader turns instance text into the tape: the module's scanner
/// (default, fastest) or nlohmann's SAX parser. They accept the same texts and
/// build the same tape (tests and a fuzz target check both against the DOM
/// path), except that nlohmann stops at a NUL byte between tokens and the
/// scanner refuses the text instead.
enum class TextReader : unsigned char { scanner, nlohmann_sax };

/// One error unit of the "basic" output (core §12.3: keywordLocation and
/// instanceLocation as JSON Pointers, keywordLocation through `$ref`s).
struct OutputUnit {
  std::string keyword_location;
  std::string instance_location;
  std::string message;
};

/// The result of one validation.
struct ValidationOutput {
  bool valid = false;
  std::vector<OutputUnit> errors;  // empty with OutputFormat::flag
};

/// The spec's JSON shape of an output (core §12.4.2 "basic").
json make_basic_output(const ValidationOutput& output);

struct Program;  // defined in program.h (internal)
struct Tape;     // tape.h

/// A compiled schema: immutable, reusable, cheap to share across threads.
class CompiledSchema {
 public:
  /// Compiles a schema document (2020-12 core §9 resolution, §7 dialects).
  /// Every `$ref`/`$dynamicRef`/`$recursiveRef` in the loaded documents must
  /// resolve, reachable or not; the resolver is called here and never later.
  static Result<CompiledSchema> compile(const json& schema, const CompileOptions& options = {});

  /// Validates an nlohmann value (converted to the compact tape first).
  Result<ValidationOutput> validate(const json& instance, OutputFormat format = OutputFormat::flag) const;

  /// Validates JSON text (RFC 8259) read straight into the compact tape, no
  /// DOM. Parse errors keep their json.* ids.
  Result<ValidationOutput> validate_text(std::string_view text, OutputFormat format = OutputFormat::flag,
                                         const JsonLimits& limits = {},
                                         TextReader reader = TextReader::scanner) const;

  /// The verdict only (flag output) for JSON text, read with the scanner: the
  /// fastest path (no output object). Parse errors keep their json.* ids.
  /// When the schema has `properties` at its root, the root object's members
  /// are judged as they are read, from `first_look` bytes or a quarter of the
  /// text on, whichever is further (0: from the first member): one that fails
  /// ends the read early, once the rest is known to be JSON (a later member
  /// of its name counts instead).
  Result<bool> is_valid_text(std::string_view text, const JsonLimits& limits = {}, std::size_t first_look = 64) const;

  /// The verdict only for the value at node `node` of a tape (e.g. a result
  /// inside a whole message the scanner read once).
  Result<bool> is_valid_tape(const Tape& tape, std::uint32_t node) const;

  /// Numbers about the program (for tests and benchmarks).
  std::size_t subschema_count() const;
  std::size_t instruction_count() const;

  CompiledSchema(CompiledSchema&&) noexcept;
  CompiledSchema& operator=(CompiledSchema&&) noexcept;
  ~CompiledSchema();

 private:
  explicit CompiledSchema(std::shared_ptr<const Program> program);
  std::shared_ptr<const Program> program_;
};

}  // namespace mcpw::schema
