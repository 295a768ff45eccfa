#pragma once
// Turns OpenAPI Schema Objects into self-contained JSON Schema 2020-12 for
// one tool: local $refs inlined (cycles kept under $defs), allOf merged,
// 3.0 `nullable` and boolean exclusive bounds converted, readOnly (requests)
// or writeOnly (responses) properties removed. Internal to src/flatten.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flatten/flatten.h"
#include "support/json.h"
#include "support/result.h"

namespace mcpw::flatten::detail {

/// Which side of the exchange a schema describes (OpenAPI 3.1 §4.8.24.4:
/// readOnly = response only, writeOnly = request only).
enum class Direction : unsigned char { request, response };

/// The JSON value `ref` (a "#/..." fragment, RFC 6901 after RFC 3986
/// percent-decoding) points to in `doc`, or nullptr.
const json* resolve_local_ref(const json& doc, std::string_view ref);

/// Follows the $ref chain of a non-schema object (Parameter, Request Body,
/// Response, Path Item) to the object itself.
Result<const json*> follow_refs(const json& doc, const json& node, std::size_t max_chain);

/// True when `schema` accepts JSON null (type array with "null", enum with
/// null, or a union with a null branch), looking one level into unions.
bool schema_allows_null(const json& schema);

/// The names in a schema's `type` (a string or an array of them), in order.
std::vector<std::string> schema_types(const json& schema);

/// True when the schema describes a JSON object at its root (type "object",
/// or no type but properties), without a root oneOf/anyOf.
bool is_plain_object_schema(const json& schema);

/// One inliner per tool and direction: its $defs collect the cyclic targets.
class SchemaInliner {
 public:
  SchemaInliner(const json& doc, const FlattenLimits& limits, Direction dir);

  /// The self-contained form of `schema` (which may be a $ref).
  Result<json> inline_schema(const json& schema);
  /// The $defs the inlined schemas refer to (an object, maybe empty).
  Result<json> take_defs();

 private:
  Result<json> visit(const json& node, std::size_t depth, std::size_t chain);
  Result<json> visit_ref(const json& node, std::string_view ref, std::size_t depth, std::size_t chain);
  Result<json> visit_children(const json& node, std::size_t depth);
  std::string def_name_for(std::string_view ref);

  const json& doc_;
  FlattenLimits limits_;
  Direction dir_;
  std::size_t nodes_ = 0;
  std::vector<std::string> stack_;              // refs being inlined right now
  std::map<std::string, std::string> def_names_;  // ref -> $defs name
  std::map<std::string, json> defs_;            // $defs name -> schema (once done)
};

/// Merges the members of an `allOf` into `target` (which has no allOf any
/// more); members that cannot be merged stay in a residual allOf.
void merge_all_of(json& target, const json& members, std::size_t depth_budget);

/// OpenAPI 3.0 §4.7.24.1 `nullable: true` -> JSON Schema null in `type`
/// (or an anyOf branch when there is no type); removes `nullable`.
void convert_nullable(json& schema);

}  // namespace mcpw::flatten::detail
