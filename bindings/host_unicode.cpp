// \p{...} in patterns, for the shipped module: the sets come from the host's
// own RegExp (ECMA-262 with the `u` flag, so exactly the host's semantics)
// instead of src/regex's generated Unicode tables, which were 24 KB of the
// module's gzip size (measured by leaving them out: 274.0 -> 249.9 KB).
//
// These two definitions replace src/regex/unicode_props.cpp's: this file is an
// object on the module's link line, so the archive member holding the
// tables is never pulled in (a linker takes an archive member only for a
// symbol still undefined). The tests and native builds keep the tables.
//
// A set is computed once per name and cached, here and on the JS side:
// about 10-80 ms of CPU for the first use of a property in a process (a
// schema with `\p{L}` compiles that much slower the first time), nothing
// after. Where a request's CPU is capped (a Workers free plan: 10 ms), the
// request that first compiles such a pattern can go over.
#include <emscripten.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "regex/unicode_props.h"

// The ranges of `\p{spec}` (spec: "Name" or "Name=Value") as lo, hi pairs at
// `out`, at most `cap` of them. Returns how many, -1 when the host's RegExp
// refuses the name (or it is not a plain property name), or -2 - n when n
// pairs do not fit.
// clang-format off
EM_JS(int, mcpw_host_property_ranges, (const char* spec, int spec_len, std::uint32_t* out, int cap), {
  var s = UTF8ToString(spec, spec_len);
  var cache = Module.mcpwPropertyRanges || (Module.mcpwPropertyRanges = new Map());
  var r = cache.get(s);
  if (r === undefined) {
    r = null;
    var parts = s.split('=');
    var plain = parts.length <= 2 && parts.every(function(x) { return x.length > 0 && !/[^A-Za-z0-9_]/.test(x); });
    if (plain) {
      // `one` is tested on single code points: no anchors needed. The
      // backslash is made here (EM_JS's quoting loses one written in a literal).
      var escape = String.fromCharCode(92) + 'p{' + s + '}';
      var runs, one;
      try { runs = new RegExp(escape + '+', 'gu'); one = new RegExp(escape, 'u'); } catch (e) { runs = null; }
      if (runs) {
        r = [];
        var add = function(lo, hi) {
          var n = r.length;
          if (n && r[n - 1] + 1 === lo) r[n - 1] = hi; else r.push(lo, hi);
        };
        var cps = new Array(0x1000);
        for (var base = 0; base < 0x110000; base += 0x1000) {
          if (base === 0xD000) {
            // Lone surrogates side by side would pair up: each on its own.
            for (var cp = base; cp < base + 0x1000; cp++) if (one.test(String.fromCodePoint(cp))) add(cp, cp);
            continue;
          }
          for (var k = 0; k < 0x1000; k++) cps[k] = base + k;
          var str = String.fromCodePoint.apply(null, cps);
          var w = base < 0x10000 ? 1 : 2;  // UTF-16 units per code point in this block
          runs.lastIndex = 0;
          for (var m = runs.exec(str); m; m = runs.exec(str)) {
            var lo = base + m.index / w;
            add(lo, lo + m[0].length / w - 1);
          }
        }
      }
    }
    cache.set(s, r);
  }
  if (r === null) return -1;
  var pairs = r.length / 2;
  if (pairs > cap) return -2 - pairs;
  HEAPU32.set(r, out >> 2);
  return pairs;
});
// clang-format on

namespace mcpw::regex::detail {
namespace {

// The host's set for `spec`, or nullptr when it defines none.
const std::vector<Range>* host_set(const std::string& spec) {
  static std::map<std::string, std::optional<std::vector<Range>>> cache;
  auto [it, fresh] = cache.try_emplace(spec);
  if (fresh) {
    std::vector<std::uint32_t> pairs(2 * 1024);
    int n = mcpw_host_property_ranges(spec.data(), static_cast<int>(spec.size()), pairs.data(), 1024);
    if (n < -1) {
      pairs.resize(2 * static_cast<std::size_t>(-n - 2));
      n = mcpw_host_property_ranges(spec.data(), static_cast<int>(spec.size()), pairs.data(), -n - 2);
    }
    if (n >= 0) {
      auto& set = it->second.emplace();
      set.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        set.push_back({static_cast<char32_t>(pairs[2 * i]), static_cast<char32_t>(pairs[2 * i + 1])});
      }
    }
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace

bool lookup_property(std::string_view name, std::string_view value, std::vector<Range>& out) {
  std::string spec(name);
  if (!value.empty()) spec.append("=").append(value);
  const std::vector<Range>* set = host_set(spec);
  if (!set) return false;
  out.insert(out.end(), set->begin(), set->end());
  return true;
}

bool has_binary_property(const char* name, char32_t cp) {
  const std::vector<Range>* set = host_set(name);
  if (!set) return false;
  const auto it = std::upper_bound(set->begin(), set->end(), cp, [](char32_t c, const Range& r) { return c < r.lo; });
  return it != set->begin() && cp <= std::prev(it)->hi;
}

}  // namespace mcpw::regex::detail
