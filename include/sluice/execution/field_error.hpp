// field_error: what a resolver or a source throws (or a generator yields) to raise a field error with extensions.
#pragma once

#include <stdexcept>
#include <string>

#include "sluice/core/value.hpp"

namespace sluice::execution {

// A resolver throws this (or any std::exception) to raise a field error; this one can carry extensions.
class field_error : public std::runtime_error {
 public:
  explicit field_error(const std::string& message, sluice::value extensions = {})
      : std::runtime_error(message), extensions_(std::move(extensions)) {}
  [[nodiscard]] const sluice::value& extensions() const { return extensions_; }

 private:
  sluice::value extensions_;
};

}  // namespace sluice::execution
