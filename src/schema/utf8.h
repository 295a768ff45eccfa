#pragma once
// UTF-8 encoding of one code point, shared by the scanner (\u escapes) and
// the IDNA checks (U-labels): support's encoder.

#include "support/utf8.h"

namespace mcpw::schema {
using mcpw::append_utf8;
}  // namespace mcpw::schema
