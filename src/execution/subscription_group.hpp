// A subscription group: one source event stream, executed once per event, results shared by its subscribers.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <boost/container/devector.hpp>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "operation_runner.hpp"
#include "sluice/execution/subscription.hpp"

namespace sluice::execution::detail {

class group_subscriber;

// What a subscriber belongs to: a subscription group, or a live query cohort.
class subscriber_set {
 public:
  virtual ~subscriber_set() = default;
  // The subscriber leaves (the last one leaving stops the set).
  virtual void remove(group_subscriber& s) noexcept = 0;

 protected:
  void attach(group_subscriber& s);
  // Takes `s` out of the list (in constant time); false when it was not in it.
  bool detach(group_subscriber& s) noexcept;

  std::vector<group_subscriber*> subscribers_;
};

// One subscriber of a group: its own context (for filters), its bounded queue, its pending next().
class group_subscriber final : public response_stream::subscriber {
 public:
  // `conflate`: a result pushed while another is still queued replaces it (live queries: only the newest counts).
  group_subscriber(std::shared_ptr<subscriber_set> group, context ctx, subscription_options options,
                   bool conflate = false);
  ~group_subscriber() override;
  group_subscriber(const group_subscriber&) = delete;
  group_subscriber& operator=(const group_subscriber&) = delete;

  void next(response_stream::next_handler done) override;
  void stop() noexcept override;
  bool push_to(response_stream::result_sink sink) override;
  [[nodiscard]] std::uint64_t dropped() const override { return dropped_; }

  // From the group. push() returns false when the subscriber overflowed and ended (the group then drops it).
  [[nodiscard]] bool push(const shared_result& r);
  void finish();  // no results after the queued ones
  [[nodiscard]] context& ctx() { return ctx_; }

  // Results queued and not yet taken by next().
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }

  std::size_t index = std::numeric_limits<std::size_t>::max();  // position in the group's list
  std::uint64_t selected_for = 0;                                // the event sequence number it passed filters for
  std::uint64_t revision = 0;  // live queries with patches: the revision this subscriber was sent last

 private:
  void hand_over();
  void take(const shared_result& r);  // to the sink

  std::shared_ptr<subscriber_set> group_;
  context ctx_;
  subscription_options options_;
  boost::container::devector<shared_result> queue_;  // allocates nothing while empty (std::deque takes ~600 bytes)
  response_stream::next_handler waiting_;
  response_stream::result_sink sink_;  // results go straight there, when the consumer asked (push_to)
  bool ended_ = false;
  bool conflate_ = false;
  std::uint64_t dropped_ = 0;
};

class subscription_group final : public subscriber_set, public std::enable_shared_from_this<subscription_group> {
 public:
  subscription_group(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared,
                     const language::operation_definition& op, sluice::value variables, context ctx,
                     operation_runner::source_info source, std::shared_ptr<std::uint64_t> executions);
  ~subscription_group() override;
  subscription_group(const subscription_group&) = delete;
  subscription_group& operator=(const subscription_group&) = delete;

  // Spawns the loop that pulls events from the source, on `loop`.
  void start(const boost::asio::any_io_executor& loop);
  void add(group_subscriber& s);
  // The last subscriber leaving stops the group (and with it the source).
  void remove(group_subscriber& s) noexcept override;
  [[nodiscard]] bool stopped() const { return stopped_; }

  std::function<void()> on_stop;  // called once when the group stops (the hub forgets it)

 private:
  boost::asio::awaitable<void> pump(std::shared_ptr<subscription_group> self);
  // MapSourceToResponseEvent (spec 6.2.3.2): executes the operation with the event as the root value.
  boost::asio::awaitable<std::shared_ptr<const std::string>> execute_event(const sluice::value& event, bool& denied);
  // The result for an error: located at the subscription field, with data (null propagated) or without.
  [[nodiscard]] std::shared_ptr<const std::string> error_result(const std::string& message,
                                                                const sluice::value& extensions,
                                                                bool with_data) const;
  [[nodiscard]] bool passes_filter(group_subscriber& s, const sluice::value& event) const;
  // Delivers to every current subscriber selected for event `seq` (0: to all).
  void deliver(const shared_result& r, std::uint64_t seq);
  void end_all() noexcept;
  void stop() noexcept;

  const executor::impl& ex_;
  std::shared_ptr<const prepared_document> prepared_;
  const language::operation_definition& op_;
  sluice::value variables_;
  context ctx_;
  operation_runner::source_info source_;
  const filter_fn* filter_ = nullptr;
  std::shared_ptr<std::uint64_t> executions_;
  std::uint64_t seq_ = 0;
  bool stopped_ = false;
};

}  // namespace sluice::execution::detail
