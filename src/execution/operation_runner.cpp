// ExecuteSelectionSet, ExecuteField and CompleteValue (spec 6.3, 6.4), building the result tree.
#include "operation_runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <climits>
#include <cmath>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sluice/core/json.hpp"
#include "sluice/schema/coercion.hpp"
#include "values.hpp"

namespace sluice::execution::detail {
namespace {

const sluice::value& null_value() {
  static const sluice::value v;
  return v;
}

const sluice::value& empty_args() {
  static const sluice::value v{sluice::object{}};
  return v;
}

std::string field_coordinate(const schema::object_type& parent, const collected_field& cf) {
  return parent.name() + "." + std::string(cf.nodes.front()->field_name.text);
}

}  // namespace

struct operation_runner::pending_task {
  const schema::object_type* parent_type;
  const collected_field* cf;
  const schema::field* def;
  const sluice::value* parent;
  sluice::value args;
  result_node* slot;
  const async_resolver* resolver;
  std::optional<field_info> info;
};

operation_runner::operation_runner(const executor::impl& ex, const prepared_document& doc,
                                   const language::operation_definition& op, sluice::value variables,
                                   context& ctx, const sluice::value& root)
    : ex_(ex),
      prepared_(doc),
      schema_(*ex.schema_),
      op_(op),
      variables_(std::move(variables)),
      ctx_(ctx),
      root_(root),
      collector_(schema_, fragments_, variables_) {
  for (const auto& def : doc.doc.definitions)
    if (const auto* f = std::get_if<language::fragment_definition>(&def)) fragments_.emplace(f->fragment_name.text, f);
}

operation_runner::~operation_runner() = default;

bool operation_runner::prepare_root(std::vector<graphql_error>& errors) {
  root_type_ = schema_.root_type(op_.operation);
  if (root_type_ == nullptr) {
    static constexpr std::string_view names[] = {"query", "mutation", "subscription"};
    errors.push_back(graphql_error{"Schema is not configured to execute " +
                                       std::string(names[static_cast<int>(op_.operation)]) + " operation.",
                                   {op_.loc.to_source_location()},
                                   {},
                                   {}});
    return false;
  }
  try {
    collector_.collect(*root_type_, op_.selections, root_fields_);
  } catch (directive_error& e) {
    errors.push_back(std::move(e.error));
    return false;
  }
  data_ = arena_.node(nullptr, false);
  data_->k = result_node::kind::object;
  data_->entries = arena_.array<result_entry>(root_fields_.size());
  return true;
}

void operation_runner::execute_root_field(std::size_t index) {
  if (data_->is_null()) return;  // an earlier non-null root field failed
  auto* child = arena_.node(data_, false);
  auto& entry = data_->entries[data_->size++];
  entry.key = root_fields_[index].response_key;
  entry.node = child;
  execute_field(*root_type_, root_fields_[index], root_, child, nullptr);
}

// ExecuteSelectionSet (spec 6.3)
void operation_runner::execute_selection_set(const schema::object_type& type, const grouped_fields& fields,
                                             const sluice::value& parent, result_node* slot,
                                             const path_node* path) {
  slot->k = result_node::kind::object;
  slot->entries = arena_.array<result_entry>(fields.size());
  slot->size = 0;
  for (const auto& cf : fields) {
    auto* child = arena_.node(slot, false);
    auto& entry = slot->entries[slot->size++];
    entry.key = cf.response_key;
    entry.node = child;
    execute_field(type, cf, parent, child, path);
    if (slot->is_null()) break;  // a non-null field failed: the whole object is null
  }
}

// ExecuteField (spec 6.4)
void operation_runner::execute_field(const schema::object_type& type, const collected_field& cf,
                                     const sluice::value& parent, result_node* slot, const path_node* path) {
  const language::field& node = *cf.nodes.front();
  if (!cf.resolved) {
    const std::string_view name = node.field_name.text;
    const schema::field* def = type.find_field(name);
    if (def == nullptr && &type == schema_.query_type() && ex_.options_.introspection) {
      if (name == "__schema") def = &schema_.schema_meta_field();
      else if (name == "__type") def = &schema_.type_meta_field();
    }
    cf.definition = def;
    if (def != nullptr) cf.resolver = ex_.find(def);
    cf.resolved = true;
  }
  const schema::field* def = cf.definition;
  if (def == nullptr) {
    if (node.field_name.text == "__typename") {
      slot->non_null = true;
      slot->k = result_node::kind::name;
      slot->str = &type.name();
    }
    // Otherwise the field is unknown, which validation rules out: it stays null.
    return;
  }
  slot->non_null = def->field_type->is_non_null();
  const path_node* fpath = child_path(path, cf.response_key);

  const sync_resolver* resolver = cf.resolver.sync;
  if (resolver == nullptr && cf.resolver.async == nullptr && cf.resolver.guard == nullptr) {
    if (!ex_.resolvers_.default_resolver()) {
      // The default resolver reads no arguments: skip coercing them (validation has checked them).
      complete_value(def->field_type, type, cf, member_of(parent, cf), slot, fpath);
      return;
    }
    resolver = &ex_.resolvers_.default_resolver();
  }

  const sluice::value* args = &empty_args();
  sluice::value coerced_args;
  if (!def->arguments.empty()) {
    if (!coerce_arguments(*def, node, fpath, coerced_args)) {
      null_out(slot);
      return;
    }
    args = &coerced_args;
  }
  if (cf.resolver.guard != nullptr && !permitted(*cf.resolver.guard, type, *def, cf, parent, *args, slot, fpath))
    return;
  if (resolver == nullptr && cf.resolver.async == nullptr) {
    if (!ex_.resolvers_.default_resolver()) {
      complete_value(def->field_type, type, cf, member_of(parent, cf), slot, fpath);
      return;
    }
    resolver = &ex_.resolvers_.default_resolver();
  }

  if (cf.resolver.async != nullptr) {
    auto task = std::make_unique<pending_task>();
    task->parent_type = &type;
    task->cf = &cf;
    task->def = def;
    task->parent = &parent;
    task->args = def->arguments.empty() ? sluice::value(sluice::object{}) : std::move(coerced_args);
    task->slot = slot;
    task->resolver = cf.resolver.async;
    task->info.emplace(field_info{schema_, type, *def, cf.nodes, op_, variables_, fpath});
    slot->k = result_node::kind::pending;
    pending_.push_back(std::move(task));
    return;
  }

  sluice::value result;
  try {
    field_info info{schema_, type, *def, cf.nodes, op_, variables_, fpath};
    result = (*resolver)(resolver_params{parent, *args, ctx_, info});
  } catch (const field_error& e) {
    raise(e.what(), cf, fpath, slot, e.extensions());
    return;
  } catch (const std::exception& e) {
    raise(e.what(), cf, fpath, slot);
    return;
  }
  // Kept: leaves point at their value until the response is written; children of objects may be async.
  complete_value(def->field_type, type, cf, keep(std::move(result)), slot, fpath);
}

// CompleteValue (spec 6.4.3)
void operation_runner::complete_value(const schema::type* t, const schema::object_type& parent_type,
                                      const collected_field& cf, const sluice::value& v, result_node* slot,
                                      const path_node* path) {
  if (t->is_non_null()) {
    if (v.is_null()) {
      raise("Cannot return null for non-nullable field " + field_coordinate(parent_type, cf) + ".", cf, path, slot);
      return;
    }
    t = t->of_type();
  }
  if (v.is_null()) {
    slot->k = result_node::kind::null;
    return;
  }
  if (t->is_list()) {
    if (!v.is_list()) {
      raise("Expected Iterable, but did not find one for field \"" + field_coordinate(parent_type, cf) + "\".", cf,
            path, slot);
      return;
    }
    const auto& items = v.as_list();
    const schema::type* item_type = t->of_type();
    const bool item_non_null = item_type->is_non_null();
    slot->k = result_node::kind::list;
    slot->items = arena_.array<result_node*>(items.size());
    slot->size = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto* child = arena_.node(slot, item_non_null);
      slot->items[slot->size++] = child;
      complete_value(item_type, parent_type, cf, items[i], child, index_path(path, i));
      if (slot->is_null()) break;  // a non-null item failed: the whole list is null
    }
    return;
  }
  const schema::named_type* named = static_cast<const schema::named_type*>(t);
  if (named->is_leaf()) {
    try {
      complete_leaf(named, v, slot);
    } catch (const std::exception& e) {
      raise(e.what(), cf, path, slot);
    }
    return;
  }
  const schema::object_type* object = named->as<schema::object_type>();
  if (object == nullptr) {
    object = resolve_abstract(named, parent_type, cf, v);
    if (object == nullptr) {
      raise(scratch_, cf, path, slot);  // resolve_abstract left the message in scratch_
      return;
    }
  }
  const grouped_fields* subfields = nullptr;
  try {
    subfields = &collector_.collect_subfields(*object, cf);
  } catch (directive_error& e) {
    e.error.path = path_node::to_vector(path);
    errors_.push_back(std::move(e.error));
    null_out(slot);
    return;
  }
  execute_selection_set(*object, *subfields, v, slot, path);
}

