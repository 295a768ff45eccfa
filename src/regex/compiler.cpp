// Pattern parser + code generator (ECMA-262 §22.2.1 grammar with the `u` flag, i.e. the strict
// Unicode-mode grammar: no Annex B leniency).
//
// No recursion: open groups live on an explicit heap stack of Frames (bounded by MAX_NESTING). Each
// frame collects the code of its alternatives; closing a group turns them into one "atom" appended to
// the parent. Because jumps are relative, a quantifier simply copies its atom's code ({n,m} is
// expanded; MAX_INSTRUCTIONS bounds the result). Inside a lookbehind the frame is `backward`: its terms
// are joined in reverse order and read code points backward, which is exactly §22.2.2.3's direction =
// backward evaluation order. Each term keeps its own Code until its alternative ends, so a quantifier
// replaces the last term and a lookbehind reverses the term order, both without moving code around.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "regex/char_class.h"
#include "regex/codegen.h"
#include "regex/program.h"
#include "regex/regex.h"
#include "regex/unicode_props.h"
#include "regex/utf8.h"
#include "support/hex.h"
#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per pattern: for size (support/size_opt.h)
namespace mcpw::regex::detail {
namespace {

struct Frame {
  enum Kind { Root, Capture, NonCapture, Lookaround } kind = Root;
  std::int32_t look = 0;   // LookKind when kind == Lookaround
  std::uint32_t group = 0; // when kind == Capture
  std::uint32_t first_group = 0;  // first group number opened inside
  bool backward = false;
  std::vector<Code> alts;  // finished alternatives
  std::vector<Code> terms;  // the alternative being parsed, one Code per term
  // Is the last term an atom a quantifier may follow (not an assertion)?
  bool has_atom = false;
  std::uint32_t atom_groups_lo = 0, atom_groups_hi = 0;
};

bool is_syntax_char(char32_t c) {
  switch (c) {
    case '^': case '$': case '\\': case '.': case '*': case '+': case '?':
    case '(': case ')': case '[': case ']': case '{': case '}': case '|':
      return true;
    default:
      return false;
  }
}

class Compiler {
 public:
  explicit Compiler(std::string_view src) : s_(src) {}

  Result<ProgramData> run() {
    if (!prescan()) return take_error();
    stack_.push_back(Frame{});
    while (!err_) {
      if (i_ >= s_.size()) {
        if (stack_.size() != 1) return fail(REGEX_SYNTAX, "missing )"), take_error();
        break;
      }
      step();
    }
    if (err_) return take_error();
    Code body = finish_alternatives(stack_.back());
    body.push_back({Op::Match});
    if (body.size() > MAX_INSTRUCTIONS) return fail(REGEX_TOO_LARGE, "pattern expands to too many instructions"), take_error();
    prog_.code = std::move(body);
    prog_.groups = group_count_;
    prog_.anchored_start = prog_.code[0].op == Op::Bol;
    return std::move(prog_);
  }

 private:
  // ---- errors ----
  void fail(ErrorId id, const char* what) {
    if (!err_) err_.emplace(id, std::string("regex: ") + what + " at offset " + std::to_string(i_));
  }
  Error take_error() { return std::move(*err_); }
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }

  // ---- prescan: capture count and group names (\1 and \k may refer forward) ----
  bool prescan() {
    bool in_class = false;
    names_.emplace_back();  // group 0
    for (std::size_t k = 0; k < s_.size(); ++k) {
      const char c = s_[k];
      if (c == '\\') { ++k; continue; }
      if (in_class) { in_class = c != ']'; continue; }
      if (c == '[') { in_class = true; continue; }
      if (c != '(') continue;
      if (k + 1 >= s_.size() || s_[k + 1] != '?') {
        names_.emplace_back();
      } else if (k + 2 < s_.size() && s_[k + 2] == '<' && k + 3 < s_.size() && s_[k + 3] != '=' && s_[k + 3] != '!') {
        std::size_t pos = k + 3;
        std::string name;
        if (!parse_group_name(pos, name)) {
          i_ = k;
          fail(REGEX_SYNTAX, "invalid group name");
          return false;
        }
        if (!groups_by_name_.emplace(name, static_cast<std::uint32_t>(names_.size())).second) {
          i_ = k;
          fail(REGEX_SYNTAX, "duplicate group name");
          return false;
        }
        names_.push_back(std::move(name));
      }
    }
    return true;
  }

