// Test helpers for subscriptions: consume a subscribe() result on an io_context, with bounded waits.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "sluice/execution/executor.hpp"
#include "sluice/schema/builder.hpp"

namespace sluice::execution::test {

inline std::shared_ptr<const schema::schema> make_schema(const std::string& sdl) {
  auto built = schema::build_schema(sdl);
  EXPECT_TRUE(built.ok()) << (built.errors.empty() ? "" : built.errors.front().message);
  return built.built;
}

struct collected {
  std::string response;              // set when subscribe() gave a response instead of a stream
  std::vector<std::string> results;  // every result of the stream, as JSON
  bool ended = false;                // the stream ended (next() gave nullopt)
  bool last_final = false;           // the last result was marked final
};

// One subscription: subscribes, then reads results until the end (the stream stays reachable to stop it).
struct subscription_run {
  response_stream stream;
  collected out;

  template <typename Subscriber>
  boost::asio::awaitable<void> consume(Subscriber& s, request req, context ctx, bool read_now = true) {
    subscribe_result r = co_await s.subscribe(std::move(req), std::move(ctx));
    if (auto* resp = std::get_if<response>(&r)) {
      out.response = resp->to_json();
      co_return;
    }
    stream = std::move(std::get<response_stream>(r));
    if (read_now) co_await read();
  }

  boost::asio::awaitable<void> read() {
    while (auto result = co_await stream.next()) {
      out.results.push_back(*result->json);
      out.last_final = result->final;
      shared.push_back(result->json);
    }
    out.ended = true;
  }

  std::vector<std::shared_ptr<const std::string>> shared;  // the results themselves (to see that they are shared)
};

// Subscribes and collects everything the stream gives (at most 5 s).
inline collected collect(const executor& ex, request req, context ctx = {}) {
  boost::asio::io_context io;
  subscription_run run;
  boost::asio::co_spawn(io, run.consume(ex, std::move(req), std::move(ctx)), boost::asio::detached);
  io.run_for(std::chrono::seconds(5));
  return run.out;
}

}  // namespace sluice::execution::test
