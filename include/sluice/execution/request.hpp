// A GraphQL request (query text, operation name, variables) and its response (data as JSON text, errors).
#pragma once

#include <string>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"

namespace sluice::execution {

struct request {
  std::string query;
  std::string operation_name{};  // empty: the document's only operation
  sluice::value variables{};     // null or an object
  sluice::value extensions{};    // null or an object
};

struct response {
  // The `data` entry as JSON text ("null" when a non-null root field failed); empty when the request failed
  // before execution (syntax, validation, variables), in which case the response has no `data` entry.
  std::string data;
  std::vector<graphql_error> errors;

  [[nodiscard]] bool has_data() const { return !data.empty(); }
  // Appends `{"errors":[...],"data":...}` (errors first, and only when there are some).
  void write_json(std::string& out) const;
  [[nodiscard]] std::string to_json() const;
};

}  // namespace sluice::execution