  // RegExpIdentifierName '>' starting at pos; pos ends after '>'.
  bool parse_group_name(std::size_t& pos, std::string& out) {
    bool first = true;
    while (true) {
      if (pos >= s_.size()) return false;
      if (s_[pos] == '>') { ++pos; return !first; }
      char32_t cp;
      if (s_[pos] == '\\') {
        if (pos + 1 >= s_.size() || s_[pos + 1] != 'u') return false;
        std::size_t save = i_;
        i_ = pos + 2;
        const bool ok = parse_unicode_escape(cp);
        pos = i_;
        i_ = save;
        if (!ok) return false;
      } else {
        const Decoded d = decode_at(s_, pos);
        if (d.cp == REPLACEMENT && d.len == 1 && static_cast<unsigned char>(s_[pos]) >= 0x80) return false;
        cp = d.cp;
        pos += d.len;
      }
      const bool ok = cp == '$' || cp == '_' || (first ? is_id_start(cp) : (is_id_continue(cp) || cp == 0x200C || cp == 0x200D));
      if (!ok) return false;
      encode_utf8(cp, out);
      first = false;
    }
  }

  // ---- the main loop: one token per call ----
  void step() {
    Frame& f = stack_.back();
    const char c = s_[i_];
    switch (c) {
      case '|':
        ++i_;
        f.alts.push_back(flatten_terms(f));
        f.has_atom = false;
        return;
      case '(':
        return open_group();
      case ')':
        return close_group();
      case '*': ++i_; return quantify(0, INF);
      case '+': ++i_; return quantify(1, INF);
      case '?': ++i_; return quantify(0, 1);
      case '{': {
        std::uint32_t lo = 0, hi = 0;
        if (!parse_braces(lo, hi)) return fail(REGEX_SYNTAX, "lone '{' or bad quantifier");
        return quantify(lo, hi);
      }
      case '}': case ']':
        return fail(REGEX_SYNTAX, "lone quantifier bracket");
      case '^': ++i_; return emit_assertion(Op::Bol);
      case '$': ++i_; return emit_assertion(Op::Eol);
      case '.': {
        ++i_;
        std::vector<Range> r;
        append_dot(r);
        return emit_class(std::move(r), false);
      }
      case '[':
        return parse_class();
      case '\\':
        return parse_atom_escape();
      default: {
        const Decoded d = decode_at(s_, i_);
        if (d.cp == REPLACEMENT && d.len == 1 && static_cast<unsigned char>(c) >= 0x80) {
          return fail(REGEX_SYNTAX, "invalid UTF-8 in pattern");
        }
        i_ += d.len;
        return emit_char(d.cp);
      }
    }
  }

  // ---- emitting atoms ----
  bool grow(std::size_t n) {
    live_ += n;
    if (live_ > MAX_INSTRUCTIONS) {
      fail(REGEX_TOO_LARGE, "pattern expands to too many instructions");
      return false;
    }
    return true;
  }

  void append_atom(Code code, bool quantifiable, std::uint32_t groups_lo = 0, std::uint32_t groups_hi = 0) {
    if (!grow(code.size())) return;
    Frame& f = stack_.back();
    f.terms.push_back(std::move(code));
    f.has_atom = quantifiable;
    f.atom_groups_lo = groups_lo;
    f.atom_groups_hi = groups_hi;
  }

  void emit_assertion(Op op) { append_atom(Code{Inst{op}}, false); }

  void emit_char(char32_t cp) {
    append_atom(Code{Inst{stack_.back().backward ? Op::CharBack : Op::Char, static_cast<std::int32_t>(cp)}}, true);
  }

  void emit_class(std::vector<Range> r, bool negate) {
    const std::uint32_t idx = add_class(prog_, std::move(r), negate);
    append_atom(Code{Inst{stack_.back().backward ? Op::ClassBack : Op::Class, static_cast<std::int32_t>(idx)}}, true);
  }

  void emit_backref(std::uint32_t group) {
    prog_.needs_backtracking = true;
    append_atom(Code{Inst{stack_.back().backward ? Op::BackRefBack : Op::BackRef, static_cast<std::int32_t>(group)}}, true);
  }

  // ---- quantifiers (§22.2.2.3.1 RepeatMatcher) ----
  bool parse_digits(std::uint32_t& v) {
    const std::size_t start = i_;
    std::uint64_t x = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      x = x * 10 + static_cast<std::uint64_t>(s_[i_] - '0');
      if (x > INF - 1) x = INF - 1;  // saturate: such counts are too large anyway
      ++i_;
    }
    v = static_cast<std::uint32_t>(x);
    return i_ > start;
  }

