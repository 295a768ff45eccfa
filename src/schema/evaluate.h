#pragma once
// Evaluation of a compiled program over an instance tape (internal).

#include "schema/program.h"

namespace mcpw::schema {

/// Runs `program` on `tape` (root node 0), filling `out`. Errors only for
/// evaluation failures (depth limit, regex budget), never for an invalid instance.
Status evaluate(const Program& program, const Tape& tape, OutputFormat format, ValidationOutput& out);

}  // namespace mcpw::schema
