// JSON Patch (RFC 6902) deltas between two JSON values: what live queries send when a query's data changes
// (the format @n1ru4l/graphql-live-query-patch-json-patch clients apply with fast-json-patch's applyPatch).
#pragma once

#include <optional>
#include <string>

#include "sluice/core/value.hpp"

namespace sluice::execution::detail {

// Appends to `out` the RFC 6902 operations, as a JSON array text such as
// [{"op":"replace","path":"/a/0/b","value":1}], that turn `from` into `to` when applied in order (an equal pair
// gives "[]"). Only add, remove and replace are used; paths are RFC 6901 JSON pointers (~ as ~0, / as ~1; the
// root is ""); list indices are decimal (never "-").
//
// - Equal values give no operations. Integers and floats that denote the same number are equal (they serialise
//   alike); opaque values never are. Values of different kinds, and different scalars, give one `replace`.
// - Objects: a member only in `from` is removed, one only in `to` is added, one in both is diffed recursively.
//   Objects are unordered in RFC 6902, so member order is NOT carried: a member added by a patch goes last, and a
//   change of member order alone gives no operations. A patched document can therefore serialise with its keys in
//   another order than `to` (equal as JSON; GraphQL results keep one key order per selection set, so this only
//   shows when members come and go).
// - Lists: the common prefix and suffix are skipped; the rest is diffed with Myers' O(ND) algorithm (elements
//   compared by deep equality) into element inserts and deletes, capped at 64 edits (beyond that the list is
//   replaced). Where deleted and inserted elements meet, they are paired up and diffed recursively (a modified
//   element becomes nested operations; a scalar becomes a `replace` of that element). Operations are emitted from
//   the end of the list towards its start, so each index is right when the operations are applied in order.
// - Whenever the operations for an object or list would be longer than one `replace` of it, it is replaced
//   instead: a patch is never much longer than `to` itself.
void write_json_patch(std::string& out, const sluice::value& from, const sluice::value& to);

// Applies an RFC 6902 patch (a list of operation objects: add, remove, replace, move, copy, test) to a copy of
// `doc`, for tests and tools. Returns nullopt, and sets *error when given, on a malformed operation, an invalid
// JSON pointer, a missing target (member or index out of range) or a failed test.
[[nodiscard]] std::optional<sluice::value> apply_json_patch(const sluice::value& doc, const sluice::value& patch,
                                                            std::string* error = nullptr);

}  // namespace sluice::execution::detail