  bool parse_braces(std::uint32_t& lo, std::uint32_t& hi) {
    ++i_;  // '{'
    if (!parse_digits(lo)) return false;
    hi = lo;
    if (at(',')) {
      ++i_;
      hi = INF;
      if (!at('}') && !parse_digits(hi)) return false;
    }
    if (!at('}')) return false;
    ++i_;
    if (hi < lo) {
      fail(REGEX_SYNTAX, "numbers out of order in {} quantifier");
      return false;
    }
    return true;
  }

  void quantify(std::uint32_t lo, std::uint32_t hi) {
    if (err_) return;
    bool greedy = true;
    if (at('?')) { ++i_; greedy = false; }
    Frame& f = stack_.back();
    if (!f.has_atom) return fail(REGEX_SYNTAX, "nothing to repeat");
    Code atom = std::move(f.terms.back());
    f.terms.pop_back();
    live_ -= atom.size();
    f.has_atom = false;

    const bool reset = f.atom_groups_hi > f.atom_groups_lo;
    const std::uint64_t unit = atom.size() + (reset ? 1 : 0);
    const std::uint64_t optional = hi == INF ? 1 : hi - lo;
    const std::uint64_t total = unit * lo + (unit + 3) * optional + 1;
    if (total > MAX_INSTRUCTIONS || lo > MAX_INSTRUCTIONS || optional > MAX_INSTRUCTIONS) {
      return fail(REGEX_TOO_LARGE, "quantifier expands to too many instructions");
    }
    Repeat rep;
    rep.lo = lo;
    rep.hi = hi;
    rep.greedy = greedy;
    rep.reset = reset;
    rep.groups_lo = f.atom_groups_lo;
    rep.groups_hi = f.atom_groups_hi;
    rep.check = can_match_empty(atom);  // else no iteration can be empty
    rep.reg = static_cast<std::int32_t>(prog_.registers);
    if (rep.check && hi > lo) prog_.registers++;
    Code out = expand_repeat(atom, rep);
    if (!grow(out.size())) return;
    f.terms.push_back(std::move(out));
  }

  // ---- groups ----
  void open_group() {
    if (stack_.size() >= MAX_NESTING) return fail(REGEX_TOO_LARGE, "groups nested too deeply");
    Frame nf;
    nf.backward = stack_.back().backward;
    ++i_;  // '('
    if (!at('?')) {
      nf.kind = Frame::Capture;
      nf.group = group_count_++;
    } else {
      ++i_;
      if (at(':')) {
        ++i_;
        nf.kind = Frame::NonCapture;
      } else if (at('=') || at('!')) {
        nf.kind = Frame::Lookaround;
        nf.look = at('=') ? AHEAD : AHEAD_NOT;
        nf.backward = false;
        ++i_;
      } else if (at('<') && i_ + 1 < s_.size() && (s_[i_ + 1] == '=' || s_[i_ + 1] == '!')) {
        nf.kind = Frame::Lookaround;
        nf.look = s_[i_ + 1] == '=' ? BEHIND : BEHIND_NOT;
        nf.backward = true;
        i_ += 2;
      } else if (at('<')) {
        ++i_;
        std::string name;
        std::size_t pos = i_;
        if (!parse_group_name(pos, name)) return fail(REGEX_SYNTAX, "invalid group name");
        i_ = pos;
        nf.kind = Frame::Capture;
        nf.group = group_count_++;
      } else if (is_modifier_group()) {
        return fail(REGEX_UNSUPPORTED, "inline modifiers (?ims-ims:...) (ES2025) are not supported");
      } else {
        return fail(REGEX_SYNTAX, "invalid group");
      }
    }
    if (nf.kind == Frame::Lookaround) prog_.needs_backtracking = true;
    nf.first_group = group_count_;
    if (nf.kind == Frame::Capture) nf.first_group = nf.group;
    stack_.push_back(std::move(nf));
  }

  // ES2025 RegularExpressionModifiers after "(?": [ims]* ('-' [ims]*)? ':'.
  bool is_modifier_group() const {
    std::size_t k = i_;
    bool any = false;
    while (k < s_.size() && (s_[k] == 'i' || s_[k] == 'm' || s_[k] == 's' || s_[k] == '-')) ++k, any = true;
    return any && k < s_.size() && s_[k] == ':';
  }