// CompleteValue for leaves (spec 6.4.3): `v` must stay alive until the response is written. Values that are
// already what the scalar would give are used as they are; others are coerced and kept.
void operation_runner::complete_leaf(const schema::named_type* t, const sluice::value& v, result_node* slot) {
  bool as_is = false;
  if (const auto* scalar = t->as<schema::scalar_type>()) {
    switch (scalar->builtin()) {
      case schema::builtin_scalar::string: as_is = v.is_string(); break;
      case schema::builtin_scalar::boolean: as_is = v.is_bool(); break;
      case schema::builtin_scalar::id: as_is = v.is_string(); break;
      case schema::builtin_scalar::int_:
        as_is = v.is_int() && v.as_int() >= INT32_MIN && v.as_int() <= INT32_MAX;
        break;
      case schema::builtin_scalar::float_: as_is = v.is_int() || (v.is_float() && std::isfinite(v.as_float())); break;
      case schema::builtin_scalar::none: as_is = !scalar->coercion().serialize; break;
    }
  } else {
    const auto* e = t->as<schema::enum_type>();
    as_is = v.is_string() && e->find_value(v.as_string()) != nullptr;
  }
  slot->k = result_node::kind::value;
  slot->val = as_is ? &v : &keep(schema::serialize_leaf(*t, v));
}

