// The two matchers behind Regex::search.
//
// Why two: `pattern` only asks "is there a match?", and for a pattern without
// backreferences and lookarounds that answer does not depend on capture
// contents, greedy/lazy order or ECMA's empty-iteration rule. Such programs
// run on a Pike VM (Thompson NFA simulation): the set of live instructions is
// advanced one code point at a time, so time is O(instructions x subject)
// whatever the pattern, `(a*)*b` included, and no backtracking ever happens.
// Programs with backreferences or lookarounds need ECMA's exact backtracking
// order (§22.2.2), so they run on a backtracking VM whose choice points,
// capture undo records and lookaround barriers live on an explicit heap stack
// (never the C++ call stack).
//
// Both engines charge one step per instruction visited (and the backtracker
// one per stack entry popped) and stop with REGEX_STEP_LIMIT when the budget
// runs out. The backtracker's budget is RegexLimits::max_steps: that is where
// catastrophic patterns (e.g. `(a*)*\1b`) end. The Pike VM needs at most
// instructions x (code points + 1) steps, a bound that is linear but can
// still be large (100k instructions x a 16 MB string), so it is bounded too,
// by PIKE_STEP_FACTOR x max_steps (64M visits by default: about 1e6
// code points for a 64-instruction pattern with all threads alive, and far
// more in practice, since few threads are alive at once).
#include <cstring>
#include <limits>

#include "regex/program.h"
#include "regex/regex.h"
#include "regex/utf8.h"

