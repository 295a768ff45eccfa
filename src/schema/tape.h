#pragma once
// The compact instance representation the evaluator reads: one flat vector of
// nodes in document order plus one byte arena for strings and keys. Built
// either from an nlohmann value or straight from JSON text through nlohmann's
// SAX interface (no DOM: building the DOM was most of the cost of validation).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/json.h"
#include "support/result.h"

namespace mcpw::schema {

enum class NodeKind : std::uint8_t { null, boolean, integer, number, string, array, object };

/// One JSON value. Containers are followed by their children; `end` is the
/// index one past the subtree, so siblings are reached without recursion.
/// Trivial (no member initialisers): `TapeNode{}` is all zero, while the
/// tape's vector leaves new elements uninitialised (the scanner writes every
/// field; see UninitAllocator).
struct TapeNode {
  NodeKind kind;
  bool flag;               // boolean value; for `integer`: true when it came as unsigned > INT64_MAX
  std::uint32_t key_off;   // member name (when the parent is an object)
  std::uint32_t key_len;
  std::uint32_t end;       // one past the subtree
  std::uint32_t count;     // members / items / string bytes
  std::uint32_t str_off;   // string value offset; containers read by the scanner: their text's end
  double num;              // every number, as a double
  std::int64_t i;          // exact value for `integer` nodes; containers read by the scanner: their text's start
};

/// An allocator whose argument-less construct() leaves a trivial value
/// uninitialised: resize() of a reused scratch tape then writes nothing (it
/// was a memset of every new node per validation of a small instance).
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

/// A parsed instance. Node 0 is the root.
struct Tape {
  std::vector<TapeNode, UninitAllocator<TapeNode>> nodes;
  std::string arena;

  std::string_view key(const TapeNode& n) const { return {arena.data() + n.key_off, n.key_len}; }
  std::string_view str(const TapeNode& n) const { return {arena.data() + n.str_off, n.count}; }
  void clear() { nodes.clear(); arena.clear(); }
};

/// Room in a fresh tape for the nodes a JSON text of `bytes` usually holds
/// (12-30 bytes per value in the bench corpus and in tools/list answers), at
/// most 2^18 nodes (10 MB). Scanning a large answer into a fresh tape grew
/// the nodes by doublings, each moving every node one by one (libc++ with
/// this allocator): a tenth of the Wasm time of a 1,000-tool list.
inline void reserve_nodes(Tape& tape, std::size_t bytes) {
  tape.nodes.reserve(std::min<std::size_t>(bytes / 12, std::size_t{1} << 18) + 16);
}

/// Fills `tape` from JSON text through the SAX interface, within `limits`
/// (RFC 8259; same limits and error ids as parse_json).
Status build_tape_from_text(std::string_view text, const JsonLimits& limits, Tape& tape);

/// The text of container `node` of a tape scan_tape_from_text filled from `text`.
inline std::string_view container_text(std::string_view text, const TapeNode& node) {
  return text.substr(static_cast<std::size_t>(node.i), node.str_off - static_cast<std::size_t>(node.i));
}

/// The JSON text of any node of a tape the scanner filled from `text`:
/// containers as written there, scalars written anew (they keep no offsets).
std::string node_text(const Tape& tape, std::uint32_t node, std::string_view text);

/// A verdict-only reader's early look at an object document
/// (CompiledSchema::is_valid_text): the scanner hands it the members of the
/// root object whose values are complete, at the first ',' between root
/// members past `next_at` bytes of text, then twice as far as that each
/// time, while MIN_REST bytes or more are left (few calls per document, none
/// for a short one; 0: at every ','; the last member is left to the
/// evaluation of the whole). When a member alone makes the document
/// invalid, the rest of the text is only checked to be JSON the scanner
/// would accept, with no later member of the same name (the last of a name
/// is the one that counts), and the scan stops there: the tape holds the
/// nodes read so far.
struct MemberProbe {
  enum class Verdict : std::uint8_t { holds, fails, unknown };
  /// Less text than this after a spaced look's ',' and there is none: a
  /// skim of so little cannot win back a look (~30-50 ns in Wasm, and values
  /// judged that a later member's name may make moot).
  static constexpr std::size_t MIN_REST = 64;
  /// The verdict on the members of the root object of the tape being filled
  /// from node `first` up to node `end` (consecutive members, their subtrees
  /// complete; the root's own fields are not): `holds` when all hold, else
  /// that of the first that does not, whose node goes to `at`.
  virtual Verdict check(const Tape& tape, std::uint32_t first, std::uint32_t end, std::uint32_t& at) = 0;
  /// Root members at nodes before this one all held check() (0 when the
  /// root object dropped a duplicate member: the nodes moved).
  std::uint32_t checked_end = 0;
  /// The scan stopped at a member that fails; the text is valid JSON.
  bool failed = false;
  /// Where the scanner looks next (bytes into the text).
  std::size_t next_at = 0;

 protected:
  ~MemberProbe() = default;
};

/// Fills `tape` from JSON text with the module's own scanner: accepts exactly
/// what nlohmann accepts (RFC 8259, RFC 3629 UTF-8), several times faster,
/// with one deliberate difference: nlohmann takes a NUL byte between tokens
/// as the end of input (so "0\0garbage" parses as 0); the scanner refuses it.
/// Containers keep where their text starts and ends (container_text).
/// With a `probe`, the root object's members go through it (MemberProbe).
Status scan_tape_from_text(std::string_view text, const JsonLimits& limits, Tape& tape,
                           MemberProbe* probe = nullptr);

/// Fills `tape` from an nlohmann value without recursion; fails with
/// json.too_deep past `max_depth`.
Status build_tape_from_json(const json& value, std::size_t max_depth, Tape& tape);

/// Called when object `obj` (the last container in the tape) is complete:
/// keeps only the last member of each name, as JSON.parse and nlohmann's DOM
/// do (RFC 8259 §4 leaves duplicates to the implementation), so text and DOM
/// instances see the same members.
void drop_duplicate_members(Tape& tape, std::uint32_t obj);

/// The node of member `key` of object node `obj` (the last of that name), or
/// 0 when there is none or `obj` is no object (0 is the root: never a member).
std::uint32_t find_member_node(const Tape& tape, std::uint32_t obj, std::string_view key);

/// JSON equality (2020-12 core §4.2.2: numbers by value, objects unordered).
bool tape_equal(const Tape& a, std::uint32_t ai, const Tape& b, std::uint32_t bi);

/// A hash consistent with tape_equal.
std::uint64_t tape_hash(const Tape& t, std::uint32_t i);

}  // namespace mcpw::schema