// ResolveAbstractType (spec 6.4.3): a bound type resolver, else the value's __typename.
const schema::object_type* operation_runner::resolve_abstract(const schema::named_type* abstract,
                                                              const schema::object_type& parent_type,
                                                              const collected_field& cf, const sluice::value& v) {
  std::string type_name;
  auto it = ex_.type_resolvers_.find(abstract);
  if (it != ex_.type_resolvers_.end()) {
    try {
      type_name = (*it->second)(v, *abstract);
    } catch (const std::exception& e) {
      scratch_ = e.what();
      return nullptr;
    }
  } else if (const sluice::value* tn = v.find("__typename"); tn && tn->is_string()) {
    type_name = tn->as_string();
  }
  if (type_name.empty()) {
    scratch_ = "Abstract type \"" + abstract->name() + "\" must resolve to an Object type at runtime for field \"" +
               field_coordinate(parent_type, cf) + "\". Either the \"" + abstract->name() +
               "\" type should provide a \"resolveType\" function or each possible type should provide an "
               "\"isTypeOf\" function.";
    return nullptr;
  }
  const schema::named_type* runtime = schema_.find_type(type_name);
  if (runtime == nullptr) {
    scratch_ = "Abstract type \"" + abstract->name() + "\" was resolved to a type \"" + type_name +
               "\" that does not exist inside the schema.";
    return nullptr;
  }
  const auto* object = runtime->as<schema::object_type>();
  if (object == nullptr) {
    scratch_ = "Abstract type \"" + abstract->name() + "\" was resolved to a non-object type \"" + type_name + "\".";
    return nullptr;
  }
  if (!schema_.is_sub_type(abstract, object)) {
    scratch_ = "Runtime Object type \"" + type_name + "\" is not a possible type for \"" + abstract->name() + "\".";
    return nullptr;
  }
  return object;
}

