// The GraphQL parser: source text to a typed AST, for executable documents and SDL alike.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "sluice/core/error.hpp"
#include "sluice/language/ast.hpp"

namespace sluice::language {

struct parse_options {
  // Deepest nesting of selection sets, list/object values and type wrappers.
  std::size_t max_depth = 128;
  // Most tokens in one document (comments excluded); 0 means no limit.
  std::size_t max_tokens = 15000;
};

struct parse_result {
  document doc;
  std::optional<graphql_error> error;  // set when the text is not a valid document
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// Parses a whole document (spec 2.2). Syntax errors carry the line and column of the offending token.
[[nodiscard]] parse_result parse(std::string source, const parse_options& options = {});
[[nodiscard]] parse_result parse(std::shared_ptr<const std::string> source, const parse_options& options = {});

// Options for trusted input such as SDL files: no token limit, a generous depth.
[[nodiscard]] parse_options trusted_parse_options();

}  // namespace sluice::language
