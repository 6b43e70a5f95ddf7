// The chat example, run in-process: two users subscribe to a channel, one posts, the other receives.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>
#include <utility>
#include <vector>

#include "chat.hpp"
#include "sluice/pubsub/memory_broker.hpp"

using namespace sluice::execution;
namespace asio = boost::asio;

namespace {

context user(const char* name) {
  context c;
  c.user = name;
  c.scope = "chat";  // results do not depend on who is asking (the filter does that): share one execution
  return c;
}

// Prints each result of a subscription as it arrives.
asio::awaitable<void> print(std::string who, response_stream& stream) {
  while (auto result = co_await stream.next()) std::cout << who << " <- " << *result->json << "\n";
  std::cout << who << ": subscription complete\n";
}

asio::awaitable<void> script(const executor& ex, subscription_hub& hub) {
  auto loop = co_await asio::this_coro::executor;
  const std::string messages = "subscription { messages(channel: \"general\") { sender text } }";
  std::vector<std::pair<std::string, response_stream>> streams;
  for (auto [who, query] : {std::pair{"alice", messages}, {"bob", messages},
                            {"carol", std::string("subscription { countdown(from: 2) }")}}) {
    // Named rather than braced temporaries inside the co_await: GCC 12 can destroy those twice.
    request req{query, "", {}, {}};
    context ctx = user(who);
    auto r = co_await hub.subscribe(std::move(req), std::move(ctx));
    if (auto* refused = std::get_if<response>(&r)) {
      std::cout << who << " was refused: " << refused->to_json() << "\n";
      co_return;
    }
    streams.emplace_back(who, std::move(std::get<response_stream>(r)));
  }
  for (auto& [who, stream] : streams) asio::co_spawn(loop, print(who, stream), asio::detached);

  request post{"mutation { post(channel: \"general\", text: \"hi bob\") { id } }", "", {}, {}};
  auto posted = co_await ex.execute(std::move(post), user("alice"));
  std::cout << "alice posted: " << posted.to_json() << "\n";
  co_await sleep(std::chrono::milliseconds(50));  // the countdown ends by itself; the chat goes on until stopped
  for (auto& entry : streams) entry.second.stop();
  co_await sleep(std::chrono::milliseconds(1));
}

}  // namespace

int main() {
  asio::io_context io;  // first: destroyed last
  sluice::pubsub::memory_broker broker;
  auto ex = chat::make_executor(broker);
  subscription_hub hub(*ex);
  int status = 0;
  asio::co_spawn(io, script(*ex, hub), [&](std::exception_ptr e) {
    if (!e) return;
    status = 1;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex_) {
      std::cerr << "error: " << ex_.what() << "\n";
    }
  });
  io.run();
  return status;
}