void operation_runner::raise(std::string message, const collected_field& cf, const path_node* path,
                             result_node* slot, sluice::value extensions) {
  record(std::move(message), cf, path, std::move(extensions));
  null_out(slot);
}

void operation_runner::record(std::string message, const collected_field& cf, const path_node* path,
                              sluice::value extensions) {
  graphql_error e;
  e.message = std::move(message);
  e.locations.reserve(cf.nodes.size());
  for (const auto* n : cf.nodes) e.locations.push_back(n->loc.to_source_location());
  e.path = path_node::to_vector(path);
  e.extensions = std::move(extensions);
  errors_.push_back(std::move(e));
}

bool operation_runner::coerce_arguments(const schema::field& def, const language::field& node, const path_node* path,
                                        sluice::value& out) {
  auto coerced = schema::coerce_argument_values(def.arguments, node.arguments, node.loc, &variables_);
  if (!coerced.ok()) {
    // The error points at the argument; the path is the field's (graphql-js locatedError).
    graphql_error e = std::move(*coerced.error);
    e.path = path_node::to_vector(path);
    errors_.push_back(std::move(e));
    return false;
  }
  out = std::move(coerced.values);
  return true;
}

const sluice::value& operation_runner::member_of(const sluice::value& parent, const collected_field& cf) const {
  if (!parent.is_object()) return null_value();
  const auto& members = parent.as_object();
  const std::string_view key = cf.nodes.front()->field_name.text;
  const std::uint32_t hint = cf.member_hint;
  if (hint < members.size() && members[hint].name == key) return members[hint].val;
  for (std::uint32_t i = 0; i < members.size(); ++i) {
    if (members[i].name == key) {
      cf.member_hint = i;
      return members[i].val;
    }
  }
  return null_value();
}

const path_node* operation_runner::child_path(const path_node* prev, std::string_view key) {
  return new (arena_.allocate(sizeof(path_node), alignof(path_node))) path_node{prev, key, 0};
}

const path_node* operation_runner::index_path(const path_node* prev, std::size_t index) {
  return new (arena_.allocate(sizeof(path_node), alignof(path_node))) path_node{prev, {}, index};
}

const sluice::value& operation_runner::keep(sluice::value v) { return kept_.emplace_back(std::move(v)); }

bool operation_runner::permitted(const permission_fn& check, const schema::object_type& type,
                                 const schema::field& def, const collected_field& cf, const sluice::value& parent,
                                 const sluice::value& args, result_node* slot, const path_node* path) {
  std::optional<std::pair<std::string, sluice::value>> denial;
  try {
    field_info info{schema_, type, def, cf.nodes, op_, variables_, path};
    if (!check(resolver_params{parent, args, ctx_, info}))
      denial.emplace("Not authorized to access " + field_coordinate(type, cf) + ".",
                     sluice::value(sluice::object{{"code", "FORBIDDEN"}}));
  } catch (const field_error& e) {
    denial.emplace(e.what(), e.extensions());
  } catch (const std::exception& e) {
    denial.emplace(e.what(), sluice::value{});
  }
  if (!denial) return true;
  if (slot == nullptr || slot->parent == data_) root_denied_ = true;
  record(std::move(denial->first), cf, path, std::move(denial->second));
  if (slot != nullptr) null_out(slot);
  return false;
}

