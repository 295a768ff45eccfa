#pragma once
// Working on this module? Read /work/main/DEVELOPING.md first.
//
// The shape of each MCP result, per method and protocol revision, as JSON
// Schema (2020-12), compiled once with src/schema (issue: response
// validation). Written from the specification's schema.ts revisions
// 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25 and 2026-07-28 and
// cross-checked against the official schema.json of each revision in
// tests/shapes (../shared/mcp-schema/<revision>/).
//
// Like the official schemas, shapes allow members they do not name (servers
// may add fields; `_meta` is free-form) and do not assert formats.

#include <string_view>

#include "schema/schema.h"
#include "support/json.h"

namespace mcpw::shapes {

/// The schema of the result of `method` in protocol `version` (one of the
/// revisions above; an unknown version is read as the newest 2025 one), or
/// nullptr for a method whose result is not checked (custom methods,
/// initialize and server/discover, which src/protocol parses itself).
const json* result_schema(std::string_view version, std::string_view method);

/// The same, compiled once per (revision, method) and kept for the process.
const schema::CompiledSchema* result_validator(std::string_view version, std::string_view method);

}  // namespace mcpw::shapes
