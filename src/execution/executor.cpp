// The executor: binds resolvers, caches prepared documents, selects the operation and runs it (spec 6.1, 6.2).
#include "sluice/execution/executor.hpp"

#include <stdexcept>

#include "executor_impl.hpp"
#include "introspection.hpp"
#include "operation_runner.hpp"
#include "values.hpp"

namespace sluice::execution {
namespace {

// Everything that must happen before fields run; either a runner or an early response.
struct started {
  std::shared_ptr<const prepared_document> prepared;
  std::unique_ptr<detail::operation_runner> runner;
  std::optional<response> early;
};

// GetOperation (spec 6.1)
const language::operation_definition* select_operation(const language::document& doc, const std::string& name,
                                                       std::vector<graphql_error>& errors) {
  const language::operation_definition* found = nullptr;
  std::size_t count = 0;
  for (const auto& def : doc.definitions) {
    const auto* op = std::get_if<language::operation_definition>(&def);
    if (op == nullptr) continue;
    ++count;
    if (name.empty()) {
      if (found == nullptr) found = op;
    } else if (op->op_name.text == name) {
      found = op;
      break;
    }
  }
  if (name.empty() && count > 1) {
    errors.push_back(graphql_error{"Must provide operation name if query contains multiple operations.", {}, {}, {}});
    return nullptr;
  }
  if (found == nullptr) {
    errors.push_back(graphql_error{
        name.empty() ? "Must provide an operation." : "Unknown operation named \"" + name + "\".", {}, {}, {}});
  }
  return found;
}

started start(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared, const request& req,
              context& ctx, const sluice::value& root) {
  started s;
  s.prepared = std::move(prepared);
  if (!s.prepared->errors.empty()) {
    s.early = response{{}, s.prepared->errors};
    return s;
  }
  std::vector<graphql_error> errors;
  const auto* op = select_operation(s.prepared->doc, req.operation_name, errors);
  if (op == nullptr) {
    s.early = response{{}, std::move(errors)};
    return s;
  }
  sluice::value variables = detail::coerce_variable_values(*ex.schema_, *op, req.variables, errors);
  if (!errors.empty()) {
    s.early = response{{}, std::move(errors)};
    return s;
  }
  s.runner = std::make_unique<detail::operation_runner>(ex, *s.prepared, *op, std::move(variables), ctx, root);
  if (!s.runner->prepare_root(errors)) s.early = response{"null", std::move(errors)};
  return s;
}

}  // namespace

executor::executor(std::shared_ptr<const schema::schema> s, resolver_map resolvers, executor_options options)
    : impl_(std::make_unique<impl>()) {
  impl_->schema_ = std::move(s);
  impl_->resolvers_ = std::move(resolvers);
  impl_->options_ = std::move(options);
  const auto& sch = *impl_->schema_;
  for (const auto& entry : impl_->resolvers_.fields()) {
    auto dot = entry.coordinate.find('.');
    const schema::named_type* t =
        dot == std::string::npos ? nullptr : sch.find_type(std::string_view(entry.coordinate).substr(0, dot));
    const auto* object = t ? t->as<schema::object_type>() : nullptr;
    const schema::field* f = object ? object->find_field(std::string_view(entry.coordinate).substr(dot + 1)) : nullptr;
    if (f == nullptr)
      throw std::invalid_argument("resolver bound to \"" + entry.coordinate +
                                  "\", which is not a field of an object type in the schema");
    auto& b = impl_->bound_[f];
    b = entry.async ? bound_resolver{nullptr, &entry.async} : bound_resolver{&entry.sync, nullptr};
  }
  for (const auto& [type_name, resolver] : impl_->resolvers_.types()) {
    const schema::named_type* t = sch.find_type(type_name);
    if (t == nullptr || !t->is_abstract())
      throw std::invalid_argument("type resolver bound to \"" + type_name +
                                  "\", which is not an interface or union in the schema");
    impl_->type_resolvers_[t] = &resolver;
  }
  if (impl_->options_.introspection) {
    impl_->introspection_ = detail::introspection_resolvers(sch);
    for (const auto& [f, r] : impl_->introspection_) impl_->bound_[f] = bound_resolver{&r, nullptr};
  }
}

executor::~executor() = default;

const schema::schema& executor::schema() const { return *impl_->schema_; }

std::shared_ptr<const prepared_document> executor::prepare(const std::string& query) const {
  auto& m = *impl_;
  {
    std::lock_guard lock(m.cache_mutex_);
    auto it = m.cache_.find(query);
    if (it != m.cache_.end()) {
      m.lru_.splice(m.lru_.begin(), m.lru_, it->second);
      return it->second->second;
    }
  }
  auto prepared = std::make_shared<prepared_document>();
  auto parsed = language::parse(query, m.options_.parse);
  if (!parsed.ok()) {
    prepared->errors.push_back(std::move(*parsed.error));
  } else {
    prepared->doc = std::move(parsed.doc);
    prepared->errors = validation::validate(*m.schema_, prepared->doc, m.options_.validate);
  }
  if (m.options_.document_cache_size > 0) {
    std::lock_guard lock(m.cache_mutex_);
    if (m.cache_.find(query) == m.cache_.end()) {
      m.lru_.emplace_front(query, prepared);
      m.cache_.emplace(m.lru_.front().first, m.lru_.begin());
      while (m.lru_.size() > m.options_.document_cache_size) {
        m.cache_.erase(m.lru_.back().first);
        m.lru_.pop_back();
      }
    }
  }
  return prepared;
}

boost::asio::awaitable<response> executor::execute(request req, context ctx, sluice::value root) const {
  started s = start(*impl_, prepare(req.query), req, ctx, root);
  if (s.early) co_return std::move(*s.early);
  auto& runner = *s.runner;
  for (std::size_t i = 0; i < runner.root_field_count(); ++i) {
    runner.execute_root_field(i);
    // Mutations run their root fields one after the other (spec 6.2.2); queries may interleave.
    if (runner.has_pending() && runner.is_serial()) co_await runner.drain();
  }
  if (runner.has_pending()) co_await runner.drain();
  co_return runner.finish();
}

response executor::execute_sync(const request& req, context ctx, const sluice::value& root) const {
  started s = start(*impl_, prepare(req.query), req, ctx, root);
  if (s.early) return std::move(*s.early);
  auto& runner = *s.runner;
  for (std::size_t i = 0; i < runner.root_field_count(); ++i) {
    runner.execute_root_field(i);
    if (runner.has_pending() && runner.is_serial()) runner.drain_blocking();
  }
  if (runner.has_pending()) runner.drain_blocking();
  return runner.finish();
}

}  // namespace sluice::execution
