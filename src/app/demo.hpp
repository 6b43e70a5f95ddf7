// The demo application of `sluice serve --demo`: its schema and resolvers.
#pragma once

#include <memory>

#include "sluice/execution/executor.hpp"
#include "sluice/pubsub/broker.hpp"
#include "sluice/server/server.hpp"

namespace sluice::app {

// The demo schema (hello, time, post, countdown, messages, failing); the broker must outlive the executor.
[[nodiscard]] std::unique_ptr<execution::executor> make_demo_executor(pubsub::broker& broker,
                                                                      execution::executor_options options = {});

// The demo's authentication: a WebSocket connection is accepted when its connection_init payload has
// {"token": TOKEN} or its upgrade carries the cookie sluice_token=TOKEN (cookies as the server's rules allow);
// its user is then "demo".
[[nodiscard]] std::function<server::connect_result(const server::connect_request&)> demo_authentication(
    std::string token);
// The same for HTTP requests to the GraphQL path: `Authorization: Bearer <token>` or the sluice_token cookie.
[[nodiscard]] std::function<server::connect_result(const server::http_request_info&)> demo_http_authentication(
    std::string token);

}  // namespace sluice::app
