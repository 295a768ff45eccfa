#pragma once
// Errors are values (DESIGN.md "Errors"): no exception crosses a module
// boundary, and every error carries a stable id that never changes once
// released. Each module declares its ids in its own header as
// `inline constexpr ErrorId`; the catalogue of ids is docs/errors.md.

#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace mcpw {

/// Who broke the contract: the caller of this library (local) or the peer /
/// network (remote). The JS wrapper maps remote errors to typed errors.
enum class ErrorKind : unsigned char { local, remote };

/// A stable error id: `module.what`, e.g. "json.too_deep". Compared by text.
struct ErrorId {
  const char* id;
  ErrorKind kind;
  friend bool operator==(const ErrorId& a, const ErrorId& b) { return std::strcmp(a.id, b.id) == 0; }
};

/// An error value: a stable id, a human message (never a secret), and an
/// optional JSON text with machine-readable detail (e.g. a JSON Pointer).
struct Error {
  ErrorId id;
  std::string message;
  std::string data_json;  // empty, or one JSON value

  Error(ErrorId i, std::string msg, std::string data = {})
      : id(i), message(std::move(msg)), data_json(std::move(data)) {}
  bool is(const ErrorId& other) const { return id == other; }
  ErrorKind kind() const { return id.kind; }
};

// Ids shared by every module.
inline constexpr ErrorId INVALID_ARGUMENT{"support.invalid_argument", ErrorKind::local};
inline constexpr ErrorId INVALID_STATE{"support.invalid_state", ErrorKind::local};
inline constexpr ErrorId LIMIT_EXCEEDED{"support.limit_exceeded", ErrorKind::remote};

}  // namespace mcpw
