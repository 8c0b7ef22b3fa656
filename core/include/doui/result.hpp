// Result<T>: a value or the list of errors that prevented it. doui's public API never throws:
// errors are values, so they cross the wasm boundary and the CLI the same way.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "doui/codes.hpp"

namespace doui {

/// One problem: a stable code, where it is, and a human-readable detail (English, for logs).
struct Error {
  Code code;
  /// JSON pointer (RFC 6901) into the input the error is about; "" is the whole document.
  std::string path;
  /// Extra detail, e.g. "expected string" or "line 3, column 7".
  std::string detail;
  /// Byte offset into the input where known (syntax and encoding errors), else -1.
  std::int64_t offset = -1;
};

/// "code at path: detail" — the one line the CLI prints per error.
std::string format_error(const Error& e);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Error e) : v_(std::vector<Error>{std::move(e)}) {}     // NOLINT
  Result(std::vector<Error> errors) : v_(std::move(errors)) {}  // NOLINT: must be non-empty

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::vector<Error>& errors() const { return std::get<1>(v_); }
  const Error& error() const { return errors().front(); }

 private:
  std::variant<T, std::vector<Error>> v_;
};

}  // namespace doui
