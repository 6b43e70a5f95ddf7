// Prints an AST back to GraphQL text, in the layout graphql-js's print() uses.
#pragma once

#include <string>
#include <string_view>

#include "sluice/language/ast.hpp"

namespace sluice::language {

[[nodiscard]] std::string print(const document& doc);
[[nodiscard]] std::string print(const value& v);
[[nodiscard]] std::string print(const type& t);
[[nodiscard]] std::string print(const selection_set& set);

// A string literal as GraphQL writes it: quoted, with JSON-style escapes.
[[nodiscard]] std::string print_string(std::string_view s);
// A block string literal (""" ... """), as graphql-js's printBlockString writes it.
[[nodiscard]] std::string print_block_string(std::string_view s);

}  // namespace sluice::language
