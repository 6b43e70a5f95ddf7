// The resolver interface: how a field gets its value (synchronously or as an Asio awaitable).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/error.hpp"
#include "sluice/core/value.hpp"
#include "sluice/core/value_as.hpp"
#include "sluice/execution/event_stream.hpp"
#include "sluice/execution/field_error.hpp"
#include "sluice/language/ast.hpp"
#include "sluice/schema/schema.hpp"

namespace sluice::execution {

// Per-operation data that every resolver of the operation can read.
struct context {
  sluice::value user;               // who is asking (null when anonymous)
  sluice::value connection_params;  // e.g. the WebSocket connection_init payload
  std::shared_ptr<void> app_data;   // anything the application wants to carry
  // The auth scope: what part of the context results depend on. Subscribers of the same subscription (document,
  // operation, variables) whose scopes are equal share one source and one execution per event (and so see the
  // context of the first of them). Unset, the scope is the user, the connection parameters and app_data's
  // address together: nothing is shared between subscribers who differ in any of them. Set it to, say, a role
  // ("public", "admin") when results depend on nothing else.
  std::optional<std::string> scope;

  // The scope as a key (the explicit scope, or the user, connection parameters and app_data address).
  [[nodiscard]] std::string scope_key() const;

  // Live queries: while a live query executes, the resource keys its resolvers read (set by the engine; null
  // otherwise). A resolver declares what it read with depends_on(); the live query then runs again as soon as one
  // of those keys is invalidated (see live_options::watch).
  std::shared_ptr<std::vector<std::string>> reads;
  // Declares that the result depends on a resource key, such as "Message:general". Does nothing outside a live
  // query, so resolvers can call it unconditionally.
  void depends_on(std::string key) const {
    if (reads) reads->push_back(std::move(key));
  }
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
  // An argument as a C++ type (see sluice::value_as): p.arg<int>("from"), p.arg<std::optional<std::string>>("q").
  template <typename T>
  [[nodiscard]] T arg(std::string_view arg_name) const {
    return value_as<T>(arg(arg_name));
  }
};

// What a subscription field's source gets. Everything is owned (a generator may keep it across suspensions).
struct source_params {
  sluice::value args;                      // the coerced argument values: an object
  context ctx;                             // the subscribing operation's context
  sluice::value root;                      // the operation's root value
  boost::asio::any_io_executor executor;   // the event loop the subscription lives on

  [[nodiscard]] const sluice::value& arg(std::string_view arg_name) const;
  template <typename T>
  [[nodiscard]] T arg(std::string_view arg_name) const {
    return value_as<T>(arg(arg_name));
  }
};

using sync_resolver = std::function<sluice::value(const resolver_params&)>;
using async_resolver = std::function<boost::asio::awaitable<sluice::value>(const resolver_params&)>;
// Creates a subscription field's source event stream (spec 6.2.3 CreateSourceEventStream). A generator converts
// to an event_stream, so a coroutine returning `generator` fits. Throwing refuses the subscription with an error.
using source_fn = std::function<event_stream(source_params)>;
// A permission check: false denies with a "Not authorized" field error (throw a field_error for another message).
// For a subscription field it runs when subscribing (parent = the root value) and for each event (parent = the
// event); a denied event ends that subscription with the error.
using permission_fn = std::function<bool(const resolver_params&)>;
// A subscription filter, evaluated per event (p.parent) and subscriber (p.ctx): false skips the event for them.
using filter_fn = std::function<bool(const resolver_params&)>;
// Gives the name of the object type an abstract type's value is (empty when unknown).
using type_resolver = std::function<std::string(const sluice::value&, const schema::named_type& abstract_type)>;

// Resolvers by field coordinate ("Query.hello"), type resolvers by abstract type name.
class resolver_map {
 public:
  resolver_map& bind(std::string coordinate, sync_resolver r);
  resolver_map& bind_async(std::string coordinate, async_resolver r);
  resolver_map& bind_type(std::string abstract_type, type_resolver r);
  // A subscription field's source; bind() then sets how one event becomes the field's value (without one, the
  // event is the value).
  resolver_map& source(std::string coordinate, source_fn s);
  // A permission check on a field (any object type's).
  resolver_map& guard(std::string coordinate, permission_fn check);
  // A per-subscriber filter on a subscription field.
  resolver_map& filter(std::string coordinate, filter_fn f);
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
  [[nodiscard]] const std::vector<std::pair<std::string, source_fn>>& sources() const { return sources_; }
  [[nodiscard]] const std::vector<std::pair<std::string, permission_fn>>& guards() const { return guards_; }
  [[nodiscard]] const std::vector<std::pair<std::string, filter_fn>>& filters() const { return filters_; }

 private:
  std::vector<std::pair<std::string, source_fn>> sources_;
  std::vector<std::pair<std::string, permission_fn>> guards_;
  std::vector<std::pair<std::string, filter_fn>> filters_;
  std::vector<entry> fields_;
  std::vector<std::pair<std::string, type_resolver>> types_;
  sync_resolver default_;
};

}  // namespace sluice::execution