  // The terms of one alternative in evaluation order: reversed inside a
  // lookbehind (§22.2.2.3 Alternative with direction = backward).
  static Code flatten_terms(Frame& f) {
    Code out;
    if (f.backward) {
      for (auto it = f.terms.rbegin(); it != f.terms.rend(); ++it) out.insert(out.end(), it->begin(), it->end());
    } else {
      for (const Code& t : f.terms) out.insert(out.end(), t.begin(), t.end());
    }
    f.terms.clear();
    return out;
  }

  static Code finish_alternatives(Frame& f) {
    f.alts.push_back(flatten_terms(f));
    return join_alternatives(f.alts);
  }

  void close_group() {
    if (stack_.size() == 1) return fail(REGEX_SYNTAX, "unmatched )");
    ++i_;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    std::size_t inner = 0;
    for (const Code& a : f.alts) inner += a.size();
    for (const Code& t : f.terms) inner += t.size();
    live_ -= inner;
    Code body = finish_alternatives(f);
    Code out;
    out.reserve(body.size() + 2);
    if (f.kind == Frame::Capture) {
      const auto open = static_cast<std::int32_t>(2 * f.group), close = open + 1;
      out.push_back({Op::Save, f.backward ? close : open});
      out.insert(out.end(), body.begin(), body.end());
      out.push_back({Op::Save, f.backward ? open : close});
    } else if (f.kind == Frame::Lookaround) {
      out.push_back({Op::Look, f.look, static_cast<std::int32_t>(body.size() + 2)});
      out.insert(out.end(), body.begin(), body.end());
      out.push_back({Op::LookEnd});
    } else {
      out = std::move(body);
    }
    // u-mode: lookarounds are not quantifiable (§22.2.1 Term).
    append_atom(std::move(out), f.kind != Frame::Lookaround, f.first_group, group_count_);
  }

  // ---- escapes ----
  bool parse_hex(int digits, char32_t& out) {
    char32_t v = 0;
    for (int k = 0; k < digits; ++k) {
      if (i_ >= s_.size() || hex_value(s_[i_]) < 0) return false;
      v = v * 16 + static_cast<char32_t>(hex_value(s_[i_++]));
    }
    out = v;
    return true;
  }

