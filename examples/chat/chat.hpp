// The chat example's engine: a schema, its resolvers and a broker, with no network (examples/chat/README.md).
#pragma once

#include <memory>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/broker.hpp"

namespace chat {

// The chat's executor: `post` publishes to the channel's topic; `messages` subscribes to it (never delivering a
// user's own messages back to them); `countdown` is a generator. The broker must outlive the executor.
[[nodiscard]] std::unique_ptr<sluice::execution::executor> make_executor(sluice::pubsub::broker& broker);

}  // namespace chat
