// A JSON text scanner that writes the instance tape directly (RFC 8259),
// accepting what nlohmann's parser accepts (same UTF-8 rules, same surrogate
// rules, same number overflow rule, leading BOM skipped), so the text paths
// and the DOM path agree. One exception: nlohmann ends the input at a NUL
// byte between tokens and ignores what follows; we refuse such texts. It exists for speed: the
// nlohmann lexer copies every string byte by byte into a std::string first,
// which was most of the time from text to verdict, above all in Wasm.
// Iterative: open containers are a heap stack, depth is checked on entry.
// Strings are written through a raw cursor into an arena sized to the text
// up front (a decoded string is never longer than its source), so the hot
// loop makes no std::string calls (Emscripten's prebuilt libc++ does not
// inline them).

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "schema/tape.h"
#include "schema/utf8.h"

namespace mcpw::schema {
namespace {

struct SpecialBytes {
  unsigned char v[256] = {};
  constexpr SpecialBytes() {
    for (int c = 0; c < 256; ++c) v[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
  }
};
constexpr SpecialBytes SPECIAL{};

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

class Scanner {
 public:
  Scanner(std::string_view text, const JsonLimits& limits, Tape& t, char* out)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), limits_(limits), t_(t), out_(out) {}

  std::size_t arena_used() const { return used_; }

  Status run() {
    if (scan()) return {};
    return std::move(*err_);
  }

 private:
  bool scan() {
    if (end_ - p_ >= 3 && p_[0] == '\xEF' && p_[1] == '\xBB' && p_[2] == '\xBF') p_ += 3;
    bool want_value = true;
    while (true) {
      skip_ws();
      if (want_value) {
        if (p_ == end_) return syntax("unexpected end of input");
        const char c = *p_;
        if (c == '{' || c == '[') {
          if (open_.size() + 1 > limits_.max_depth) {
            return fail(Error(JSON_TOO_DEEP, "JSON nesting deeper than " + std::to_string(limits_.max_depth)));
          }
          push(c == '{' ? NodeKind::object : NodeKind::array);
          open_.push_back(static_cast<std::uint32_t>(t_.nodes.size() - 1));
          in_object_ = c == '{';
          ++p_;
          skip_ws();
          if (p_ < end_ && *p_ == (c == '{' ? '}' : ']')) {
            ++p_;
            close();
            want_value = false;
            continue;
          }
          if (c == '{') {
            if (!key()) return false;
          }
          continue;
        }
        if (!scalar()) return false;
        want_value = false;
        continue;
      }
      if (open_.empty()) {
        if (p_ != end_) return syntax("unexpected content after the document");
        return true;
      }
      if (p_ == end_) return syntax("unexpected end of input");
      const char c = *p_++;
      if (c == ',') {
        if (in_object_) {
          skip_ws();
          if (!key()) return false;
        }
        want_value = true;
      } else if ((c == '}' && in_object_) || (c == ']' && !in_object_)) {
        close();
      } else {
        return syntax("expected ',' or the end of the container");
      }
    }
  }

  // Errors are rare: recorded out of line, the hot functions return a bool.
  [[gnu::cold, gnu::noinline]] bool fail(Error e) {
    err_.emplace(std::move(e));
    return false;
  }
  [[gnu::cold, gnu::noinline]] bool syntax(const char* what) {
    return fail(Error(JSON_SYNTAX, std::string("JSON syntax error at byte ") +
                                       std::to_string(static_cast<std::size_t>(p_ - begin_)) + ": " + what));
  }

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  TapeNode& push(NodeKind kind) {
    if (!open_.empty()) ++t_.nodes[open_.back()].count;
    TapeNode& n = t_.nodes.emplace_back();
    n.kind = kind;
    if (in_object_) {
      n.key_off = key_off_;
      n.key_len = key_len_;
    }
    n.end = static_cast<std::uint32_t>(t_.nodes.size());
    return n;
  }

  void close() {
    const std::uint32_t obj = open_.back();
    t_.nodes[obj].end = static_cast<std::uint32_t>(t_.nodes.size());
    if (in_object_) drop_duplicate_members(t_, obj);
    open_.pop_back();
    in_object_ = !open_.empty() && t_.nodes[open_.back()].kind == NodeKind::object;
  }

