// Subscribe (spec 6.2.3): executor::subscribe (a source per subscription) and subscription_hub (shared by groups).
#include <boost/asio/this_coro.hpp>
#include <string>
#include <unordered_map>

#include "sluice/core/json.hpp"
#include "sluice/execution/executor.hpp"
#include "live_cohort.hpp"
#include "subscription_group.hpp"

namespace sluice::execution {

struct subscription_hub::impl {
  const executor& ex;
  std::unordered_map<std::string, std::weak_ptr<detail::subscription_group>> groups;
  std::unordered_map<std::string, std::weak_ptr<detail::live_cohort>> cohorts;
  std::shared_ptr<std::uint64_t> executions = std::make_shared<std::uint64_t>(0);
};

namespace detail {
namespace {

// The group a request belongs to: equal document text, operation name, variables and auth scope.
std::string group_key(const request& req, const context& ctx) {
  std::string key = req.query;
  key += '\x1f';
  key += req.operation_name;
  key += '\x1f';
  json::write(key, req.variables);
  key += '\x1f';
  key += ctx.scope_key();
  return key;
}

// A live query: joins or creates its cohort in `hub` (or a cohort of its own without one).
subscribe_result subscribe_live(const executor::impl& ex, started& s, const live_settings& settings,
                                const request& req, context ctx, const std::shared_ptr<subscription_hub::impl>& hub,
                                const boost::asio::any_io_executor& loop) {
  const subscription_options& options = ex.options_.subscriptions;
  std::string key;
  if (hub) {
    key = group_key(req, ctx);
    if (auto it = hub->cohorts.find(key); it != hub->cohorts.end()) {
      if (auto cohort = it->second.lock(); cohort && !cohort->stopped()) {
        auto sub = std::make_shared<group_subscriber>(cohort, std::move(ctx), options, true);
        cohort->add(*sub);
        return response_stream(std::move(sub));
      }
    }
  }
  auto cohort = std::make_shared<live_cohort>(ex, s.prepared, s.runner->operation(), s.runner->variables(), ctx,
                                              settings, hub ? hub->executions : std::make_shared<std::uint64_t>(0),
                                              loop);
  if (hub) {
    hub->cohorts[key] = cohort;
    cohort->on_stop = [weak = std::weak_ptr<subscription_hub::impl>(hub), key] {
      if (auto h = weak.lock()) h->cohorts.erase(key);
    };
  }
  auto sub = std::make_shared<group_subscriber>(cohort, std::move(ctx), options, true);
  cohort->add(*sub);
  cohort->start();
  return response_stream(std::move(sub));
}

// Subscribes, joining or creating a group in `hub` (or a group of its own without one).
boost::asio::awaitable<subscribe_result> subscribe(const executor& exec, const executor::impl& ex, request req,
                                                   context ctx, sluice::value root,
                                                   std::shared_ptr<subscription_hub::impl> hub) {
  const auto loop = co_await boost::asio::this_coro::executor;
  started s = start_operation(ex, exec.prepare(req.query), req, ctx, ex.root_or(root));
  if (s.early) co_return std::move(*s.early);
  {
    std::vector<graphql_error> errors;
    const auto live = live_settings_of(ex, *s.runner, errors);
    if (!errors.empty()) co_return response{{}, std::move(errors)};
    if (live) co_return subscribe_live(ex, s, *live, req, std::move(ctx), hub, loop);
  }
  if (s.runner->operation_type() != language::operation_type::subscription) co_return co_await s.runner->run();

  // From here to the return there is no suspension: the stream handle exists as soon as the source does.
  const subscription_options& options = ex.options_.subscriptions;
  std::string key;
  if (hub) {
    key = group_key(req, ctx);
    auto it = hub->groups.find(key);
    if (it != hub->groups.end()) {
      if (auto group = it->second.lock(); group && !group->stopped()) {
        // The source is open already; this subscriber's own permission still counts.
        if (!s.runner->create_source(loop, false)) co_return response{{}, s.runner->take_errors()};
        auto sub = std::make_shared<group_subscriber>(group, std::move(ctx), options);
        group->add(*sub);
        co_return response_stream(std::move(sub));
      }
    }
  }
  auto source = s.runner->create_source(loop);
  if (!source) co_return response{{}, s.runner->take_errors()};
  auto group = std::make_shared<subscription_group>(ex, s.prepared, s.runner->operation(), s.runner->variables(),
                                                    ctx, std::move(*source),
                                                    hub ? hub->executions : std::make_shared<std::uint64_t>(0));
  if (hub) {
    hub->groups[key] = group;
    group->on_stop = [weak = std::weak_ptr<subscription_hub::impl>(hub), key] {
      if (auto h = weak.lock()) h->groups.erase(key);
    };
  }
  auto sub = std::make_shared<group_subscriber>(group, std::move(ctx), options);
  group->add(*sub);
  group->start(loop);
  co_return response_stream(std::move(sub));
}

}  // namespace
}  // namespace detail

boost::asio::awaitable<subscribe_result> executor::subscribe(request req, context ctx, sluice::value root) const {
  return detail::subscribe(*this, *impl_, std::move(req), std::move(ctx), std::move(root), nullptr);
}

subscription_hub::subscription_hub(const executor& ex) : impl_(std::make_shared<impl>(impl{ex, {}, {}})) {}

subscription_hub::~subscription_hub() = default;

boost::asio::awaitable<subscribe_result> subscription_hub::subscribe(request req, context ctx) {
  return detail::subscribe(impl_->ex, *impl_->ex.impl_, std::move(req), std::move(ctx), {}, impl_);
}

std::size_t subscription_hub::group_count() const { return impl_->groups.size(); }

std::size_t subscription_hub::live_cohort_count() const { return impl_->cohorts.size(); }

std::uint64_t subscription_hub::executions() const { return *impl_->executions; }

}  // namespace sluice::execution
