// Subscription groups and their subscribers: the source loop, execution per event, bounded per-subscriber queues.
#include "subscription_group.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "sluice/core/json.hpp"

namespace sluice::execution::detail {
namespace {

std::shared_ptr<const std::string> to_json(const response& r) {
  auto out = std::make_shared<std::string>();
  r.write_json(*out);
  return out;
}

}  // namespace

// ---- group_subscriber ----

group_subscriber::group_subscriber(std::shared_ptr<subscriber_set> group, context ctx, subscription_options options,
                                   bool conflate)
    : group_(std::move(group)), ctx_(std::move(ctx)), options_(options), conflate_(conflate) {
  if (options_.max_queued == 0) options_.max_queued = 1;
}

group_subscriber::~group_subscriber() { stop(); }

void group_subscriber::next(response_stream::next_handler done) {
  waiting_ = std::move(done);
  hand_over();
}

void group_subscriber::hand_over() {
  if (!waiting_) return;
  if (!queue_.empty()) {
    shared_result r = std::move(queue_.front());
    queue_.pop_front();
    waiting_.complete(nullptr, std::move(r));
  } else if (ended_) {
    waiting_.end();
  }
}

bool group_subscriber::push_to(response_stream::result_sink sink) {
  if (waiting_ || sink_) return false;
  sink_ = std::move(sink);
  while (!queue_.empty() && sink_) {
    const shared_result r = std::move(queue_.front());
    queue_.pop_front();
    take(r);
  }
  if (ended_ && sink_) std::exchange(sink_, nullptr)(nullptr);  // ended without a final result
  return true;
}

void group_subscriber::take(const shared_result& r) {
  if (r.final) {
    ended_ = true;
    std::exchange(sink_, nullptr)(&r);  // the last call: the sink goes with it
  } else {
    sink_(&r);
  }
}

bool group_subscriber::push(const shared_result& r) {
  if (ended_) return true;
  if (sink_) {  // no queue: the consumer's own queue and limits apply
    take(r);
    return true;
  }
  if (conflate_ && !queue_.empty()) {
    queue_.back() = r;  // the newer result replaces the one not yet taken
    if (r.final) ended_ = true;
    hand_over();
    return true;
  }
  queue_.push_back(r);
  bool keep = true;
  if (r.final) {
    ended_ = true;
  } else if (queue_.size() > options_.max_queued) {
    if (options_.overflow == overflow_policy::drop_oldest) {
      queue_.pop_front();
      ++dropped_;
    } else {
      queue_.clear();
      graphql_error e{"Subscription ended: the subscriber fell more than " + std::to_string(options_.max_queued) +
                          " results behind.",
                      {},
                      {},
                      sluice::value(sluice::object{{"code", "SUBSCRIPTION_OVERFLOW"}})};
      queue_.push_back(shared_result{to_json(response{{}, {std::move(e)}}), true});
      ended_ = true;
      keep = false;
    }
  }
  hand_over();
  return keep;
}

void group_subscriber::finish() {
  ended_ = true;
  if (sink_) {
    std::exchange(sink_, nullptr)(nullptr);
    return;
  }
  hand_over();
}

void group_subscriber::stop() noexcept {
  ended_ = true;
  queue_.clear();
  sink_ = nullptr;
  if (auto g = std::move(group_)) g->remove(*this);
  try {
    hand_over();  // a pending next() ends
  } catch (...) {  // posting failed (out of memory): the consumer is destroyed with its handler
  }
}

// ---- subscriber_set ----

void subscriber_set::attach(group_subscriber& s) {
  s.index = subscribers_.size();
  subscribers_.push_back(&s);
}

bool subscriber_set::detach(group_subscriber& s) noexcept {
  if (s.index >= subscribers_.size() || subscribers_[s.index] != &s) return false;
  subscribers_[s.index] = subscribers_.back();
  subscribers_[s.index]->index = s.index;
  subscribers_.pop_back();
  s.index = std::numeric_limits<std::size_t>::max();
  return true;
}

// ---- subscription_group ----

subscription_group::subscription_group(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared,
                                       const language::operation_definition& op, sluice::value variables,
                                       context ctx, operation_runner::source_info source,
                                       std::shared_ptr<std::uint64_t> executions)
    : ex_(ex),
      prepared_(std::move(prepared)),
      op_(op),
      variables_(std::move(variables)),
      ctx_(std::move(ctx)),
      source_(std::move(source)),
      executions_(std::move(executions)) {
  auto it = ex_.filters_.find(source_.def);
  if (it != ex_.filters_.end()) filter_ = it->second;
}

subscription_group::~subscription_group() = default;

void subscription_group::start(const boost::asio::any_io_executor& loop) {
  boost::asio::co_spawn(loop, pump(shared_from_this()), boost::asio::detached);
}

void subscription_group::add(group_subscriber& s) { attach(s); }

void subscription_group::remove(group_subscriber& s) noexcept {
  if (detach(s) && subscribers_.empty()) stop();
}

void subscription_group::stop() noexcept {
  if (stopped_) return;
  stopped_ = true;
  source_.stream.stop();  // the source goes now (a generator's frame is destroyed); the pump then ends
  if (on_stop) std::exchange(on_stop, nullptr)();
}

void subscription_group::end_all() noexcept {
  auto subs = std::move(subscribers_);
  subscribers_.clear();
  for (auto* s : subs) {
    s->index = std::numeric_limits<std::size_t>::max();
    s->finish();
  }
  stop();
}

void subscription_group::deliver(const shared_result& r, std::uint64_t seq) {
  std::vector<group_subscriber*> overflowed;
  for (auto* s : subscribers_)
    if ((seq == 0 || s->selected_for == seq) && !s->push(r)) overflowed.push_back(s);
  for (auto* s : overflowed) remove(*s);
}

bool subscription_group::passes_filter(group_subscriber& s, const sluice::value& event) const {
  const path_node path{nullptr, source_.key, 0};
  field_info info{*ex_.schema_, *source_.type, *source_.def, source_.nodes, op_, variables_, &path};
  try {
    return (*filter_)(resolver_params{event, source_.args, s.ctx(), info});
  } catch (const std::exception&) {
    return false;  // a filter that fails delivers nothing to that subscriber
  }
}

std::shared_ptr<const std::string> subscription_group::error_result(const std::string& message,
                                                                    const sluice::value& extensions,
                                                                    bool with_data) const {
  response r;
  graphql_error e{message, {}, {path_segment(source_.key)}, extensions};
  for (const auto* n : source_.nodes) e.locations.push_back(n->loc.to_source_location());
  r.errors.push_back(std::move(e));
  if (with_data) {
    if (source_.def->field_type->is_non_null()) {
      r.data = "null";
    } else {
      r.data = "{";
      json::write_string(r.data, source_.key);
      r.data += ":null}";
    }
  }
  return to_json(r);
}

boost::asio::awaitable<std::shared_ptr<const std::string>> subscription_group::execute_event(
    const sluice::value& event, bool& denied) {
  ++*executions_;
  context ctx = ctx_;
  operation_runner runner(ex_, *prepared_, op_, variables_, ctx, event);
  std::vector<graphql_error> errors;
  if (!runner.prepare_root(errors)) co_return to_json(response{"null", std::move(errors)});
  for (std::size_t i = 0; i < runner.root_field_count(); ++i) runner.execute_root_field(i);
  if (runner.has_pending()) co_await runner.drain();
  denied = runner.root_denied();
  co_return to_json(runner.finish());
}

// `self` keeps the group alive while the loop runs.
boost::asio::awaitable<void> subscription_group::pump(std::shared_ptr<subscription_group> self) {
  (void)self;
  for (;;) {
    std::optional<stream_item> item;
    std::string failure;
    try {
      item = co_await source_.stream.next();
    } catch (const std::exception& e) {
      failure = e.what();
      if (failure.empty()) failure = "Subscription source failed.";
    } catch (...) {
      failure = "Subscription source failed.";
    }
    if (stopped_) co_return;
    if (!failure.empty()) {
      // An exception from the source ends the stream with an error result (no data: no event was executed).
      deliver(shared_result{error_result(failure, {}, false), true}, 0);
      end_all();
      co_return;
    }
    if (!item) {
      end_all();
      co_return;
    }
    if (const auto* yielded = std::get_if<field_error>(&*item)) {
      // An error yielded as a value: a result with errors, and the subscription goes on.
      deliver(shared_result{error_result(yielded->what(), yielded->extensions(), true), false}, 0);
      continue;
    }
    const sluice::value& event = std::get<sluice::value>(*item);
    const std::uint64_t seq = ++seq_;
    std::size_t selected = 0;
    for (auto* s : subscribers_) {
      if (filter_ == nullptr || passes_filter(*s, event)) {
        s->selected_for = seq;
        ++selected;
      }
    }
    if (selected == 0) continue;
    bool denied = false;
    std::shared_ptr<const std::string> json;
    std::string internal;
    try {
      json = co_await execute_event(event, denied);
    } catch (const std::exception& e) {  // not a field error (those are in the result): out of memory, say
      internal = e.what();
    }
    if (stopped_) co_return;
    if (!internal.empty() || !json) {
      deliver(shared_result{error_result("Internal error while executing an event: " + internal, {}, false), true},
              0);
      end_all();
      co_return;
    }
    // A denied event ends the subscription with the error (for every subscriber: they share the scope).
    deliver(shared_result{std::move(json), denied}, seq);
    if (denied) {
      end_all();
      co_return;
    }
  }
}

}  // namespace sluice::execution::detail
