#pragma once
// The compiled program (internal): flat vectors of schemas, instructions and
// edges, with every subschema reference resolved to an index at compile
// time. Immutable once built; evaluate.cpp only reads it.

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "schema/formats.h"
#include "schema/pattern.h"
#include "schema/schema.h"
#include "schema/tape.h"
#include "support/bytes.h"

namespace mcpw::schema {

static_assert(std::endian::native == std::endian::little, "hash_name reads names as little-endian words");

inline constexpr std::uint32_t NONE = 0xFFFFFFFFu;
/// object_props has a hash table of its properties (Instr::f: its first slot
/// in Program::prop_slots; flags >> 1: log2 of its size).
inline constexpr std::uint8_t PROPS_BY_HASH = 1;
/// object_props of a closed object: additionalProperties is `false` and there
/// are no patternProperties, so a member no property names fails by its name.
inline constexpr std::uint8_t PROPS_CLOSED = 0x80;
inline constexpr std::uint8_t PROPS_BITS_MASK = 0x3F;  // of flags >> 1
/// `required` whose names are all properties of the same schema's
/// object_props: with flag output that instruction checks them (Instr::g),
/// counting the members it finds anyway, and this one passes.
inline constexpr std::uint8_t REQUIRED_BY_PROPS = 1;

enum class Op : std::uint8_t {
  fail,                 // the `false` schema
  type,                 // a: mask of 1 << NodeKind (integer also admits integral numbers when b)
  enum_,                // a: first constant, b: count (sorted by constant_hashes)
  const_,               // a: constant
  multiple_of,          // num
  maximum, exclusive_maximum, minimum, exclusive_minimum,  // num
  max_length, min_length,                                  // a
  pattern,              // a: pattern index
  format,               // a: Format
  content,              // a: 1 when base64, b: 1 when application/json
  max_items, min_items, // a
  unique_items,
  contains,             // a: edge, b: min, c: max (NONE: unbounded), d: 1 when it annotates items
  max_properties, min_properties,  // a
  required,             // a: first name, b: count
  dependent_required,   // a: first dependency, b: count (names: dep.first, dep.count)
  object_props,         // a,b: properties; c,d: patternProperties; e: additionalProperties edge
  property_names,       // a: edge
  dependent_schemas,    // a: first dependency, b: count (dep.edge)
  items,                // a,b: prefix edges; c: rest edge or NONE
  all_of, any_of, one_of,  // a: first edge, b: count
  not_,                 // a: edge
  if_then_else,         // a: if edge, b: then edge, c: else edge (NONE when absent)
  ref,                  // a: edge
  dynamic_ref,          // a: static edge, b: dynamic anchor name or NONE
  unevaluated_properties, unevaluated_items,  // a: edge
};

/// One instruction. `kw` is the fragment id of its keyword ("/minimum").
struct Instr {
  Op op;
  std::uint8_t flags = 0;  // object_props: PROPS_BY_HASH, table size, PROPS_CLOSED; required: REQUIRED_BY_PROPS
  std::uint16_t g = 0;     // object_props: how many of its properties are required names (REQUIRED_BY_PROPS)
  std::uint32_t a = 0, b = 0, c = 0, d = 0, e = NONE;
  std::uint32_t kw = 0;
  std::uint32_t f = 0;  // object_props: first hash slot
  double num = 0;
};

/// A reference to a subschema plus the keyword-location fragment that leads to it.
struct Edge {
  std::uint32_t schema;
  std::uint32_t frag;  // fragment id, e.g. "/properties/foo" or "/$ref"
};

struct PropEntry {
  std::uint64_t hash;  // hash_name of the name
  Edge edge;
  std::uint32_t name_off = 0, name_len = 0;  // the name's bytes in Program::prop_names
  bool required = false;  // a name of the same schema's `required` (REQUIRED_BY_PROPS)
};

struct PatternEntry {
  std::uint32_t pattern;
  Edge edge;
};

struct DepEntry {
  std::uint32_t name;         // the triggering property
  std::uint32_t first = 0, count = 0;  // required names (dependentRequired)
  Edge edge{NONE, 0};         // dependentSchemas
};

/// A subschema a member or item is checked against in place
/// (Evaluator::apply_child): `any`, `types` and `format` need no evaluation
/// when they hold (no keywords: `{}`, `true`, annotations only; a `type`
/// alone; a `format` that asserts, alone or with a `type`: the usual string
/// field); `assertions` (keywords that apply no subschema) and `shallow`
/// (assertions plus `properties`/`additionalProperties` with no
/// patternProperties, and `items`, whose subschemas are all leaves of the
/// other kinds: one level, so no recursion) run without entering a
/// subschema when only a verdict is wanted.
enum class Leaf : std::uint8_t { none, any, types, assertions, shallow, format };

/// Whether `op` asserts on the instance alone: applies no subschema, so it
/// needs no dynamic scope, nesting bound or annotations.
inline bool is_assertion(Op op) {
  switch (op) {
    case Op::contains:
    case Op::object_props:
    case Op::property_names:
    case Op::dependent_schemas:
    case Op::items:
    case Op::all_of:
    case Op::any_of:
    case Op::one_of:
    case Op::not_:
    case Op::if_then_else:
    case Op::ref:
    case Op::dynamic_ref:
    case Op::unevaluated_properties:
    case Op::unevaluated_items:
      return false;
    default:
      return true;
  }
}

/// One compiled schema object: a contiguous run of instructions.
struct SchemaNode {
  std::uint32_t first = 0, count = 0;
  std::uint32_t resource = 0;    // the schema resource it belongs to (dynamic scope)
  bool has_unevaluated = false;  // needs annotations from its own subtree
  Leaf leaf = Leaf::none;
  std::uint32_t leaf_types = 0;  // Leaf::types, Leaf::format: the type instruction's mask (format alone: every type)
  Format leaf_format{};          // Leaf::format
};

struct ResourceNode {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> dynamic_anchors;  // name id -> schema
};

struct Program {
  std::vector<SchemaNode> schemas;
  std::vector<Instr> instrs;
  std::vector<Edge> edges;
  std::vector<PropEntry> props;
  /// Open-addressing tables of object_props (linear probing by hash_name):
  /// 1 + the property's index in its run of `props`, 0 when empty.
  std::vector<std::uint32_t> prop_slots;
  /// The property names back to back, then 8 zero bytes: any name can be
  /// read a whole 8-byte word at a time (names_equal_padded).
  std::vector<char> prop_names;
  std::vector<PatternEntry> pattern_entries;
  std::vector<DepEntry> deps;
  std::vector<std::uint32_t> names;   // string ids for required lists
  std::vector<std::string> strings;   // interned names and fragments
  std::vector<Pattern> patterns;
  std::vector<ResourceNode> resources;
  std::vector<Tape> constants;         // enum/const values
  std::vector<std::uint64_t> constant_hashes;
  std::uint32_t root = 0;
  /// The root schema's object_props (an index in instrs) when a verdict can
  /// judge the root object's members one by one as they are read
  /// (MemberProbe): no annotations at the root, no patternProperties. NONE
  /// otherwise.
  std::uint32_t root_props = NONE;
  bool uses_annotations = false;
  CompileLimits limits;
};

/// A hash of a member name for object_props' table: O(1) (length and the
/// first and last 8 bytes); equal hashes are compared by name anyway.
/// A name of under 8 bytes (b is 0) takes one multiply: the lookup's
/// latency is the member loop's critical path (three dependent multiplies
/// were ~12 cycles of it per member in Wasm).
inline std::uint64_t mix_name(std::uint64_t a, std::uint64_t b, std::size_t n) {
  std::uint64_t h = (a ^ (n * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  if (n < 8) return h ^ (h >> 32);
  h ^= (b + (h >> 31)) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

/// The first n < 8 bytes at p as a little-endian word; 8 bytes must be readable.
inline std::uint64_t low_bytes(const char* p, std::size_t n) {
  return n == 0 ? 0 : load_word(p) & (~std::uint64_t{0} >> (64 - 8 * n));
}

inline std::uint64_t hash_name(std::string_view s) {
  std::uint64_t a = 0, b = 0;
  const std::size_t n = s.size();
  if (n >= 8) {
    a = load_word(s.data());
    b = load_word(s.data() + n - 8);
  } else {
    for (std::size_t i = 0; i < n; ++i) a |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  }
  return mix_name(a, b, n);
}

/// hash_name of the n bytes at p when 8 bytes from p are readable even if
/// n < 8: no loop over the bytes (the scanner's arena and prop_names are).
inline std::uint64_t hash_name_padded(const char* p, std::size_t n) {
  if (n >= 8) return mix_name(load_word(p), load_word(p + n - 8), n);
  return mix_name(low_bytes(p, n), 0, n);
}

/// Whether the n bytes at a and b are equal, a word at a time; as
/// hash_name_padded, 8 bytes must be readable from each when n < 8.
inline bool names_equal_padded(const char* a, const char* b, std::size_t n) {
  if (n < 8) return low_bytes(a, n) == low_bytes(b, n);
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (load_word(a + i) != load_word(b + i)) return false;
  }
  return load_word(a + n - 8) == load_word(b + n - 8);
}

}  // namespace mcpw::schema
