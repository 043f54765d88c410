#pragma once
// Expected failures are values, not exceptions: a bad CSV row, an unknown
// ticket or a dead printer is something the door must explain, not crash on.
#include <string>
#include <utility>
#include <variant>

namespace fd {

struct Error {
  std::string code;     // stable, machine-readable ("csv.unbalanced_quote")
  std::string message;  // plain words for a person
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace fd