  // After "\u": XXXX (joining a surrogate pair written as two escapes) or {X...}.
  bool parse_unicode_escape(char32_t& cp) {
    if (at('{')) {
      ++i_;
      char32_t v = 0;
      std::size_t n = 0;
      while (i_ < s_.size() && hex_value(s_[i_]) >= 0) {
        v = v * 16 + static_cast<char32_t>(hex_value(s_[i_++]));
        if (v > MAX_CODE_POINT) return false;
        ++n;
      }
      if (n == 0 || !at('}')) return false;
      ++i_;
      cp = v;
      return true;
    }
    if (!parse_hex(4, cp)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
      const std::size_t save = i_;
      i_ += 2;
      char32_t low;
      if (parse_hex(4, low) && low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else {
        i_ = save;
      }
    }
    return true;
  }

  // CharacterEscape (§22.2.1), i_ just after the backslash.
  bool parse_char_escape(char32_t& cp, bool in_class) {
    const char c = s_[i_++];
    switch (c) {
      case 'f': cp = 0x0C; return true;
      case 'n': cp = 0x0A; return true;
      case 'r': cp = 0x0D; return true;
      case 't': cp = 0x09; return true;
      case 'v': cp = 0x0B; return true;
      case 'c':
        if (i_ < s_.size() && ((s_[i_] | 0x20) >= 'a' && (s_[i_] | 0x20) <= 'z')) {
          cp = static_cast<char32_t>(s_[i_++] % 32);
          return true;
        }
        return false;
      case '0':
        if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') return false;
        cp = 0;
        return true;
      case 'x':
        return parse_hex(2, cp);
      case 'u':
        return parse_unicode_escape(cp);
      case '/':
        cp = '/';
        return true;
      case '-':
        cp = '-';
        return in_class;
      default:
        cp = static_cast<unsigned char>(c);
        return is_syntax_char(cp);
    }
  }

  // \p{..} / \P{..}, i_ just after 'p' or 'P'.
  bool parse_property(std::vector<Range>& out) {
    if (!at('{')) return false;
    const std::size_t start = ++i_;
    while (i_ < s_.size() && s_[i_] != '}') ++i_;
    if (i_ >= s_.size()) return false;
    const std::string_view body = s_.substr(start, i_ - start);
    ++i_;
    const std::size_t eq = body.find('=');
    if (eq == std::string_view::npos) return lookup_property(body, {}, out);
    if (eq == 0 || eq + 1 == body.size()) return false;
    return lookup_property(body.substr(0, eq), body.substr(eq + 1), out);
  }

  // A class escape that stands for a set (\d \D \s \S \w \W \p \P)? Fills `out`.
  bool parse_set_escape(char c, std::vector<Range>& out, bool& ok) {
    switch (c) {
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
        ++i_;
        append_predefined(c, out);
        ok = true;
        return true;
      case 'p': case 'P': {
        ++i_;
        std::vector<Range> r;
        ok = parse_property(r);
        if (ok && c == 'P') normalize_ranges(r, true);
        out.insert(out.end(), r.begin(), r.end());
        return true;
      }
      default:
        return false;
    }
  }

  void parse_atom_escape() {
    ++i_;  // '\'
    if (i_ >= s_.size()) return fail(REGEX_SYNTAX, "\\ at end of pattern");
    const char c = s_[i_];
    if (c == 'b' || c == 'B') {
      ++i_;
      return emit_assertion(c == 'b' ? Op::WordB : Op::NotWordB);
    }
    if (c >= '1' && c <= '9') {
      std::uint32_t n = 0;
      parse_digits(n);
      if (n >= names_.size()) return fail(REGEX_SYNTAX, "backreference to a missing group");
      return emit_backref(n);
    }
    if (c == 'k') {
      ++i_;
      if (!at('<')) return fail(REGEX_SYNTAX, "\\k without a group name");
      ++i_;
      std::string name;
      std::size_t pos = i_;
      if (!parse_group_name(pos, name)) return fail(REGEX_SYNTAX, "invalid group name");
      i_ = pos;
      const auto it = groups_by_name_.find(name);
      if (it == groups_by_name_.end()) return fail(REGEX_SYNTAX, "\\k to a missing group name");
      return emit_backref(it->second);
    }
    std::vector<Range> set;
    bool ok = false;
    if (parse_set_escape(c, set, ok)) {
      if (!ok) return fail(REGEX_SYNTAX, "invalid property escape");
      return emit_class(std::move(set), false);
    }
    char32_t cp;
    if (!parse_char_escape(cp, false)) return fail(REGEX_SYNTAX, "invalid escape");
    emit_char(cp);
  }

  // ---- classes (§22.2.1 CharacterClass, u-mode) ----
  // One ClassAtom: a code point, or (is_set) a set appended to `set`.
  bool parse_class_atom(char32_t& cp, bool& is_set, std::vector<Range>& set) {
    is_set = false;
    if (s_[i_] != '\\') {
      const Decoded d = decode_at(s_, i_);
      if (d.cp == REPLACEMENT && d.len == 1 && static_cast<unsigned char>(s_[i_]) >= 0x80) return false;
      i_ += d.len;
      cp = d.cp;
      return true;
    }
    ++i_;
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == 'b') { ++i_; cp = 0x08; return true; }
    bool ok = false;
    if (parse_set_escape(c, set, ok)) {
      is_set = true;
      return ok;
    }
    return parse_char_escape(cp, true);
  }

  void parse_class() {
    ++i_;  // '['
    bool negate = false;
    if (at('^')) { ++i_; negate = true; }
    std::vector<Range> r;
    while (true) {
      if (i_ >= s_.size()) return fail(REGEX_SYNTAX, "missing ]");
      if (s_[i_] == ']') { ++i_; break; }
      char32_t a = 0, b = 0;
      bool a_set = false, b_set = false;
      if (!parse_class_atom(a, a_set, r)) return fail(REGEX_SYNTAX, "invalid class escape");
      if (at('-') && i_ + 1 < s_.size() && s_[i_ + 1] != ']') {
        ++i_;
        if (!parse_class_atom(b, b_set, r)) return fail(REGEX_SYNTAX, "invalid class escape");
        if (a_set || b_set) return fail(REGEX_SYNTAX, "class escape in a range");
        if (a > b) return fail(REGEX_SYNTAX, "range out of order in class");
        r.push_back({a, b});
      } else if (!a_set) {
        r.push_back({a, a});
      }
    }
    emit_class(std::move(r), negate);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::optional<Error> err_;
  ProgramData prog_;
  std::vector<Frame> stack_;
  std::vector<std::string> names_;  // by group number; "" when unnamed
  std::map<std::string, std::uint32_t, std::less<>> groups_by_name_;
  std::uint32_t group_count_ = 1;
  std::size_t live_ = 0;  // instructions held by all open frames
};

}  // namespace

Result<ProgramData> compile_pattern(std::string_view pattern) { return Compiler(pattern).run(); }

}  // namespace mcpw::regex::detail
MCPW_SIZE_OPT_END
