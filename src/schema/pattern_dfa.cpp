// The DFA of pattern_dfa.h: parse the subset into a small tree, build a
// Thompson NFA from it (counted repetitions expanded), then the subset
// construction over code-point classes. The classes of `\d \w \s .` come from
// the regex module, so both engines read the same sets.

#include "schema/pattern_dfa.h"

#if MCPW_SCHEMA_HAS_REGEX

#include <algorithm>
#include <map>

#include "regex/char_class.h"
#include "regex/utf8.h"
#include "support/hex.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per pattern: for size (support/size_opt.h)

namespace mcpw::schema {

namespace {

using regex::detail::Range;

constexpr std::size_t MAX_PATTERN = 2048;       // longer patterns keep the regex engine
constexpr std::size_t MAX_DEPTH = 32;           // group nesting
constexpr std::uint32_t MAX_COUNT = 256;        // {n,m} bounds
constexpr std::size_t MAX_NFA = 4096;           // NFA states after expansion
constexpr std::size_t MAX_TABLE = 1u << 15;     // DFA states x symbols
constexpr std::size_t MAX_WORK = 1u << 22;      // NFA states visited while building the DFA
constexpr std::uint32_t INF = 0xFFFFFFFFu;

struct Ast {
  enum Kind : std::uint8_t { set, seq, alt, repeat, start, end } kind;
  std::uint32_t set_index = 0;
  std::vector<std::uint32_t> kids;
  std::uint32_t min = 0, max = 0;
};

struct NState {
  enum Kind : std::uint8_t { chr, split, match_now, match_end } kind;
  std::uint32_t set = 0;
  std::uint32_t out = 0, out2 = 0;
};

}  // namespace

class DfaBuilder {
 public:
  explicit DfaBuilder(std::string_view p) : p_(p) {}

  std::optional<PatternDfa> run() {
    if (p_.size() > MAX_PATTERN) return std::nullopt;
    const std::uint32_t top = parse_alt(0);
    if (!ok_ || i_ != p_.size()) return std::nullopt;
    if (!build_nfa(top) || !build_symbols()) return std::nullopt;
    if (!build_dfa()) return std::nullopt;
    renumber();
    return std::move(dfa_);
  }

 private:
  // --- parsing ---------------------------------------------------------
  bool more() const { return i_ < p_.size(); }
  char peek() const { return p_[i_]; }
  std::uint32_t fail() {
    ok_ = false;
    return 0;
  }
  std::uint32_t node(Ast a) {
    ast_.push_back(std::move(a));
    return static_cast<std::uint32_t>(ast_.size() - 1);
  }
  std::uint32_t set_node(std::vector<Range> r, bool negate) {
    regex::detail::normalize_ranges(r, negate);
    sets_.push_back(std::move(r));
    return node({Ast::set, static_cast<std::uint32_t>(sets_.size() - 1), {}, 0, 0});
  }

  std::uint32_t parse_alt(std::size_t depth) {
    if (depth > MAX_DEPTH) return fail();
    Ast a{Ast::alt, 0, {}, 0, 0};
    a.kids.push_back(parse_seq(depth));
    while (ok_ && more() && peek() == '|') {
      ++i_;
      a.kids.push_back(parse_seq(depth));
    }
    return node(std::move(a));
  }

  std::uint32_t parse_seq(std::size_t depth) {
    Ast s{Ast::seq, 0, {}, 0, 0};
    while (ok_ && more() && peek() != '|' && peek() != ')') s.kids.push_back(parse_item(depth));
    return node(std::move(s));
  }

  std::uint32_t parse_item(std::size_t depth) {
    const std::uint32_t atom = parse_atom(depth);
    if (!ok_ || !more()) return atom;
    std::uint32_t min = 0, max = 0;
    const char c = peek();
    if (c == '*') min = 0, max = INF, ++i_;
    else if (c == '+') min = 1, max = INF, ++i_;
    else if (c == '?') min = 0, max = 1, ++i_;
    else if (c == '{') {
      ++i_;
      if (!number(min)) return fail();
      max = min;
      if (more() && peek() == ',') {
        ++i_;
        max = INF;
        if (more() && peek() != '}' && !number(max)) return fail();
      }
      if (!more() || peek() != '}' || max < min) return fail();
      ++i_;
    } else {
      return atom;
    }
    if (more() && peek() == '?') ++i_;  // lazy: same verdict for test()
    const Ast::Kind k = ast_[atom].kind;
    if (k == Ast::start || k == Ast::end) return fail();
    return node({Ast::repeat, 0, {atom}, min, max});
  }

