// A JSON text scanner that writes the instance tape directly (RFC 8259),
// accepting what nlohmann's parser accepts (same UTF-8 rules, same surrogate
// rules, same number overflow rule, leading BOM skipped), so the text paths
// and the DOM path agree. One exception: nlohmann ends the input at a NUL
// byte between tokens and ignores what follows; we refuse such texts. It exists for speed: the
// nlohmann lexer copies every string byte by byte into a std::string first,
// which was most of the time from text to verdict, above all in Wasm.
// Iterative: open containers are a stack (inline, then heap), depth is
// checked on entry. Strings are written through a raw cursor into an arena
// sized to the text up front (a decoded string is never longer than its
// source), so the hot loop makes no std::string calls (Emscripten's prebuilt
// libc++ does not inline them). The string reader is scan_string.h.

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "schema/scan_skim.h"
#include "schema/scan_string.h"
#include "schema/tape.h"

namespace mcpw::schema {
namespace {

using scan_detail::scan_string;
using scan_detail::skim_rest;
using scan_detail::StringEnd;

// Clinger's fast path: a decimal with at most 15 significant digits and a
// power of ten within 1e±22 converts exactly with one multiplication or
// division (both operands exact doubles), so it agrees with strtod. Other
// numbers go to strtod (musl's is slow in Wasm: software long double).
bool fast_double(const char* s, const char* end, double& out) {
  static constexpr double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = *s == '-';
  if (negative) ++s;
  std::uint64_t m = 0;
  int digits = 0, exp10 = 0;
  bool fraction = false;
  for (; s < end; ++s) {
    const char c = *s;
    if (c == '.') {
      fraction = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (m != 0 || c != '0') {
      if (++digits > 15) return false;
      m = m * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (fraction) --exp10;
  }
  if (s < end) {  // exponent
    ++s;
    bool neg_exp = false;
    if (*s == '+' || *s == '-') neg_exp = *s++ == '-';
    int e = 0;
    for (; s < end; ++s) {
      if (e > 1000) return false;
      e = e * 10 + (*s - '0');
    }
    exp10 += neg_exp ? -e : e;
  }
  double d = static_cast<double>(m);
  if (m != 0) {
    if (exp10 < -22 || exp10 > 22) return false;
    d = exp10 < 0 ? d / POW10[-exp10] : d * POW10[exp10];
  }
  out = negative ? -d : d;
  return true;
}

// strtod, out of line: inlined, musl's software long double made the scanner's
// loop a 7,000-line Wasm function that V8 compiled poorly. Called through a
// volatile pointer, since Binaryen's inliner (at link time) ignores noinline
// and inlines every function that has one caller. It needs a terminated copy;
// nlohmann parses the same way.
[[gnu::noinline, gnu::cold]] double strtod_copy(const char* start, const char* end) {
  char small[64];
  std::string big;
  const auto len = static_cast<std::size_t>(end - start);
  const char* z;
  if (len < sizeof small) {
    std::memcpy(small, start, len);
    small[len] = '\0';
    z = small;
  } else {
    big.assign(start, len);
    z = big.c_str();
  }
  return std::strtod(z, nullptr);
}
double (*volatile slow_double)(const char*, const char*) = &strtod_copy;


// Whether object `obj` (nodes obj..end-1) repeats a member name. A name is
// first sorted into one of 64 bins by its length and its first and last
// bytes; only a name whose bin is taken is compared with the names before it
// (most objects have no two names alike there, so they cost one pass).
bool has_duplicate_keys(const TapeNode* nodes, std::uint32_t obj, std::uint32_t end, const char* arena) {
  const std::uint32_t count = nodes[obj].count;
  if (count < 2) return false;
  const auto key = [&](std::uint32_t c) { return std::string_view(arena + nodes[c].key_off, nodes[c].key_len); };
  if (count == 2) {  // the usual small object: one comparison, lengths first
    const std::uint32_t a = obj + 1, b = nodes[a].end;
    return nodes[a].key_len == nodes[b].key_len && key(a) == key(b);
  }
  if (count <= 16) {
    std::uint64_t bins = 0;
    for (std::uint32_t c = obj + 1; c < end; c = nodes[c].end) {
      const std::uint32_t len = nodes[c].key_len;
      const auto* k = reinterpret_cast<const unsigned char*>(arena + nodes[c].key_off);
      const std::uint32_t h = len == 0 ? 0 : (len * 0x9Eu + k[0] * 0x3Bu + k[len - 1] * 0x71u) & 63u;
      const std::uint64_t bit = std::uint64_t{1} << h;
      if (bins & bit) {
        const std::string_view name = key(c);
        for (std::uint32_t o = obj + 1; o < c; o = nodes[o].end) {
          if (nodes[o].key_len == len && key(o) == name) return true;
        }
      }
      bins |= bit;
    }
    return false;
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(count);
  for (std::uint32_t c = obj + 1; c < end; c = nodes[c].end) {
    if (!seen.insert(key(c)).second) return true;
  }
  return false;
}

// The root members complete before a ',' and not yet probed (from node
// probe.checked_end, or 1 for the first, to n, where the tape's nodes end;
// p is after the comma, `at` bytes into the text; out is the arena's free
// end) through the probe. Returns false when probing is over: after a
// member the probe cannot judge, or one that fails. That one ends the scan
// (probe.failed) if the rest of the text is JSON the scanner accepts with
// no later member of its name; otherwise the scanner reads on. Called
// through a volatile pointer: out of the scanner's loop.
bool probe_members_impl(MemberProbe& probe, const Tape& tape, std::uint32_t n, const char* p, std::size_t at,
                        const char* end, char* out, const JsonLimits& limits) {
  // Too little text left (MemberProbe::MIN_REST): probing ends, the
  // evaluation of the whole goes on from the members judged so far.
  if (probe.next_at != 0 && static_cast<std::size_t>(end - p) < MemberProbe::MIN_REST) return false;
  probe.next_at = probe.next_at == 0 ? 0 : 2 * at;
  std::uint32_t member = 0;
  const MemberProbe::Verdict v = probe.check(tape, probe.checked_end ? probe.checked_end : 1, n, member);
  if (v == MemberProbe::Verdict::holds) {
    probe.checked_end = n;
    return true;
  }
  probe.checked_end = member;
  if (v == MemberProbe::Verdict::fails) {
    // Unless a later member of the same name replaces it: one read already,
    // or one in the rest.
    const TapeNode& m = tape.nodes[member];
    const std::string_view name(tape.arena.data() + m.key_off, m.key_len);
    for (std::uint32_t c = m.end; c < n; c = tape.nodes[c].end) {
      if (tape.key(tape.nodes[c]) == name) return false;
    }
    probe.failed = skim_rest(p, end, out, limits, name);
  }
  return false;
}
bool (*volatile probe_members)(MemberProbe&, const Tape&, std::uint32_t, const char*, std::size_t, const char*, char*,
                               const JsonLimits&) = &probe_members_impl;

// The open containers above the innermost one: its node and its count of
// children so far. The first levels live inline (no allocation per call).
class OpenStack {
 public:
  std::size_t size() const { return n_; }
  void push(std::uint32_t node, std::uint32_t count) {
    if (n_ < INLINE) {
      inline_[n_] = Entry{node, count};
    } else {
      spill_.push_back({node, count});
    }
    ++n_;
  }
  std::pair<std::uint32_t, std::uint32_t> pop() {
    --n_;
    if (n_ < INLINE) return {inline_[n_].node, inline_[n_].count};
    auto f = spill_.back();
    spill_.pop_back();
    return f;
  }

 private:
  static constexpr std::size_t INLINE = 32;
  // Trivial, so left uninitialised (std::pair's constructor zeroed all 32 on
  // every scan).
  struct Entry {
    std::uint32_t node, count;
  };
  Entry inline_[INLINE];
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spill_;
  std::size_t n_ = 0;
};

[[gnu::cold, gnu::noinline]] Error syntax_error(std::size_t at, const char* what) {
  return Error(JSON_SYNTAX, std::string("JSON syntax error at byte ") + std::to_string(at) + ": " + what);
}

// Grows the node buffer (the vector's elements past the tape's logical end
// are scratch space the scanner overwrites).
[[gnu::noinline]] TapeNode* grow_nodes(decltype(Tape::nodes)& v) {
  v.resize(v.size() * 2);
  return v.data();
}

}  // namespace

// The scanner keeps its whole state in locals (registers): in Wasm a member
// of an object is a load and a store of linear memory on every use, and
// stores of string bytes through char* could alias any of them. Nodes are
// written through a raw pointer into the vector's elements, which are kept
// (not cleared) between uses of a scratch tape, then the vector is cut to
// the nodes written.
Status scan_tape_from_text(std::string_view text, const JsonLimits& limits, Tape& tape, MemberProbe* probe) {
  if (text.size() > limits.max_bytes) {
    tape.nodes.clear();
    return Error(JSON_TOO_LARGE, "JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  if (text.size() >= 0xFFFFFFF0u) {
    tape.nodes.clear();
    return Error(JSON_TOO_LARGE, "JSON document over 4 GB");
  }
  // The arena only grows (a reused tape keeps it): its size is a capacity
  // here, nodes address it by offset.
  if (tape.arena.size() < text.size()) tape.arena.resize(text.size());
  // A reused scratch tape keeps the vector's capacity; its size is cut to the
  // nodes written at the end. It is first grown to all of that capacity (at
  // least 16), then doubled in the loop only when the instance outgrows every
  // earlier one. Growing writes nothing: UninitAllocator leaves new nodes
  // uninitialised, and the scanner writes every field of a node it emits.
  auto& vec = tape.nodes;
  if (const std::size_t want = std::max<std::size_t>(16, vec.capacity()); vec.size() < want) vec.resize(want);
  TapeNode* nodes = vec.data();
  std::uint32_t cap = static_cast<std::uint32_t>(vec.size());
  std::uint32_t n = 0;

  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;
  char* const arena = tape.arena.data();
  char* out = arena;
  OpenStack open;
  std::uint32_t parent = 0;     // the innermost open container (valid when depth > 0)
  std::uint32_t children = 0;   // its children so far
  std::size_t depth = 0;
  bool in_object = false;
  std::uint32_t key_off = 0, key_len = 0;
  MemberProbe* probing = probe;  // null once probing is over
  if (probe) {
    probe->checked_end = 0;
    probe->failed = false;
  }

  const auto fail = [&](const char* what) {
    vec.resize(n);
    return Status(syntax_error(static_cast<std::size_t>(p - begin), what));
  };
  // A new node for a value (its key is the pending one inside an object).
  const auto emit = [&](NodeKind kind) __attribute__((always_inline)) -> TapeNode& {
    if (n == cap) {
      nodes = grow_nodes(vec);
      cap = static_cast<std::uint32_t>(vec.size());
    }
    TapeNode& node = nodes[n++];
    node.kind = kind;
    node.flag = false;
    node.key_off = in_object ? key_off : 0;
    node.key_len = in_object ? key_len : 0;
    node.end = n;
    node.count = 0;
    node.str_off = 0;
    node.num = 0;
    node.i = 0;
    ++children;
    return node;
  };
  const auto skip_ws = [&]() __attribute__((always_inline)) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  };
  // A member name and its ':'; p is at the opening quote.
  const auto member_name = [&]() __attribute__((always_inline)) -> const char* {
    if (p == end || *p != '"') return "expected a member name";
    const StringEnd s = scan_string(p + 1, end, out);
    if (s.error) {
      p = s.p;
      return s.error;
    }
    key_off = static_cast<std::uint32_t>(out - arena);
    key_len = static_cast<std::uint32_t>(s.out - out);
    out = s.out;
    p = s.p;
    if (key_len > limits.max_string) return nullptr;  // reported by the caller
    skip_ws();
    if (p == end || *p != ':') return "expected ':'";
    ++p;
    return nullptr;
  };

  if (end - p >= 3 && p[0] == '\xEF' && p[1] == '\xBB' && p[2] == '\xBF') p += 3;
  bool want_value = true;
  while (true) {
    skip_ws();
    if (want_value) {
      if (p == end) return fail("unexpected end of input");
      const char c = *p;
      if (c == '"') {
        const StringEnd s = scan_string(p + 1, end, out);
        if (s.error) {
          p = s.p;
          return fail(s.error);
        }
        const auto len = static_cast<std::uint32_t>(s.out - out);
        if (len > limits.max_string) {
          vec.resize(n);
          return Error(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits.max_string) + " bytes");
        }
        TapeNode& node = emit(NodeKind::string);
        node.str_off = static_cast<std::uint32_t>(out - arena);
        node.count = len;
        out = s.out;
        p = s.p;
        want_value = false;
        continue;
      }
      if (c == '{' || c == '[') {
        if (depth + 1 > limits.max_depth) {
          vec.resize(n);
          return Error(JSON_TOO_DEEP, "JSON nesting deeper than " + std::to_string(limits.max_depth));
        }
        emit(c == '{' ? NodeKind::object : NodeKind::array).i = p - begin;  // its text starts here
        if (depth > 0) open.push(parent, children);
        ++depth;
        parent = n - 1;
        children = 0;
        in_object = c == '{';
        ++p;
        skip_ws();
        if (p < end && *p == (c == '{' ? '}' : ']')) {
          ++p;
          // An empty container: close it at once (below).
        } else {
          if (c == '{') {
            if (const char* e = member_name()) return fail(e);
            if (key_len > limits.max_string) {
              vec.resize(n);
              return Error(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits.max_string) + " bytes");
            }
          }
          continue;
        }
      } else if (c == 't' || c == 'f' || c == 'n') {
        // The length by hand: a string_view from the chosen pointer was a
        // strlen call per literal in Wasm.
        const char* const word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        const std::size_t len = c == 'f' ? 5 : 4;
        if (static_cast<std::size_t>(end - p) < len) return fail("invalid literal");
        for (std::size_t k = 1; k < len; ++k) {  // inline: memcmp is a call in Wasm
          if (p[k] != word[k]) return fail("invalid literal");
        }
        p += len;
        emit(c == 'n' ? NodeKind::null : NodeKind::boolean).flag = c == 't';
        want_value = false;
        continue;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char* start = p;
        const bool negative = *p == '-';
        if (negative) ++p;
        const auto digit = [&] { return p < end && *p >= '0' && *p <= '9'; };
        if (!digit()) return fail("invalid number");
        if (*p == '0') {
          ++p;
        } else {
          while (digit()) ++p;
        }
        bool is_float = false;
        if (p < end && *p == '.') {
          ++p;
          if (!digit()) return fail("invalid number");
          while (digit()) ++p;
          is_float = true;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
          ++p;
          if (p < end && (*p == '+' || *p == '-')) ++p;
          if (!digit()) return fail("invalid number");
          while (digit()) ++p;
          is_float = true;
        }
        want_value = false;
        if (!is_float) {
          // Exact integers as nlohmann keeps them: int64, or uint64 (stored as
          // a double above INT64_MAX); beyond that a double. Up to 19 digits
          // cannot overflow: no check (a 64-bit division per digit is a real
          // division in Wasm, which has no 128-bit multiply).
          std::uint64_t mag = 0;
          bool overflow = false;
          const char* q = start + (negative ? 1 : 0);
          const char* const fast_end = p - q <= 19 ? p : q + 19;
          for (; q < fast_end; ++q) mag = mag * 10 + static_cast<std::uint64_t>(*q - '0');
          for (; q < p; ++q) {
            const std::uint64_t d = static_cast<std::uint64_t>(*q - '0');
            if (mag > (UINT64_MAX - d) / 10) {
              overflow = true;
              break;
            }
            mag = mag * 10 + d;
          }
          if (!overflow) {
            if (!negative && mag <= static_cast<std::uint64_t>(INT64_MAX)) {
              TapeNode& node = emit(NodeKind::integer);
              node.i = static_cast<std::int64_t>(mag);
              node.num = static_cast<double>(node.i);
              continue;
            }
            if (negative && mag <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
              TapeNode& node = emit(NodeKind::integer);
              node.i = mag == static_cast<std::uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<std::int64_t>(mag);
              node.num = static_cast<double>(node.i);
              continue;
            }
            if (!negative) {
              emit(NodeKind::number).num = static_cast<double>(mag);
              continue;
            }
          }
        }
        double d;
        if (!fast_double(start, p, d)) {
          d = slow_double(start, p);
          if (!std::isfinite(d)) return fail("number overflow");
        }
        emit(NodeKind::number).num = d;
        continue;
      } else {
        return fail("unexpected character");
      }
    } else {
      if (depth == 0) {
        if (p != end) return fail("unexpected content after the document");
        vec.resize(n);
        return {};
      }
      if (p == end) return fail("unexpected end of input");
      const char c = *p++;
      if (c == ',') {
        if (in_object) {
          if (probing && depth == 1 && static_cast<std::size_t>(p - begin) >= probing->next_at &&
              !probe_members(*probing, tape, n, p, static_cast<std::size_t>(p - begin), end, out, limits)) {
            // The members before this comma were the probe's last.
            if (probing->failed) {
              vec.resize(n);
              return {};
            }
            probing = nullptr;
          }
          skip_ws();
          if (const char* e = member_name()) return fail(e);
          if (key_len > limits.max_string) {
            vec.resize(n);
            return Error(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits.max_string) + " bytes");
          }
        }
        want_value = true;
        continue;
      }
      if (!((c == '}' && in_object) || (c == ']' && !in_object))) return fail("expected ',' or the end of the container");
    }
    // Close the innermost container (just ended, or empty).
    nodes[parent].end = n;
    nodes[parent].count = children;
    nodes[parent].str_off = static_cast<std::uint32_t>(p - begin);  // its text ends here
    if (in_object && children >= 2 && has_duplicate_keys(nodes, parent, n, arena)) {
      // Rare: keep the last member of each name, as JSON.parse and
      // nlohmann's DOM do (the object is the tape's last subtree).
      vec.resize(n);
      drop_duplicate_members(tape, parent);
      if (probe && depth == 1) probe->checked_end = 0;
      n = static_cast<std::uint32_t>(vec.size());
      vec.resize(cap);
      nodes = vec.data();
    }
    --depth;
    if (depth > 0) {
      const auto [up, count] = open.pop();
      parent = up;
      children = count;
      in_object = nodes[parent].kind == NodeKind::object;
    } else {
      in_object = false;
    }
    want_value = false;
  }
}

}  // namespace mcpw::schema
