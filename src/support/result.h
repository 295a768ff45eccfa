#pragma once
// Result<T>: a value or an Error (std::expected is C++23; clang 14 has none).

#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "support/error.h"

namespace mcpw {

// A tagged union, not std::variant: libc++ destroys, copies and moves a
// variant through tables of function pointers that the prebuilt library's
// code never inlines; in Wasm that dispatch was a fifth of the cost of
// validating `{}` against `{}` (every call returns a Result or a Status), and
// 3-7% of validating the bench corpus' flat instances.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : ok_(true) { ::new (static_cast<void*>(&value_)) T(std::move(value)); }  // NOLINT: implicit by design
  Result(Error error) : ok_(false) { ::new (static_cast<void*>(&error_)) Error(std::move(error)); }  // NOLINT
  Result(const Result& o) : ok_(o.ok_) {
    if (ok_) ::new (static_cast<void*>(&value_)) T(o.value_);
    else ::new (static_cast<void*>(&error_)) Error(o.error_);
  }
  Result(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
    if (ok_) ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
    else ::new (static_cast<void*>(&error_)) Error(std::move(o.error_));
  }
  Result& operator=(const Result& o) {
    if (this != &o) {
      Result copy(o);
      *this = std::move(copy);
    }
    return *this;
  }
  Result& operator=(Result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this == &o) return *this;
    if (ok_ && o.ok_) {
      value_ = std::move(o.value_);
    } else if (!ok_ && !o.ok_) {
      error_ = std::move(o.error_);
    } else {
      destroy();
      ok_ = o.ok_;
      if (ok_) ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
      else ::new (static_cast<void*>(&error_)) Error(std::move(o.error_));
    }
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok(); }

  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return error_; }
  Error&& take_error() { return std::move(error_); }

 private:
  void destroy() {
    if (ok_) value_.~T();
    else error_.~Error();
  }
  bool ok_;
  union {
    T value_;
    Error error_;
  };
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }
  Error&& take_error() { return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace mcpw
