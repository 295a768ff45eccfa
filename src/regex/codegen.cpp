// See codegen.h. Jumps are relative, so fragments are copied verbatim.
#include "regex/codegen.h"

#include <cstddef>

#include "support/size_opt.h"

MCPW_SIZE_OPT_BEGIN  // run once per pattern: for size (support/size_opt.h)

namespace mcpw::regex::detail {

// If not, a loop over it needs no empty-iteration check (Mark/Check).
bool can_match_empty(const Code& code) {
  std::vector<bool> seen(code.size() + 1, false);
  std::vector<std::size_t> todo{0};
  while (!todo.empty()) {
    const std::size_t pc = todo.back();
    todo.pop_back();
    if (pc >= code.size()) return true;  // reached the end of the fragment
    if (seen[pc]) continue;
    seen[pc] = true;
    const Inst& in = code[pc];
    switch (in.op) {
      case Op::Char: case Op::CharBack: case Op::Class: case Op::ClassBack: case Op::Match: case Op::LookEnd:
        break;  // consumes (or ends a lookaround body, reached only through its Look)
      case Op::Jmp: todo.push_back(pc + static_cast<std::size_t>(static_cast<std::ptrdiff_t>(in.a))); break;
      case Op::Split:
        todo.push_back(pc + static_cast<std::size_t>(static_cast<std::ptrdiff_t>(in.a)));
        todo.push_back(pc + static_cast<std::size_t>(static_cast<std::ptrdiff_t>(in.b)));
        break;
      case Op::Look: todo.push_back(pc + static_cast<std::size_t>(in.b)); break;
      default: todo.push_back(pc + 1); break;  // assertions, Save, Reset, BackRef (may be empty), ...
    }
  }
  return false;
}

Code join_alternatives(const std::vector<Code>& alts) {
  std::size_t total = 0;
  for (const Code& a : alts) total += a.size() + 2;
  Code out;
  out.reserve(total);
  std::size_t rest = total;  // code after the current alternative's Jmp
  for (std::size_t k = 0; k < alts.size(); ++k) {
    const Code& a = alts[k];
    const bool last = k + 1 == alts.size();
    rest -= a.size() + 2;
    if (!last) out.push_back({Op::Split, 1, static_cast<std::int32_t>(a.size() + 2)});
    out.insert(out.end(), a.begin(), a.end());
    // The remaining alternatives: each with Split+Jmp except the last (-2).
    if (!last) out.push_back({Op::Jmp, static_cast<std::int32_t>(rest - 2 + 1)});
  }
  return out;
}

Code expand_repeat(const Code& atom, const Repeat& r) {
  const Inst reset_inst{Op::Reset, static_cast<std::int32_t>(2 * r.groups_lo), static_cast<std::int32_t>(2 * r.groups_hi)};
  Code out;
  for (std::uint32_t k = 0; k < r.lo; ++k) {
    if (r.reset) out.push_back(reset_inst);
    out.insert(out.end(), atom.begin(), atom.end());
  }
  // One optional iteration: Split [Mark] [Reset] atom [Check].
  const auto body = static_cast<std::int32_t>(atom.size() + 1 + (r.reset ? 1 : 0) + (r.check ? 2 : 0));
  auto emit_iteration = [&](std::int32_t skip) {
    out.push_back(r.greedy ? Inst{Op::Split, 1, skip} : Inst{Op::Split, skip, 1});
    if (r.check) out.push_back({Op::Mark, r.reg});
    if (r.reset) out.push_back(reset_inst);
    out.insert(out.end(), atom.begin(), atom.end());
    if (r.check) out.push_back({Op::Check, r.reg});
  };
  if (r.hi == INF) {
    // L: iteration (skip to exit); Jmp L; exit:
    emit_iteration(body + 1);
    out.push_back({Op::Jmp, -body});
  } else if (r.hi > r.lo) {
    // (?:atom(?:atom(?:atom)?)?)? with every Split jumping to the common end.
    const std::uint32_t n = r.hi - r.lo;
    for (std::uint32_t k = 0; k < n; ++k) emit_iteration(static_cast<std::int32_t>(static_cast<std::int64_t>(n - k) * body));
  }
  return out;
}

}  // namespace mcpw::regex::detail

MCPW_SIZE_OPT_END
