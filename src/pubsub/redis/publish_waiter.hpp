// publish_waiter: a publisher suspended until Redis acknowledges its PUBLISH, resumed on its own executor.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

namespace sluice::pubsub::detail {

// Completed once, from the broker's I/O thread; it never resumes the publisher inline there.
class publish_waiter {
 public:
  publish_waiter() = default;
  publish_waiter(const publish_waiter&) = delete;
  publish_waiter& operator=(const publish_waiter&) = delete;
  virtual ~publish_waiter() = default;

  // Acknowledged (error null) or failed: posts the completion to the publisher's executor.
  virtual void complete(std::exception_ptr error) = 0;
};

// The completion handler of an asynchronous operation with signature void(std::exception_ptr) (for
// use_awaitable: the suspended coroutine). Keeps its executor's work counted until completion, so that the
// publisher's loop does not run out of work while Redis has not answered.
template <typename Handler>
class publish_waiter_for final : public publish_waiter {
 public:
  explicit publish_waiter_for(Handler h)
      : handler_(std::move(h)), work_(boost::asio::make_work_guard(handler_)) {}

  void complete(std::exception_ptr error) override {
    auto executor = work_.get_executor();
    boost::asio::post(executor, [h = std::move(handler_), error]() mutable { std::move(h)(error); });
    work_.reset();
  }

 private:
  Handler handler_;
  boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler>> work_;
};

}  // namespace sluice::pubsub::detail
