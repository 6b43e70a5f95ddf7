// The executor: binds resolvers, caches prepared documents, selects the operation and runs it (spec 6.1, 6.2).
#include "sluice/execution/executor.hpp"

#include <stdexcept>

#include "executor_impl.hpp"
#include "introspection.hpp"
#include "operation_runner.hpp"
#include "values.hpp"

namespace sluice::execution {
namespace {

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

}  // namespace

namespace detail {

started start_operation(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared, const request& req,
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

}  // namespace detail

const schema::field& executor::impl::field_at(const std::string& coordinate, const char* what) const {
  const auto& sch = *schema_;
  auto dot = coordinate.find('.');
  const schema::named_type* t = dot == std::string::npos ? nullptr : sch.find_type(std::string_view(coordinate).substr(0, dot));
  const auto* object = t ? t->as<schema::object_type>() : nullptr;
  const schema::field* f = object ? object->find_field(std::string_view(coordinate).substr(dot + 1)) : nullptr;
  if (f == nullptr)
    throw std::invalid_argument(std::string(what) + " bound to \"" + coordinate +
                                "\", which is not a field of an object type in the schema");
  return *f;
}

namespace {

// A subscription field with a source and no resolver: the event is the field's value.
sluice::value event_as_value(const resolver_params& p) { return p.parent; }
const sync_resolver identity_resolver{event_as_value};

}  // namespace

executor::executor(std::shared_ptr<const schema::schema> s, resolver_map resolvers, executor_options options)
    : impl_(std::make_unique<impl>()) {
  impl_->schema_ = std::move(s);
  impl_->resolvers_ = std::move(resolvers);
  impl_->options_ = std::move(options);
  auto& m = *impl_;
  const auto& sch = *m.schema_;
  for (const auto& entry : m.resolvers_.fields()) {
    auto& b = m.bound_[&m.field_at(entry.coordinate, "resolver")];
    b.sync = entry.async ? nullptr : &entry.sync;
    b.async = entry.async ? &entry.async : nullptr;
  }
  const schema::object_type* subscription = sch.subscription_type();
  for (const auto& [coordinate, source] : m.resolvers_.sources()) {
    const schema::field& f = m.field_at(coordinate, "source");
    if (subscription == nullptr || subscription->find_field(f.name) != &f)
      throw std::invalid_argument("source bound to \"" + coordinate +
                                  "\", which is not a field of the subscription root type");
    m.sources_[&f] = &source;
    auto& b = m.bound_[&f];
    if (b.sync == nullptr && b.async == nullptr) b.sync = &identity_resolver;
  }
  for (const auto& [coordinate, check] : m.resolvers_.guards()) m.bound_[&m.field_at(coordinate, "permission check")].guard = &check;
  // Live queries: a subscription field without a source that mirrors a Query field resolves as that field does.
  const schema::object_type* query = sch.query_type();
  if (m.options_.live.enabled && subscription != nullptr && query != nullptr && subscription != query) {
    for (const auto& f : subscription->fields()) {
      const schema::field* mirrored = query->find_field(f.name);
      if (m.sources_.contains(&f) || mirrored == nullptr || mirrored->field_type != f.field_type) continue;
      m.live_fields_.insert(&f);
      if (auto it = m.bound_.find(mirrored); it != m.bound_.end()) m.bound_[&f] = it->second;
    }
  }
  if (subscription != nullptr && m.options_.require_sources) {
    for (const auto& f : subscription->fields())
      if (!m.sources_.contains(&f) && !m.live_fields_.contains(&f))
        throw std::invalid_argument("subscription field \"" + subscription->name() + "." + f.name +
                                    "\" has no source: bind one with resolver_map::source()");
  }
  for (const auto& [coordinate, filter] : m.resolvers_.filters()) {
    const schema::field& f = m.field_at(coordinate, "filter");
    if (m.sources_.find(&f) == m.sources_.end())
      throw std::invalid_argument("filter bound to \"" + coordinate + "\", which is not a subscription field with a source");
    m.filters_[&f] = &filter;
  }
  for (const auto& [type_name, resolver] : m.resolvers_.types()) {
    const schema::named_type* t = sch.find_type(type_name);
    if (t == nullptr || !t->is_abstract())
      throw std::invalid_argument("type resolver bound to \"" + type_name +
                                  "\", which is not an interface or union in the schema");
    m.type_resolvers_[t] = &resolver;
  }
  if (m.options_.introspection) {
    m.introspection_ = detail::introspection_resolvers(sch);
    for (const auto& [f, r] : m.introspection_) m.bound_[f] = bound_resolver{&r, nullptr, nullptr};
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
      m.cache_hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second->second;
    }
  }
  m.cache_misses_.fetch_add(1, std::memory_order_relaxed);
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

executor::selection executor::select_operation(const request& req) const {
  selection out;
  out.document = prepare(req.query);
  std::vector<graphql_error> ignored;  // execution reports them
  if (out.document->errors.empty())
    out.operation = sluice::execution::select_operation(out.document->doc, req.operation_name, ignored);
  return out;
}

executor::cache_stats executor::document_cache_stats() const {
  std::size_t size = 0;
  {
    std::lock_guard lock(impl_->cache_mutex_);
    size = impl_->lru_.size();
  }
  return {impl_->cache_hits_.load(std::memory_order_relaxed), impl_->cache_misses_.load(std::memory_order_relaxed),
          size};
}

boost::asio::awaitable<response> executor::execute(request req, context ctx, sluice::value root) const {
  detail::started s = detail::start_operation(*impl_, prepare(req.query), req, ctx, impl_->root_or(root));
  if (s.early) co_return std::move(*s.early);
  co_return co_await s.runner->run();
}

response executor::execute_sync(const request& req, context ctx, const sluice::value& root) const {
  detail::started s = detail::start_operation(*impl_, prepare(req.query), req, ctx, impl_->root_or(root));
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