std::optional<operation_runner::source_info> operation_runner::create_source(
    const boost::asio::any_io_executor& loop, bool open) {
  if (root_fields_.empty()) return std::nullopt;  // validation rules this out
  const collected_field& cf = root_fields_.front();
  const language::field& node = *cf.nodes.front();
  const schema::field* def = root_type_->find_field(node.field_name.text);
  auto src = def ? ex_.sources_.find(def) : ex_.sources_.end();
  const path_node* path = child_path(nullptr, cf.response_key);
  auto fail = [&](std::string message, sluice::value extensions) {
    record(std::move(message), cf, path, std::move(extensions));
    return std::nullopt;
  };
  if (src == ex_.sources_.end())
    return fail("Subscription field \"" + std::string(node.field_name.text) + "\" has no source.", {});
  sluice::value args{sluice::object{}};
  if (!def->arguments.empty() && !coerce_arguments(*def, node, path, args)) return std::nullopt;
  const bound_resolver bound = ex_.find(def);
  if (bound.guard != nullptr && !permitted(*bound.guard, *root_type_, *def, cf, root_, args, nullptr, path))
    return std::nullopt;
  source_info info;
  try {
    if (open) info.stream = (*src->second)(source_params{args, ctx_, root_, loop});
  } catch (const field_error& e) {
    return fail(e.what(), e.extensions());
  } catch (const std::exception& e) {
    return fail(e.what(), {});
  }
  info.type = root_type_;
  info.def = def;
  info.nodes.assign(cf.nodes.begin(), cf.nodes.end());
  info.key = std::string(cf.response_key);
  info.args = std::move(args);
  return info;
}

boost::asio::awaitable<void> operation_runner::run_task(pending_task& task) {
  for (const result_node* p = task.slot->parent; p != nullptr; p = p->parent)
    if (p->is_null()) co_return;  // an ancestor was nulled meanwhile: nobody will see this value
  sluice::value result;
  std::optional<std::pair<std::string, sluice::value>> failure;
  try {
    result = co_await (*task.resolver)(resolver_params{*task.parent, task.args, ctx_, *task.info});
  } catch (const field_error& e) {
    failure.emplace(e.what(), e.extensions());
  } catch (const std::exception& e) {
    failure.emplace(e.what(), sluice::value{});
  }
  if (failure) {
    raise(std::move(failure->first), *task.cf, task.info->path, task.slot, std::move(failure->second));
    co_return;
  }
  complete_value(task.def->field_type, *task.parent_type, *task.cf, keep(std::move(result)), task.slot,
                 task.info->path);
}

boost::asio::awaitable<void> operation_runner::drain() {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  while (!pending_.empty()) {
    auto batch = std::move(pending_);
    pending_.clear();
    std::size_t remaining = batch.size();
    asio::steady_timer done(ex, asio::steady_timer::time_point::max());
    for (auto& task : batch)
      asio::co_spawn(ex, run_task(*task), [&](std::exception_ptr) {
        if (--remaining == 0) done.cancel();
      });
    // Wakes up when the last task of the batch cancels the timer.
    co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

boost::asio::awaitable<response> operation_runner::run() {
  for (std::size_t i = 0; i < root_field_count(); ++i) {
    execute_root_field(i);
    // Mutations run their root fields one after the other (spec 6.2.2); queries may interleave.
    if (has_pending() && is_serial()) co_await drain();
  }
  if (has_pending()) co_await drain();
  co_return finish();
}

void operation_runner::drain_blocking() {
  boost::asio::io_context io;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, drain(), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

response operation_runner::finish() {
  response r;
  // One allocation of about the right size: growing a large buffer step by step copies it, and makes the
  // allocator hand fresh pages over and over again.
  // The first time, a sizing pass over the tree gives the exact size; then the last size is a good guess.
  const std::size_t hint = prepared_.response_size_hint.load(std::memory_order_relaxed);
  r.data.reserve(hint ? hint + hint / 8 + 64 : measure_json(data_));
  write_json(r.data, data_);
  prepared_.response_size_hint.store(r.data.size(), std::memory_order_relaxed);
  r.errors = std::move(errors_);
  return r;
}

}  // namespace sluice::execution::detail
