// A pending `next()` of a stream: completes once, always posted to the consumer's executor (never inline).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <utility>

namespace sluice::execution {

template <typename Item>
class pending_next {
 public:
  using signature = void(std::exception_ptr, std::optional<Item>);

  pending_next() = default;
  // Takes a completion handler of the right signature, and its associated executor.
  template <typename Handler>
  static pending_next from(Handler h) {
    pending_next p;
    p.ex_ = boost::asio::any_io_executor(boost::asio::get_associated_executor(h));
    p.h_ = std::make_unique<holder<Handler>>(std::move(h));
    return p;
  }

  [[nodiscard]] explicit operator bool() const { return static_cast<bool>(h_); }
  [[nodiscard]] const boost::asio::any_io_executor& executor() const { return ex_; }

  // Completes with an item, with the end (nullopt), or with an error. Only once.
  void complete(std::exception_ptr error, std::optional<Item> item) {
    auto h = std::exchange(h_, {});
    boost::asio::post(ex_, [h = std::move(h), error, item = std::move(item)]() mutable {
      h->call(error, std::move(item));
    });
  }
  void end() { complete(nullptr, std::nullopt); }

 private:
  // The handler, type-erased (it runs on its own executor: complete() posts there).
  struct handler_base {
    virtual ~handler_base() = default;
    virtual void call(std::exception_ptr error, std::optional<Item> item) = 0;
  };
  template <typename Handler>
  struct holder final : handler_base {
    explicit holder(Handler h) : handler(std::move(h)) {}
    void call(std::exception_ptr error, std::optional<Item> item) override {
      std::move(handler)(error, std::move(item));
    }
    Handler handler;
  };

  std::unique_ptr<handler_base> h_;
  boost::asio::any_io_executor ex_;
};

// Starts a next() on a (possibly absent) stream implementation: `impl->next(pending_next<Item>)`, or the end.
template <typename Item, typename Token, typename Impl>
auto initiate_next(Token&& token, std::shared_ptr<Impl> impl) {
  return boost::asio::async_initiate<Token, typename pending_next<Item>::signature>(
      [](auto handler, std::shared_ptr<Impl> s) {
        auto p = pending_next<Item>::from(std::move(handler));
        if (s)
          s->next(std::move(p));
        else
          p.end();
      },
      token, std::move(impl));
}

}  // namespace sluice::execution