  bool key() {
    if (p_ == end_ || *p_ != '"') return syntax("expected a member name");
    std::uint32_t off = 0, len = 0;
    if (!string(off, len)) return false;
    key_off_ = off;
    key_len_ = len;
    skip_ws();
    if (p_ == end_ || *p_ != ':') return syntax("expected ':'");
    ++p_;
    return true;
  }

  bool scalar() {
    const char c = *p_;
    if (c == '"') {
      std::uint32_t off = 0, len = 0;
      if (!string(off, len)) return false;
      TapeNode& n = push(NodeKind::string);
      n.str_off = off;
      n.count = len;
      return true;
    }
    if (c == 't') return literal("true", NodeKind::boolean, true);
    if (c == 'f') return literal("false", NodeKind::boolean, false);
    if (c == 'n') return literal("null", NodeKind::null, false);
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    return syntax("unexpected character");
  }

  bool literal(std::string_view word, NodeKind kind, bool value) {
    if (static_cast<std::size_t>(end_ - p_) < word.size()) return syntax("invalid literal");
    for (std::size_t k = 1; k < word.size(); ++k) {  // inline: memcmp is a call in Wasm
      if (p_[k] != word[k]) return syntax("invalid literal");
    }
    p_ += word.size();
    push(kind).flag = value;
    return true;
  }