  bool number(std::uint32_t& out) {
    std::size_t digits = 0;
    out = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      out = out * 10 + static_cast<std::uint32_t>(peek() - '0');
      ++i_;
      if (++digits > 3) return false;
    }
    return digits > 0 && out <= MAX_COUNT;
  }

  std::uint32_t parse_atom(std::size_t depth) {
    const char c = peek();
    switch (c) {
      case '^': ++i_; return node({Ast::start, 0, {}, 0, 0});
      case '$': ++i_; return node({Ast::end, 0, {}, 0, 0});
      case '.': {
        ++i_;
        std::vector<Range> r;
        regex::detail::append_dot(r);
        return set_node(std::move(r), false);
      }
      case '(': {
        ++i_;
        if (more() && peek() == '?') {
          if (i_ + 1 >= p_.size() || p_[i_ + 1] != ':') return fail();  // lookarounds, named groups
          i_ += 2;
        }
        const std::uint32_t inner = parse_alt(depth + 1);
        if (!ok_ || !more() || peek() != ')') return fail();
        ++i_;
        return inner;
      }
      case '[': return parse_class();
      case '\\': {
        std::vector<Range> r;
        char32_t cp = 0;
        if (!escape(false, r, cp)) return fail();
        if (r.empty()) r.push_back({cp, cp});
        return set_node(std::move(r), false);
      }
      case '*': case '+': case '?': case '{': case '}': case ']': case ')': case '|':
        return fail();
      default: {
        char32_t cp;
        if (!literal(cp)) return fail();
        return set_node({{cp, cp}}, false);
      }
    }
  }

  bool literal(char32_t& cp) {
    const auto d = regex::detail::decode_at(p_, i_);
    if (d.cp == regex::detail::REPLACEMENT && d.len == 1 && static_cast<unsigned char>(p_[i_]) >= 0x80) return false;
    cp = d.cp;
    i_ += d.len;
    return true;
  }

