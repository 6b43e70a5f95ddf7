// The demo application of `sluice serve --demo`: its schema and resolvers.
#pragma once

#include <memory>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/broker.hpp"

namespace sluice::app {

// The demo schema (hello, time, post, countdown, messages, failing); the broker must outlive the executor.
[[nodiscard]] std::unique_ptr<execution::executor> make_demo_executor(pubsub::broker& broker,
                                                                      execution::executor_options options = {});

}  // namespace sluice::app
