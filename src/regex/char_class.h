#pragma once
// Helpers for building character classes (see char_class.cpp).

#include <cstdint>
#include <vector>

#include "regex/program.h"

namespace mcpw::regex::detail {

inline constexpr char32_t MAX_CODE_POINT = 0x10FFFF;

/// Normalises `r` and stores it as a new class of `prog`; returns its index.
std::uint32_t add_class(ProgramData& prog, std::vector<Range> r, bool negate);

/// Appends \d \D \w \W \s \S (letter is one of dDwWsS).
void append_predefined(char letter, std::vector<Range>& out);

/// Appends the set `.` matches without the `s` flag (all but line terminators).
void append_dot(std::vector<Range>& out);

}  // namespace mcpw::regex::detail
