// Live query cohorts: the refresh loop (interval, invalidations, debounce), change detection, patches.
#include "live_cohort.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "json_patch.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::execution::detail {

namespace {

using clock = std::chrono::steady_clock;

const language::directive* live_directive(const language::operation_definition& op) {
  for (const auto& d : op.directives)
    if (d.directive_name.text == "live") return &d;
  return nullptr;
}

}  // namespace

std::optional<live_settings> live_settings_of(const executor::impl& ex, const operation_runner& runner,
                                              std::vector<graphql_error>& errors) {
  const live_options& options = ex.options_.live;
  if (!options.enabled) return std::nullopt;
  const auto& op = runner.operation();
  const language::directive* d = live_directive(op);
  sluice::value args{sluice::object{}};
  if (d != nullptr) {
    if (const auto* def = ex.schema_->find_directive("live")) {
      auto coerced = schema::coerce_argument_values(def->arguments, d->arguments, d->loc, &runner.variables());
      if (!coerced.ok()) {
        errors.push_back(std::move(*coerced.error));
        return std::nullopt;
      }
      args = std::move(coerced.values);
    }
  }
  const sluice::value* if_arg = args.find("if");
  const bool directive_on = d != nullptr && !(if_arg != nullptr && if_arg->is_bool() && !if_arg->as_bool());
  bool live = false;
  if (op.operation == language::operation_type::query) {
    live = directive_on;
  } else if (op.operation == language::operation_type::subscription) {
    const schema::field* root = runner.root_field_count() == 0 ? nullptr : runner.root_field_definition(0);
    live = root != nullptr && ex.live_fields_.contains(root);
  }
  if (!live) return std::nullopt;

  live_settings s{options.interval, options.debounce, false};
  if (directive_on) {
    if (const sluice::value* interval = args.find("interval"); interval != nullptr && interval->is_int()) {
      const std::chrono::milliseconds asked{interval->as_int()};
      if (asked.count() != 0 && (asked < options.min_interval || asked > options.max_interval)) {
        errors.push_back(graphql_error{"@live(interval:) must be 0 (invalidations only) or between " +
                                           std::to_string(options.min_interval.count()) + " and " +
                                           std::to_string(options.max_interval.count()) + " milliseconds.",
                                       {d->loc.to_source_location()},
                                       {},
                                       {}});
        return std::nullopt;
      }
      s.interval = asked;
    }
    if (const sluice::value* patch = args.find("patch"); patch != nullptr && patch->is_bool())
      s.patch = patch->as_bool();
  }
  return s;
}

// A watched resource key: its invalidation stream.
struct live_cohort::key_watch {
  event_stream stream;
};

live_cohort::live_cohort(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared,
                         const language::operation_definition& op, sluice::value variables, context ctx,
                         live_settings settings, std::shared_ptr<std::uint64_t> executions,
                         const boost::asio::any_io_executor& loop)
    : ex_(ex),
      prepared_(std::move(prepared)),
      op_(op),
      variables_(std::move(variables)),
      ctx_(std::move(ctx)),
      settings_(settings),
      executions_(std::move(executions)),
      loop_(loop),
      timer_(loop) {}

live_cohort::~live_cohort() = default;

void live_cohort::start() { boost::asio::co_spawn(loop_, pump(shared_from_this()), boost::asio::detached); }

void live_cohort::add(group_subscriber& s) {
  attach(s);
  if (current_) (void)s.push(result_for(s));
}

void live_cohort::remove(group_subscriber& s) noexcept {
  if (detach(s) && subscribers_.empty()) stop();
}

void live_cohort::stop() noexcept {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  for (auto& [key, w] : watches_) w->stream.stop();
  watches_.clear();
  if (on_stop) std::exchange(on_stop, nullptr)();
}

void live_cohort::invalidate() {
  if (stopped_ || invalidated_) return;
  invalidated_ = true;
  timer_.cancel();  // the refresh loop works out when it may run
}

clock::time_point live_cohort::next_due() const {
  if (invalidated_) return last_refresh_ + settings_.debounce;
  if (settings_.interval.count() > 0) return last_refresh_ + settings_.interval;
  return clock::time_point::max();
}