  bool hex(std::size_t n, char32_t& out) {
    out = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!more()) return false;
      const char h = peek();
      const int v = hex_value(h);
      if (v < 0) return false;
      out = out * 16 + static_cast<char32_t>(v);
      ++i_;
    }
    return true;
  }

  // After '\\': either a class escape (into `set`) or one code point.
  bool escape(bool in_class, std::vector<Range>& set, char32_t& cp) {
    ++i_;
    if (!more()) return false;
    const char e = peek();
    ++i_;
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
        regex::detail::append_predefined(e, set);  // never empty
        return true;
      case 'n': cp = '\n'; return true;
      case 'r': cp = '\r'; return true;
      case 't': cp = '\t'; return true;
      case 'f': cp = '\f'; return true;
      case 'v': cp = '\v'; return true;
      case '0':
        cp = 0;
        return !(more() && peek() >= '0' && peek() <= '9');
      case 'b':
        cp = 0x08;
        return in_class;  // outside a class: a word boundary
      case '-':
        cp = '-';
        return in_class;
      case 'x': return hex(2, cp);
      case 'u': {
        if (more() && peek() == '{') {
          ++i_;
          cp = 0;
          std::size_t digits = 0;
          while (more() && peek() != '}') {
            char32_t d;
            if (!hex(1, d) || ++digits > 6) return false;
            cp = cp * 16 + d;
          }
          if (!more() || digits == 0) return false;
          ++i_;
        } else if (!hex(4, cp)) {
          return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 1 < p_.size() && p_[i_] == '\\' && p_[i_ + 1] == 'u') {
          const std::size_t save = i_;
          i_ += 2;
          char32_t lo;
          if (hex(4, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            i_ = save;
          }
        }
        return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      }
      default:
        // Identity escapes of the `u` grammar: syntax characters and '/'.
        if (std::string_view("^$\\.*+?()[]{}|/").find(e) == std::string_view::npos) return false;
        cp = static_cast<unsigned char>(e);
        return true;
    }
  }

  // One class member: a code point (returns true, cp) or a set escape (true, set non-empty).
  bool class_atom(std::vector<Range>& set, char32_t& cp) {
    if (peek() == '\\') return escape(true, set, cp);
    return literal(cp);
  }

  std::uint32_t parse_class() {
    ++i_;
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++i_;
    }
    std::vector<Range> r;
    while (true) {
      if (!more()) return fail();
      if (peek() == ']') {
        ++i_;
        break;
      }
      std::vector<Range> s;
      char32_t lo = 0;
      if (!class_atom(s, lo)) return fail();
      if (!s.empty()) {
        r.insert(r.end(), s.begin(), s.end());
        continue;
      }
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        std::vector<Range> s2;
        char32_t hi = 0;
        if (!class_atom(s2, hi) || !s2.empty() || hi < lo) return fail();
        r.push_back({lo, hi});
      } else {
        r.push_back({lo, lo});
      }
    }
    return set_node(std::move(r), negate);
  }

  // --- NFA ---------------------------------------------------------------
  std::uint32_t state(NState s) {
    if (nfa_.size() >= MAX_NFA) {
      ok_ = false;
      return 0;
    }
    nfa_.push_back(s);
    return static_cast<std::uint32_t>(nfa_.size() - 1);
  }

  // The start of a fragment for `a` that continues to `next`.
  std::uint32_t emit(std::uint32_t a, std::uint32_t next, std::size_t depth) {
    if (!ok_ || depth > 4 * MAX_DEPTH + 8) return fail();
    const Ast& n = ast_[a];
    switch (n.kind) {
      case Ast::set: return state({NState::chr, n.set_index, next, 0});
      case Ast::seq: {
        std::uint32_t at = next;
        for (std::size_t k = n.kids.size(); k-- > 0;) at = emit(ast_[a].kids[k], at, depth + 1);
        return at;
      }
      case Ast::alt: {
        std::uint32_t at = emit(n.kids.back(), next, depth + 1);
        for (std::size_t k = ast_[a].kids.size() - 1; k-- > 0;) {
          const std::uint32_t first = emit(ast_[a].kids[k], next, depth + 1);
          at = state({NState::split, 0, first, at});
        }
        return at;
      }
      case Ast::repeat: {
        const std::uint32_t kid = n.kids[0], min = n.min, max = n.max;
        std::uint32_t tail = next;
        if (max == INF) {
          const std::uint32_t loop = state({NState::split, 0, 0, next});
          if (!ok_) return 0;
          const std::uint32_t body = emit(kid, loop, depth + 1);
          nfa_[loop].out = body;
          tail = loop;
        } else {
          for (std::uint32_t k = min; k < max && ok_; ++k) tail = state({NState::split, 0, emit(kid, tail, depth + 1), next});
        }
        for (std::uint32_t k = 0; k < min && ok_; ++k) tail = emit(kid, tail, depth + 1);
        return tail;
      }
      case Ast::start:
      case Ast::end:
        return fail();  // anchors only at the ends of a top-level alternative
    }
    return fail();
  }

  bool build_nfa(std::uint32_t top) {
    const std::vector<std::uint32_t> alts = ast_[top].kids;
    for (std::uint32_t alt : alts) {
      std::vector<std::uint32_t> items = ast_[alt].kids;
      bool anchored = false, at_end = false;
      if (!items.empty() && ast_[items.front()].kind == Ast::start) {
        anchored = true;
        items.erase(items.begin());
      }
      if (!items.empty() && ast_[items.back()].kind == Ast::end) {
        at_end = true;
        items.pop_back();
      }
      const std::uint32_t body = node({Ast::seq, 0, items, 0, 0});
      const std::uint32_t final = state({at_end ? NState::match_end : NState::match_now, 0, 0, 0});
      const std::uint32_t start = emit(body, final, 0);
      if (!ok_) return false;
      (anchored ? anchored_ : floating_).push_back(start);
    }
    return true;
  }

  // --- symbols: code-point intervals no set tells apart ---------------------
  bool build_symbols() {
    std::vector<char32_t> cuts = {0, 128, 0x110000};
    for (const auto& s : sets_) {
      for (const Range& x : s) {
        cuts.push_back(x.lo);
        cuts.push_back(x.hi + 1);
      }
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::map<std::vector<bool>, std::uint16_t> by_signature;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const char32_t lo = cuts[k];
      std::vector<bool> sig(sets_.size());
      for (std::size_t s = 0; s < sets_.size(); ++s) {
        const auto& r = sets_[s];
        auto it = std::upper_bound(r.begin(), r.end(), lo, [](char32_t v, const Range& x) { return v < x.lo; });
        sig[s] = it != r.begin() && std::prev(it)->hi >= lo;
      }
      auto [it, fresh] = by_signature.emplace(sig, static_cast<std::uint16_t>(by_signature.size()));
      if (fresh) signatures_.push_back(sig);
      if (lo < 128) {
        for (char32_t c = lo; c < cuts[k + 1] && c < 128; ++c) dfa_.ascii_sym_[c] = static_cast<std::uint8_t>(it->second);
      } else {
        dfa_.upper_starts_.push_back(lo);
        dfa_.upper_syms_.push_back(it->second);
      }
    }
    dfa_.symbols_ = static_cast<std::uint32_t>(signatures_.size());
    return dfa_.symbols_ <= 256;
  }

  // --- DFA: subset construction ------------------------------------------
  // The non-epsilon states reachable from `todo`; false past the work budget.
  bool closure(std::vector<std::uint32_t> todo, std::vector<std::uint32_t>& out) {
    out.clear();
    if (mark_.size() != nfa_.size()) mark_.assign(nfa_.size(), 0);
    ++generation_;
    while (!todo.empty()) {
      const std::uint32_t s = todo.back();
      todo.pop_back();
      if (mark_[s] == generation_) continue;
      mark_[s] = generation_;
      if (++work_ > MAX_WORK) return false;
      if (nfa_[s].kind == NState::split) {
        todo.push_back(nfa_[s].out2);
        todo.push_back(nfa_[s].out);
      } else {
        out.push_back(s);
      }
    }
    std::sort(out.begin(), out.end());
    return true;
  }

  bool build_dfa() {
    std::map<std::vector<std::uint32_t>, std::uint16_t> ids;
    std::vector<std::vector<std::uint32_t>> sets;
    auto intern = [&](std::vector<std::uint32_t>&& key) -> std::optional<std::uint16_t> {
      auto it = ids.find(key);
      if (it != ids.end()) return it->second;
      if ((sets.size() + 1) * dfa_.symbols_ > MAX_TABLE) return std::nullopt;
      const auto id = static_cast<std::uint16_t>(sets.size());
      ids.emplace(key, id);
      sets.push_back(std::move(key));
      return id;
    };
    std::vector<std::uint32_t> init_todo = anchored_;
    init_todo.insert(init_todo.end(), floating_.begin(), floating_.end());
    std::vector<std::uint32_t> cur;
    if (!closure(init_todo, cur) || !intern(std::move(cur))) return false;
    for (std::size_t d = 0; d < sets.size(); ++d) {
      std::uint8_t accept = 0;
      for (std::uint32_t s : sets[d]) {
        if (nfa_[s].kind == NState::match_now) accept = 1;
        else if (nfa_[s].kind == NState::match_end && accept == 0) accept = 2;
      }
      dfa_.accept_.push_back(accept);
      if (sets[d].empty() && floating_.empty()) dfa_.dead_ = static_cast<std::uint16_t>(d);
      for (std::uint32_t sym = 0; sym < dfa_.symbols_; ++sym) {
        std::vector<std::uint32_t> todo = floating_;  // a match may start at every position
        if (accept != 1) {
          for (std::uint32_t s : sets[d]) {
            if (nfa_[s].kind == NState::chr && signatures_[sym][nfa_[s].set]) todo.push_back(nfa_[s].out);
          }
        }
        if (!closure(std::move(todo), cur)) return false;
        auto id = intern(std::move(cur));
        if (!id) return false;
        dfa_.next_.push_back(*id);
      }
    }
    return true;
  }

  // Orders the states so that those that end a search (a match found, or
  // dead) come last, and writes each transition as its target's row (state
  // x symbols): search() then tests one bound per byte and multiplies
  // nothing.
  void renumber() {
    const auto count = static_cast<std::uint32_t>(dfa_.accept_.size());
    const auto final_state = [&](std::uint32_t d) { return dfa_.accept_[d] == 1 || d == dfa_.dead_; };
    std::vector<std::uint32_t> to(count);
    std::uint32_t k = 0;
    for (int pass = 0; pass < 2; ++pass) {
      for (std::uint32_t d = 0; d < count; ++d) {
        if (final_state(d) == (pass == 1)) to[d] = k++;
      }
    }
    const std::uint32_t syms = dfa_.symbols_;
    std::vector<std::uint16_t> next(dfa_.next_.size());
    std::vector<std::uint8_t> accept(count);
    for (std::uint32_t d = 0; d < count; ++d) {
      accept[to[d]] = dfa_.accept_[d];
      for (std::uint32_t sym = 0; sym < syms; ++sym) {
        next[to[d] * syms + sym] = static_cast<std::uint16_t>(to[dfa_.next_[d * syms + sym]] * syms);
      }
    }
    std::uint32_t regular = 0;
    for (std::uint32_t d = 0; d < count; ++d) regular += final_state(d) ? 0 : 1;
    dfa_.final_row_ = regular * syms;
    dfa_.start_row_ = to[0] * syms;
    if (dfa_.dead_ != 0xFFFF) dfa_.dead_ = static_cast<std::uint16_t>(to[dfa_.dead_]);
    dfa_.next_ = std::move(next);
    dfa_.accept_ = std::move(accept);
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool ok_ = true;
  std::vector<Ast> ast_;
  std::vector<std::vector<Range>> sets_;
  std::vector<NState> nfa_;
  std::vector<std::uint32_t> anchored_, floating_;
  std::vector<std::vector<bool>> signatures_;
  std::vector<std::uint32_t> mark_;
  std::uint32_t generation_ = 0;
  std::size_t work_ = 0;
  PatternDfa dfa_;
};

