// The resolver interface: how a field gets its value (synchronously or as an Asio awaitable).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::execution {

// Per-operation data that every resolver of the operation can read.
struct context {
  sluice::value user;               // who is asking (null when anonymous)
  sluice::value connection_params;  // e.g. the WebSocket connection_init payload
  std::shared_ptr<void> app_data;   // anything the application wants to carry
};

// A step of the response path, as a persistent linked list (the leaf points at its parent).
struct path_node {
  const path_node* prev = nullptr;
  std::string_view key;  // a field's response key, or empty for a list index
  std::size_t index = 0;
  [[nodiscard]] bool is_index() const { return key.empty(); }
  [[nodiscard]] static std::vector<path_segment> to_vector(const path_node* leaf);
};

// What a resolver knows about the field it resolves (graphql-js's GraphQLResolveInfo).
struct field_info {
  const schema::schema& schema;
  const schema::object_type& parent_type;
  const schema::field& field;
  std::span<const language::field* const> field_nodes;  // every node merged into this field
  const language::operation_definition& operation;
  const sluice::value& variables;  // the coerced variable values
  const path_node* path;
};

struct resolver_params {
  const sluice::value& parent;  // the parent object's value (the root value for root fields)
  const sluice::value& args;    // the coerced argument values: an object
  context& ctx;
  const field_info& info;

  // An argument's value, or null when it was not given and has no default.
  [[nodiscard]] const sluice::value& arg(std::string_view arg_name) const;
};

// A resolver throws this (or any std::exception) to raise a field error; this one can carry extensions.
class field_error : public std::runtime_error {
 public:
  explicit field_error(const std::string& message, sluice::value extensions = {})
      : std::runtime_error(message), extensions_(std::move(extensions)) {}
  [[nodiscard]] const sluice::value& extensions() const { return extensions_; }

 private:
  sluice::value extensions_;
};

using sync_resolver = std::function<sluice::value(const resolver_params&)>;
using async_resolver = std::function<boost::asio::awaitable<sluice::value>(const resolver_params&)>;
// Gives the name of the object type an abstract type's value is (empty when unknown).
using type_resolver = std::function<std::string(const sluice::value&, const schema::named_type& abstract_type)>;

// Resolvers by field coordinate ("Query.hello"), type resolvers by abstract type name.
class resolver_map {
 public:
  resolver_map& bind(std::string coordinate, sync_resolver r);
  resolver_map& bind_async(std::string coordinate, async_resolver r);
  resolver_map& bind_type(std::string abstract_type, type_resolver r);
  // Replaces the default field resolver (which reads the field's name from the parent object).
  resolver_map& set_default(sync_resolver r);

  struct entry {
    std::string coordinate;
    sync_resolver sync;
    async_resolver async;
  };
  [[nodiscard]] const std::vector<entry>& fields() const { return fields_; }
  [[nodiscard]] const std::vector<std::pair<std::string, type_resolver>>& types() const { return types_; }
  [[nodiscard]] const sync_resolver& default_resolver() const { return default_; }

 private:
  std::vector<entry> fields_;
  std::vector<std::pair<std::string, type_resolver>> types_;
  sync_resolver default_;
};

}  // namespace sluice::execution