namespace mcpw::regex::detail {
namespace {

constexpr std::size_t NONE = std::numeric_limits<std::size_t>::max();

bool is_word_byte(std::string_view s, std::size_t i) {
  const char c = s[i];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool at_word_boundary(std::string_view s, std::size_t pos) {
  const bool before = pos > 0 && is_word_byte(s, pos - 1);
  const bool after = pos < s.size() && is_word_byte(s, pos);
  return before != after;
}

Error step_limit() { return Error(REGEX_STEP_LIMIT, "regex: step budget exhausted"); }

// ---------------------------------------------------------------- Pike VM --
class PikeVm {
 public:
  PikeVm(const ProgramData& p, std::string_view s, std::size_t budget)
      : p_(p), s_(s), budget_(budget), cur_(p.code.size()), next_(p.code.size()) {}

  Result<bool> run() {
    std::size_t pos = 0;
    while (true) {
      if (pos == 0 || !p_.anchored_start) add(cur_, 0, pos);
      if (over_) return step_limit();
      if (matched_) return true;
      if (pos >= s_.size() || (cur_.size == 0 && p_.anchored_start)) return false;
      const Decoded d = decode_at(s_, pos);
      next_.clear();
      for (std::size_t k = 0; k < cur_.size; ++k) {
        const std::uint32_t pc = cur_.dense[k];
        const Inst& in = p_.code[pc];
        const bool ok = (in.op == Op::Char && static_cast<char32_t>(in.a) == d.cp) ||
                        (in.op == Op::Class && p_.class_has(static_cast<std::uint32_t>(in.a), d.cp));
        if (ok) add(next_, pc + 1, pos + d.len);
        if (over_) return step_limit();
        if (matched_) return true;
      }
      std::swap(cur_, next_);
      pos += d.len;
    }
  }

 private:
  struct List {
    explicit List(std::size_t n) : dense(n), sparse(n) {}
    std::vector<std::uint32_t> dense, sparse;
    std::size_t size = 0;
    bool has(std::uint32_t pc) const { return sparse[pc] < size && dense[sparse[pc]] == pc; }
    void insert(std::uint32_t pc) { sparse[pc] = static_cast<std::uint32_t>(size); dense[size++] = pc; }
    void clear() { size = 0; }
  };

  // Epsilon closure from pc at pos, with an explicit stack.
  void add(List& list, std::uint32_t start, std::size_t pos) {
    stack_.clear();
    stack_.push_back(start);
    while (!stack_.empty()) {
      const std::uint32_t pc = stack_.back();
      stack_.pop_back();
      if (list.has(pc)) continue;
      list.insert(pc);
      if (++steps_ > budget_) { over_ = true; return; }
      const Inst& in = p_.code[pc];
      switch (in.op) {
        case Op::Jmp: stack_.push_back(pc + static_cast<std::uint32_t>(in.a)); break;
        case Op::Split:
          stack_.push_back(pc + static_cast<std::uint32_t>(in.b));
          stack_.push_back(pc + static_cast<std::uint32_t>(in.a));
          break;
        case Op::Save: case Op::Mark: case Op::Check: case Op::Reset:
          stack_.push_back(pc + 1);
          break;
        case Op::Bol: if (pos == 0) stack_.push_back(pc + 1); break;
        case Op::Eol: if (pos == s_.size()) stack_.push_back(pc + 1); break;
        case Op::WordB: if (at_word_boundary(s_, pos)) stack_.push_back(pc + 1); break;
        case Op::NotWordB: if (!at_word_boundary(s_, pos)) stack_.push_back(pc + 1); break;
        case Op::Match: matched_ = true; return;
        default: break;  // consuming instructions wait in the list
      }
    }
  }

  const ProgramData& p_;
  std::string_view s_;
  std::size_t budget_;
  std::size_t steps_ = 0;
  bool over_ = false, matched_ = false;
  List cur_, next_;
  std::vector<std::uint32_t> stack_;
};

// ---------------------------------------------------------- backtracker --
class Backtracker {
 public:
  Backtracker(const ProgramData& p, std::string_view s, std::size_t budget)
      : p_(p), s_(s), budget_(budget), caps_(2 * p.groups, NONE), regs_(p.registers, NONE) {}

  Result<bool> run() {
    std::size_t start = 0;
    while (true) {
      const int r = run_from(start);
      if (r < 0) return step_limit();
      if (r > 0) return true;
      if (p_.anchored_start || start >= s_.size()) return false;
      start += decode_at(s_, start).len;
    }
  }

 private:
  enum Kind : std::uint8_t { CHOICE, UNDO_CAP, UNDO_REG, BARRIER };
  struct Entry {
    Kind kind;
    std::int32_t look;  // BARRIER: LookKind
    std::uint32_t pc;   // CHOICE: resume pc; BARRIER: pc after LookEnd; UNDO_*: slot
    std::size_t pos;    // CHOICE/BARRIER: position; UNDO_*: old value
  };

  bool charge(std::size_t n = 1) {
    steps_ += n;
    return steps_ <= budget_;
  }

  // 1 match, 0 no match from `start`, -1 out of budget. A failed attempt
  // pops every stack entry and so applies every undo record: captures and
  // registers are all NONE again, and the next start needs no O(groups) reset.
  int run_from(std::size_t start) {
    stack_.clear();
    std::uint32_t pc = 0;
    std::size_t pos = start;
    while (true) {
      if (!charge()) return -1;
      const Inst& in = p_.code[pc];
      bool ok = true;
      switch (in.op) {
        case Op::Char: case Op::Class:
          if (pos < s_.size()) {
            const Decoded d = decode_at(s_, pos);
            ok = in.op == Op::Char ? d.cp == static_cast<char32_t>(in.a) : p_.class_has(static_cast<std::uint32_t>(in.a), d.cp);
            pos += ok ? d.len : 0;
          } else {
            ok = false;
          }
          ++pc;
          break;
        case Op::CharBack: case Op::ClassBack:
          if (pos > 0) {
            const Decoded d = decode_before(s_, pos);
            ok = in.op == Op::CharBack ? d.cp == static_cast<char32_t>(in.a) : p_.class_has(static_cast<std::uint32_t>(in.a), d.cp);
            pos -= ok ? d.len : 0;
          } else {
            ok = false;
          }
          ++pc;
          break;
        case Op::Split:
          stack_.push_back({CHOICE, 0, pc + static_cast<std::uint32_t>(in.b), pos});
          pc += static_cast<std::uint32_t>(in.a);
          break;
        case Op::Jmp: pc += static_cast<std::uint32_t>(in.a); break;
        case Op::Save:
          stack_.push_back({UNDO_CAP, 0, static_cast<std::uint32_t>(in.a), caps_[static_cast<std::size_t>(in.a)]});
          caps_[static_cast<std::size_t>(in.a)] = pos;
          ++pc;
          break;
        case Op::Mark:
          stack_.push_back({UNDO_REG, 0, static_cast<std::uint32_t>(in.a), regs_[static_cast<std::size_t>(in.a)]});
          regs_[static_cast<std::size_t>(in.a)] = pos;
          ++pc;
          break;
        case Op::Check: ok = regs_[static_cast<std::size_t>(in.a)] != pos; ++pc; break;
        case Op::Reset:
          for (auto slot = static_cast<std::uint32_t>(in.a); slot < static_cast<std::uint32_t>(in.b); ++slot) {
            if (caps_[slot] == NONE) continue;
            stack_.push_back({UNDO_CAP, 0, slot, caps_[slot]});
            caps_[slot] = NONE;
          }
          ++pc;
          break;
        case Op::Bol: ok = pos == 0; ++pc; break;
        case Op::Eol: ok = pos == s_.size(); ++pc; break;
        case Op::WordB: ok = at_word_boundary(s_, pos); ++pc; break;
        case Op::NotWordB: ok = !at_word_boundary(s_, pos); ++pc; break;
        case Op::BackRef: case Op::BackRefBack: {
          const std::size_t b = caps_[2 * static_cast<std::size_t>(in.a)], e = caps_[2 * static_cast<std::size_t>(in.a) + 1];
          ++pc;
          if (b == NONE || e == NONE || e <= b) break;  // unset group: matches empty (§22.2.2.9.7)
          const std::size_t n = e - b;
          if (in.op == Op::BackRef) {
            ok = s_.size() - pos >= n && std::memcmp(s_.data() + pos, s_.data() + b, n) == 0;
            pos += ok ? n : 0;
          } else {
            ok = pos >= n && std::memcmp(s_.data() + pos - n, s_.data() + b, n) == 0;
            pos -= ok ? n : 0;
          }
          break;
        }
        case Op::Look:
          stack_.push_back({BARRIER, in.a, pc + static_cast<std::uint32_t>(in.b), pos});
          ++pc;
          break;
        case Op::LookEnd: {
          std::size_t bi = stack_.size();
          while (bi > 0 && stack_[bi - 1].kind != BARRIER) --bi;
          if (!charge(stack_.size() - bi)) return -1;
          const Entry barrier = stack_[bi - 1];
          if (barrier.look == AHEAD || barrier.look == BEHIND) {
            // Success: drop the body's choice points (lookarounds are atomic)
            // but keep its capture undo records for backtracking past it.
            std::size_t out = bi - 1;
            for (std::size_t k = bi; k < stack_.size(); ++k) {
              if (stack_[k].kind != CHOICE) stack_[out++] = stack_[k];
            }
            stack_.resize(out);
            pos = barrier.pos;
            pc = barrier.pc;
          } else {
            // A negative lookaround whose body matched: undo it, then fail.
            while (stack_.size() >= bi) {
              undo(stack_.back());
              stack_.pop_back();
            }
            ok = false;
          }
          break;
        }
        case Op::Match: return 1;
      }
      if (ok) continue;
      // Backtrack to the newest choice point.
      bool resumed = false;
      while (!stack_.empty() && !resumed) {
        if (!charge()) return -1;
        const Entry e = stack_.back();
        stack_.pop_back();
        switch (e.kind) {
          case CHOICE: pc = e.pc; pos = e.pos; resumed = true; break;
          case UNDO_CAP: case UNDO_REG: undo(e); break;
          case BARRIER:
            // The body failed: a negative lookaround succeeds here.
            if (e.look == AHEAD_NOT || e.look == BEHIND_NOT) { pc = e.pc; pos = e.pos; resumed = true; }
            break;
        }
      }
      if (!resumed) return 0;
    }
  }

  void undo(const Entry& e) {
    if (e.kind == UNDO_CAP) caps_[e.pc] = e.pos;
    if (e.kind == UNDO_REG) regs_[e.pc] = e.pos;
  }

  const ProgramData& p_;
  std::string_view s_;
  std::size_t budget_;
  std::size_t steps_ = 0;
  std::vector<std::size_t> caps_, regs_;
  std::vector<Entry> stack_;
};

}  // namespace

Result<bool> run_search(const ProgramData& prog, std::string_view subject, std::size_t max_steps) {
  if (prog.needs_backtracking) return Backtracker(prog, subject, max_steps).run();
  const std::size_t pike_budget =
      max_steps > std::numeric_limits<std::size_t>::max() / PIKE_STEP_FACTOR ? std::numeric_limits<std::size_t>::max()
                                                                             : max_steps * PIKE_STEP_FACTOR;
  return PikeVm(prog, subject, pike_budget).run();
}

}  // namespace mcpw::regex::detail
