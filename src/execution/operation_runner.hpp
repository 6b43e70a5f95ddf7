// Runs one operation: executes fields, completes values into the result tree, drains asynchronous resolvers.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "collect_fields.hpp"
#include "executor_impl.hpp"
#include "result_tree.hpp"

namespace sluice::execution::detail {

class operation_runner {
 public:
  operation_runner(const executor::impl& ex, const prepared_document& doc,
                   const language::operation_definition& op, sluice::value variables, context& ctx,
                   const sluice::value& root);
  operation_runner(const operation_runner&) = delete;
  operation_runner& operator=(const operation_runner&) = delete;
  ~operation_runner();

  // Fails (an error, no data) when the schema has no root type for the operation.
  [[nodiscard]] bool prepare_root(std::vector<graphql_error>& errors);
  [[nodiscard]] std::size_t root_field_count() const { return root_fields_.size(); }
  // A root field's definition in the root type (nullptr for __typename and unknown names).
  [[nodiscard]] const schema::field* root_field_definition(std::size_t index) const {
    return root_type_->find_field(root_fields_[index].nodes.front()->field_name.text);
  }
  // Runs the synchronous part of one root field; asynchronous resolvers it meets become pending.
  void execute_root_field(std::size_t index);
  [[nodiscard]] bool has_pending() const { return !pending_.empty(); }
  // Mutations run their root fields one after the other (spec 6.2.2).
  [[nodiscard]] bool is_serial() const { return op_.operation == language::operation_type::mutation; }
  [[nodiscard]] language::operation_type operation_type() const { return op_.operation; }
  [[nodiscard]] const language::operation_definition& operation() const { return op_; }
  [[nodiscard]] const sluice::value& variables() const { return variables_; }
  // Every root field, then every pending resolver, then the response (spec 6.2.1, 6.2.2).
  [[nodiscard]] boost::asio::awaitable<response> run();
  // Runs pending asynchronous resolvers (and what they lead to) until none is left.
  [[nodiscard]] boost::asio::awaitable<void> drain();
  // drain() on a private event loop.
  void drain_blocking();
  // The response: data (null if a non-null root field failed) and errors.
  [[nodiscard]] response finish();

  // CreateSourceEventStream (spec 6.2.3.1) for a subscription's single root field: checks the field's permission
  // (parent = the root value), coerces its arguments and calls its source. On failure returns nothing and leaves
  // the errors for take_errors().
  struct source_info {
    event_stream stream;
    const schema::object_type* type = nullptr;
    const schema::field* def = nullptr;
    std::vector<const language::field*> nodes;  // the merged field nodes (they point into the prepared document)
    std::string key;                            // the response key
    sluice::value args;                         // the coerced arguments
  };
  // With `open` false only the checks run (a subscriber joining a group whose source is open already).
  [[nodiscard]] std::optional<source_info> create_source(const boost::asio::any_io_executor& loop, bool open = true);
  [[nodiscard]] std::vector<graphql_error> take_errors() { return std::move(errors_); }
  // Whether a permission check denied a root field (for a subscription event: the subscription ends).
  [[nodiscard]] bool root_denied() const { return root_denied_; }

 private:
  struct pending_task;

  void execute_selection_set(const schema::object_type& type, const grouped_fields& fields,
                             const sluice::value& parent, result_node* slot, const path_node* path);
  void execute_field(const schema::object_type& type, const collected_field& cf, const sluice::value& parent,
                     result_node* slot, const path_node* path);
  void complete_value(const schema::type* t, const schema::object_type& parent_type, const collected_field& cf,
                      const sluice::value& v, result_node* slot, const path_node* path);
  void complete_leaf(const schema::named_type* t, const sluice::value& v, result_node* slot);
  const schema::object_type* resolve_abstract(const schema::named_type* abstract,
                                              const schema::object_type& parent_type, const collected_field& cf,
                                              const sluice::value& v);
  // A field error located at the field's nodes and path, nulling `slot` (raise) or not (record).
  void raise(std::string message, const collected_field& cf, const path_node* path, result_node* slot,
             sluice::value extensions = {});
  void record(std::string message, const collected_field& cf, const path_node* path, sluice::value extensions);
  // CoerceArgumentValues for a field; false (with the error recorded at `path`) when they do not coerce.
  bool coerce_arguments(const schema::field& def, const language::field& node, const path_node* path,
                        sluice::value& out);
  [[nodiscard]] const path_node* child_path(const path_node* prev, std::string_view key);
  // The default resolver: the parent object's member named like the field, without a copy.
  [[nodiscard]] const sluice::value& member_of(const sluice::value& parent, const collected_field& cf) const;
  [[nodiscard]] const path_node* index_path(const path_node* prev, std::size_t index);
  // Keeps a value alive (and at a stable address) for the rest of the operation.
  [[nodiscard]] const sluice::value& keep(sluice::value v);
  boost::asio::awaitable<void> run_task(pending_task& task);
  // Runs a field's permission check; false (with the error raised) when it denies.
  bool permitted(const permission_fn& check, const schema::object_type& type, const schema::field& def,
                 const collected_field& cf, const sluice::value& parent, const sluice::value& args,
                 result_node* slot, const path_node* path);

  const executor::impl& ex_;
  const prepared_document& prepared_;
  const schema::schema& schema_;
  const language::operation_definition& op_;
  fragment_index fragments_;
  sluice::value variables_;
  context& ctx_;
  const sluice::value& root_;
  field_collector collector_;
  result_arena arena_;
  result_node* data_ = nullptr;
  const schema::object_type* root_type_ = nullptr;
  grouped_fields root_fields_;
  std::vector<graphql_error> errors_;
  std::deque<sluice::value> kept_;
  std::string scratch_;
  std::vector<std::unique_ptr<pending_task>> pending_;
  bool root_denied_ = false;
};

// Everything that must happen before fields run (prepare, select the operation, coerce variables, collect the root
// fields); either a runner or an early response. The runner keeps references to `ctx` and `root`.
struct started {
  std::shared_ptr<const prepared_document> prepared;
  std::unique_ptr<operation_runner> runner;
  std::optional<response> early;
};
[[nodiscard]] started start_operation(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared,
                                      const request& req, context& ctx, const sluice::value& root);

}  // namespace sluice::execution::detail
