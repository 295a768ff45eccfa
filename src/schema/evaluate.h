#pragma once
// Evaluation of a compiled program over an instance tape (internal).

#include "schema/program.h"

namespace mcpw::schema {

/// Runs `program` on the value at tape node `root` (0: the whole document),
/// filling `out`. Errors only for evaluation failures (depth limit, regex
/// budget), never for an invalid instance.
Status evaluate(const Program& program, const Tape& tape, OutputFormat format, ValidationOutput& out,
                std::uint32_t root = 0);

}  // namespace mcpw::schema
