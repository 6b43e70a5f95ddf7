// A live query cohort: equal live subscriptions, executed once per refresh, sent only what changed.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "operation_runner.hpp"
#include "subscription_group.hpp"

namespace sluice::execution::detail {

// How one live operation refreshes.
struct live_settings {
  std::chrono::milliseconds interval{0};  // 0: invalidations only
  std::chrono::milliseconds debounce{0};
  bool patch = false;  // JSON Patch deltas after the first full result
};

// Whether an operation ready to run is a live query (`query @live`, or a subscription to a field that mirrors a
// Query field), and its settings. nullopt when it is not live, or when its @live arguments are wrong (then with
// the reason in `errors`).
[[nodiscard]] std::optional<live_settings> live_settings_of(const executor::impl& ex, const operation_runner& runner,
                                                            std::vector<graphql_error>& errors);

class live_cohort final : public subscriber_set, public std::enable_shared_from_this<live_cohort> {
 public:
  live_cohort(const executor::impl& ex, std::shared_ptr<const prepared_document> prepared,
              const language::operation_definition& op, sluice::value variables, context ctx, live_settings settings,
              std::shared_ptr<std::uint64_t> executions, const boost::asio::any_io_executor& loop);
  ~live_cohort() override;
  live_cohort(const live_cohort&) = delete;
  live_cohort& operator=(const live_cohort&) = delete;

  // Spawns the refresh loop: the first execution at once.
  void start();
  // A new subscriber gets the cohort's current result at once (when there is one already).
  void add(group_subscriber& s);
  void remove(group_subscriber& s) noexcept override;
  [[nodiscard]] bool stopped() const { return stopped_; }
  // Something the last execution read changed: refresh as soon as the debounce allows.
  void invalidate();

  std::function<void()> on_stop;  // called once when the cohort stops (the hub forgets it)

 private:
  struct key_watch;

  boost::asio::awaitable<void> pump(std::shared_ptr<live_cohort> self);
  boost::asio::awaitable<void> refresh();
  static boost::asio::awaitable<void> follow(std::weak_ptr<live_cohort> cohort, std::shared_ptr<key_watch> w);
  // Watches exactly these keys (sorted, unique) from now on.
  void watch(std::vector<std::string> keys);
  // Sends a new result to every subscriber, unless it equals the previous one.
  void publish(const response& r);
  // The result for a subscriber: the full result, or with patches an envelope with its revision.
  [[nodiscard]] shared_result result_for(group_subscriber& s);
  [[nodiscard]] std::chrono::steady_clock::time_point next_due() const;
  void stop() noexcept;

  const executor::impl& ex_;
  std::shared_ptr<const prepared_document> prepared_;
  const language::operation_definition& op_;
  sluice::value variables_;
  context ctx_;
  live_settings settings_;
  std::shared_ptr<std::uint64_t> executions_;
  boost::asio::any_io_executor loop_;
  boost::asio::steady_timer timer_;
  std::map<std::string, std::shared_ptr<key_watch>, std::less<>> watches_;
  std::chrono::steady_clock::time_point last_refresh_{};
  bool invalidated_ = false;
  bool stopped_ = false;

  // The current result: the whole response as JSON, and with patches its parts.
  std::shared_ptr<const std::string> current_;
  bool patchable_ = false;  // the current result has data to patch
  sluice::value data_;      // the current data (patches only)
  std::string errors_json_; // the current errors array, or empty (patches only)
  std::string patch_json_;  // the patch from the previous result to the current one (patches only)
  std::shared_ptr<const std::string> full_envelope_;  // {"data":...,"revision":1} for this result (patches only)
};

}  // namespace sluice::execution::detail