// `self` keeps the cohort alive while the loop runs.
boost::asio::awaitable<void> live_cohort::pump(std::shared_ptr<live_cohort> self) {
  (void)self;
  for (;;) {
    last_refresh_ = clock::now();
    invalidated_ = false;
    co_await refresh();
    for (;;) {
      if (stopped_) co_return;
      const auto due = next_due();
      if (due <= clock::now()) break;
      timer_.expires_at(due);
      boost::system::error_code ec;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
  }
}

boost::asio::awaitable<void> live_cohort::refresh() {
  ++*executions_;
  context ctx = ctx_;
  ctx.reads = std::make_shared<std::vector<std::string>>();
  response r;
  try {
    static const sluice::value none;
    operation_runner runner(ex_, *prepared_, op_, variables_, ctx, ex_.root_or(none));
    std::vector<graphql_error> errors;
    if (!runner.prepare_root(errors)) {
      r = response{"null", std::move(errors)};
    } else {
      for (std::size_t i = 0; i < runner.root_field_count(); ++i) runner.execute_root_field(i);
      if (runner.has_pending()) co_await runner.drain();
      r = runner.finish();
    }
  } catch (const std::exception& e) {  // not a field error (those are in the result): out of memory, say
    r = response{{}, {graphql_error{std::string("Internal error while executing a live query: ") + e.what(), {}, {}, {}}}};
  }
  if (stopped_) co_return;
  std::vector<std::string> keys = std::move(*ctx.reads);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  watch(std::move(keys));
  publish(r);
}

void live_cohort::watch(std::vector<std::string> keys) {
  if (!ex_.options_.live.watch) return;
  for (auto it = watches_.begin(); it != watches_.end();) {
    if (std::binary_search(keys.begin(), keys.end(), it->first)) {
      ++it;
    } else {
      it->second->stream.stop();
      it = watches_.erase(it);
    }
  }
  for (auto& key : keys) {
    if (watches_.contains(key)) continue;
    auto w = std::make_shared<key_watch>();
    try {
      w->stream = ex_.options_.live.watch(loop_, key);
    } catch (const std::exception&) {
      continue;  // the broker refused (it is down, say): the interval still refreshes
    }
    boost::asio::co_spawn(loop_, follow(weak_from_this(), w), boost::asio::detached);
    watches_.emplace(std::move(key), std::move(w));
  }
}

boost::asio::awaitable<void> live_cohort::follow(std::weak_ptr<live_cohort> cohort, std::shared_ptr<key_watch> w) {
  for (;;) {
    std::optional<stream_item> item;
    try {
      item = co_await w->stream.next();
    } catch (const std::exception&) {
      co_return;  // the watch failed: the interval still refreshes
    }
    if (!item) co_return;
    auto self = cohort.lock();
    if (!self) co_return;
    self->invalidate();
  }
}

void live_cohort::publish(const response& r) {
  auto json = std::make_shared<std::string>();
  r.write_json(*json);
  if (current_ && *current_ == *json) return;  // unchanged: nothing is sent
  current_ = std::move(json);
  if (settings_.patch) {
    full_envelope_.reset();
    patch_json_.clear();
    errors_json_.clear();
    if (!r.errors.empty()) write_errors_json(errors_json_, r.errors);
    std::optional<sluice::value> data;
    if (r.has_data()) data = json::parse(r.data);
    const bool was_patchable = patchable_;
    patchable_ = data.has_value() && data->is_object();
    if (patchable_) {
      if (was_patchable) write_json_patch(patch_json_, data_, *data);
      data_ = std::move(*data);
    } else {
      data_ = {};
    }
    if (!was_patchable)  // nothing to patch from: every subscriber starts again at revision 1
      for (auto* s : subscribers_) s->revision = 0;
  }
  for (auto* s : subscribers_) (void)s->push(result_for(*s));
}

shared_result live_cohort::result_for(group_subscriber& s) {
  if (!settings_.patch || !patchable_) {
    s.revision = 0;
    return shared_result{current_, false};
  }
  auto envelope = [this](std::uint64_t revision, bool full) {
    auto out = std::make_shared<std::string>();
    out->reserve((full ? current_->size() : patch_json_.size()) + errors_json_.size() + 48);
    out->push_back('{');
    if (!errors_json_.empty()) {
      *out += "\"errors\":";
      *out += errors_json_;
      out->push_back(',');
    }
    if (full) {
      *out += "\"data\":";
      json::write(*out, data_);
    } else {
      *out += "\"patch\":";
      *out += patch_json_;
    }
    *out += ",\"revision\":";
    *out += std::to_string(revision);
    out->push_back('}');
    return out;
  };
  // A subscriber that has none yet, or has one queued that this result replaces, starts again at revision 1.
  if (s.revision == 0 || s.queued() > 0) {
    s.revision = 1;
    if (!full_envelope_) full_envelope_ = envelope(1, true);
    return shared_result{full_envelope_, false};
  }
  return shared_result{envelope(++s.revision, false), false};
}

}  // namespace sluice::execution::detail