  bool number() {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    auto digit = [&] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
    if (!digit()) return syntax("invalid number");
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) ++p_;
    }
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digit()) return syntax("invalid number");
      while (digit()) ++p_;
      is_float = true;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) return syntax("invalid number");
      while (digit()) ++p_;
      is_float = true;
    }
    if (!is_float) {
      // Exact integers as nlohmann keeps them: int64, or uint64 (stored as a
      // double above INT64_MAX); beyond that a double.
      std::uint64_t mag = 0;
      bool overflow = false;
      // Up to 19 digits cannot overflow: no check (a 64-bit division per
      // digit is a real division in Wasm, which has no 128-bit multiply).
      const char* q = start + (negative ? 1 : 0);
      const char* const fast_end = p_ - q <= 19 ? p_ : q + 19;
      for (; q < fast_end; ++q) mag = mag * 10 + static_cast<std::uint64_t>(*q - '0');
      for (; q < p_; ++q) {
        const std::uint64_t d = static_cast<std::uint64_t>(*q - '0');
        if (mag > (UINT64_MAX - d) / 10) {
          overflow = true;
          break;
        }
        mag = mag * 10 + d;
      }
      if (!overflow) {
        if (!negative && mag <= static_cast<std::uint64_t>(INT64_MAX)) {
          TapeNode& n = push(NodeKind::integer);
          n.i = static_cast<std::int64_t>(mag);
          n.num = static_cast<double>(n.i);
          return true;
        }
        if (negative && mag <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
          TapeNode& n = push(NodeKind::integer);
          n.i = mag == static_cast<std::uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<std::int64_t>(mag);
          n.num = static_cast<double>(n.i);
          return true;
        }
        if (!negative) {
          push(NodeKind::number).num = static_cast<double>(mag);
          return true;
        }
      }
    }
    if (double d; fast_double(start, p_, d)) {
      push(NodeKind::number).num = d;
      return true;
    }
    const double d = slow_double(start, p_);
    if (!std::isfinite(d)) return syntax("number overflow");
    push(NodeKind::number).num = d;
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool read_u16(unsigned& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(p_[k]);
      if (h < 0) return false;
      out = out * 16 + static_cast<unsigned>(h);
    }
    p_ += 4;
    return true;
  }

  // Length of a well-formed UTF-8 sequence at p (RFC 3629 §4), or 0.
  std::size_t utf8_sequence() const {
    const auto b = [&](std::ptrdiff_t k) { return static_cast<unsigned char>(p_[k]); };
    const auto in = [](unsigned char x, unsigned lo, unsigned hi) { return x >= lo && x <= hi; };
    const std::ptrdiff_t left = end_ - p_;
    const unsigned char c = b(0);
    if (in(c, 0xC2, 0xDF)) return left >= 2 && in(b(1), 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0) return left >= 3 && in(b(1), 0xA0, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
    if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) return left >= 3 && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
    if (c == 0xED) return left >= 3 && in(b(1), 0x80, 0x9F) && in(b(2), 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0) return left >= 4 && in(b(1), 0x90, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
    if (in(c, 0xF1, 0xF3)) return left >= 4 && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
    if (c == 0xF4) return left >= 4 && in(b(1), 0x80, 0x8F) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
    return 0;
  }

  // Bytes that end a run of plain string content: '"', '\\', controls, non-ASCII.
  static bool special(unsigned char c) { return SPECIAL.v[c] != 0; }
  // Whether any of 8 bytes is special: a quote, a backslash, below 0x20, or
  // 0x80 and above (the usual has-zero-byte and has-less-than tricks).
  static bool special_in(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    const std::uint64_t zero_q = (quote - ones) & ~quote, zero_b = (backslash - ones) & ~backslash;
    const std::uint64_t control = w - ones * 0x20;
    return ((zero_q | zero_b | control | w) & highs) != 0;
  }

  void put(char c) { out_[used_++] = c; }

  bool string(std::uint32_t& off, std::uint32_t& len) {
    ++p_;  // opening quote
    const std::size_t start = used_;
    while (true) {
      // Copy the run of plain ASCII, 8 bytes at a time while none of them is
      // special (SWAR), then byte by byte. The arena is as long as the text
      // and a decoded string never outgrows its source, so 8 bytes always fit.
      // Locals, not members: stores through the char* arena could alias them.
      const char* p = p_;
      const char* const end = end_;
      char* out = out_ + used_;
      while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (special_in(w)) break;
        std::memcpy(out, &w, 8);
        p += 8;
        out += 8;
      }
      while (p < end && !special(static_cast<unsigned char>(*p))) *out++ = *p++;
      used_ = static_cast<std::size_t>(out - out_);
      p_ = p;
      if (p_ == end_) return syntax("unterminated string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        break;
      }
      if (c < 0x20) return syntax("control character in string");
      if (c >= 0x80) {
        const std::size_t n = utf8_sequence();
        if (n == 0) return syntax("invalid UTF-8 in string");
        std::memcpy(out_ + used_, p_, n);
        used_ += n;
        p_ += n;
        continue;
      }
      // Escape.
      if (end_ - p_ < 2) return syntax("unterminated escape");
      const char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"': put('"'); break;
        case '\\': put('\\'); break;
        case '/': put('/'); break;
        case 'b': put('\b'); break;
        case 'f': put('\f'); break;
        case 'n': put('\n'); break;
        case 'r': put('\r'); break;
        case 't': put('\t'); break;
        case 'u': {
          unsigned cp;
          if (!read_u16(cp)) return syntax("invalid \\u escape");
          if (cp >= 0xDC00 && cp <= 0xDFFF) return syntax("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return syntax("high surrogate without low");
            p_ += 2;
            if (!read_u16(lo) || lo < 0xDC00 || lo > 0xDFFF) return syntax("high surrogate without low");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          std::string bytes;  // rare: \u escapes
          append_utf8(bytes, cp);  // at most 4 bytes, from at least 6 of source
          std::memcpy(out_ + used_, bytes.data(), bytes.size());
          used_ += bytes.size();
          break;
        }
        default: return syntax("invalid escape");
      }
    }
    const std::size_t n = used_ - start;
    if (n > limits_.max_string) {
      return fail(Error(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits_.max_string) + " bytes"));
    }
    off = static_cast<std::uint32_t>(start);
    len = static_cast<std::uint32_t>(n);
    return true;
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  const JsonLimits& limits_;
  Tape& t_;
  char* const out_;  // the arena's bytes
  std::size_t used_ = 0;
  std::vector<std::uint32_t> open_;
  std::uint32_t key_off_ = 0, key_len_ = 0;
  bool in_object_ = false;
  std::optional<Error> err_;  // the innermost open container is an object
};

}  // namespace

Status scan_tape_from_text(std::string_view text, const JsonLimits& limits, Tape& tape) {
  tape.nodes.clear();
  if (text.size() > limits.max_bytes) {
    return Error(JSON_TOO_LARGE, "JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  if (text.size() >= 0xFFFFFFF0u) return Error(JSON_TOO_LARGE, "JSON document over 4 GB");
  tape.nodes.reserve(text.size() / 8 + 4);
  // The arena only grows (a reused tape keeps it): its size is a capacity
  // here, nodes address it by offset.
  if (tape.arena.size() < text.size()) tape.arena.resize(text.size());
  Scanner s(text, limits, tape, tape.arena.data());
  return s.run();
}

}  // namespace mcpw::schema