std::optional<PatternDfa> PatternDfa::build(std::string_view pattern) { return DfaBuilder(pattern).run(); }

MCPW_SIZE_OPT_END

std::uint32_t PatternDfa::symbol(char32_t cp) const {
  const auto it = std::upper_bound(upper_starts_.begin(), upper_starts_.end(), cp);
  return upper_syms_[static_cast<std::size_t>(it - upper_starts_.begin()) - 1];
}

bool PatternDfa::search(std::string_view subject) const {
  const std::uint16_t* const next = next_.data();
  const std::uint32_t final_row = final_row_;
  std::uint32_t row = start_row_;
  const std::size_t n = subject.size();
  if (row < final_row) {
    for (std::size_t i = 0; i < n;) {
      const auto b = static_cast<unsigned char>(subject[i]);
      std::uint32_t sym;
      if (b < 0x80) {
        sym = ascii_sym_[b];
        ++i;
      } else {
        const auto d = regex::detail::decode_at(subject, i);
        i += d.len;
        sym = symbol(d.cp);
      }
      row = next[row + sym];
      if (row >= final_row) break;
    }
  }
  // Past the loop: a final state (a match found, or dead), or the subject's end.
  return accept_[row / symbols_] != 0;
}

}  // namespace mcpw::schema

#else

namespace mcpw::schema {
std::optional<PatternDfa> PatternDfa::build(std::string_view) { return std::nullopt; }
bool PatternDfa::search(std::string_view) const { return false; }
std::uint32_t PatternDfa::symbol(char32_t) const { return 0; }
}  // namespace mcpw::schema

#endif
