#pragma once
// The compiler's state (internal), shared by frame.cpp (documents, resources,
// `$id`/anchors, reference resolution) and compile.cpp (keywords to
// instructions). Both walk with explicit work lists, never recursion.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema/program.h"
#include "schema/schema.h"

namespace mcpw::schema {

/// Vocabularies in effect for a schema resource (2020-12 core §8.1.2).
enum Vocab : unsigned {
  VOCAB_CORE = 1, VOCAB_APPLICATOR = 2, VOCAB_VALIDATION = 4, VOCAB_UNEVALUATED = 8,
  VOCAB_FORMAT_ASSERTION = 16, VOCAB_CONTENT = 32, VOCAB_META = 64,
  VOCAB_ALL = 1 | 2 | 4 | 8 | 32 | 64,
};

struct Dialect {
  Draft draft = Draft::draft2020_12;
  unsigned vocab = VOCAB_ALL;
};

/// Where a schema object sits: its base URI, dialect and resource.
struct FrameInfo {
  std::string base;
  Dialect dialect;
  std::uint32_t resource = 0;
};

struct ResourceInfo {
  std::vector<std::pair<std::string, const json*>> dynamic_anchors;  // name -> schema
  const json* root = nullptr;
};

class Compiler {
 public:
  explicit Compiler(const CompileOptions& options) : opt_(options) {}
  Result<std::shared_ptr<Program>> run(const json& root);

 private:
  // frame.cpp
  Status add_document(const json* doc, const std::string& uri, Dialect fallback);
  Status frame(const json* node, const std::string& base, Dialect dialect, std::uint32_t resource);
  Result<Dialect> dialect_of(std::string_view schema_uri, Dialect fallback);
  Status ensure_document(const std::string& abs_uri, Dialect fallback);
  Result<const json*> resolve(const std::string& base, std::string_view ref, Dialect fallback);
  std::string absolute(const std::string& base, std::string_view ref) const;

  // compile.cpp
  Result<std::uint32_t> schema_index(const json* node);
  Status compile_node(std::uint32_t index, const json* node);
  void cover_required(std::vector<Instr>& code);
  void mark_shallow();
  Status compile_keywords(const json& s, const FrameInfo& f, std::vector<Instr>& out, SchemaNode& node);
  Status compile_applicators(const json& s, const FrameInfo& f, std::vector<Instr>& out,
                             const std::vector<DepEntry>& dep_schemas);
  Instr& emit(std::vector<Instr>& out, Op op, std::string_view keyword);
  Result<std::uint32_t> add_edge(const json& sub, std::string fragment);
  Result<Edge> edge(const json& sub, std::string frag);
  std::uint32_t intern(std::string_view s);
  Status add_constant(const json& v);

  const CompileOptions& opt_;
  std::shared_ptr<Program> p_ = std::make_shared<Program>();
  std::vector<std::unique_ptr<json>> docs_;
  std::unordered_map<const json*, FrameInfo> frames_;
  std::unordered_map<std::string, const json*> ids_;  // absolute URIs and "uri#anchor"
  std::unordered_map<const json*, std::string> dyn_anchor_of_;  // node -> its $dynamicAnchor name
  std::vector<ResourceInfo> resources_;
  std::unordered_map<const json*, std::uint32_t> compiled_;
  std::vector<std::pair<std::uint32_t, const json*>> queue_;
  std::unordered_map<std::string, std::uint32_t> interned_;
  bool has_dynamic_ = false;
  int dialect_depth_ = 0;
  std::size_t anchors_compiled_ = 0;
};

/// The keyword-location fragment "/keyword" or "/keyword/child" (RFC 6901 escaped).
std::string frag(std::string_view keyword);
std::string frag(std::string_view keyword, std::string_view child);

inline constexpr std::string_view RECURSIVE_ANCHOR_NAME = "\x01recursive";

}  // namespace mcpw::schema
