// Single-connection SSE across the nodes of a cluster: a reservation lives on the node that took its PUT (its
// home, named in the token); a stream, an operation or a DELETE for it that reaches another node is relayed to
// the home through the broker every node shares, and the reservation's events go to whichever node holds its
// stream. Works over any distributed broker (Redis, PostgreSQL).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "sluice/pubsub/broker.hpp"
#include "sluice/transport/sse/reservation_store.hpp"

namespace sluice::transport::sse {

struct cluster_reservation_options {
  std::string node;                       // this node's name in tokens and topics; empty: a random one
  memory_reservation_options local;       // limits of the reservations this node is home to
  std::chrono::milliseconds request_timeout{2'000};  // a home node that does not answer by then: "not found"
};

// Runs its own event loop (one thread) for the broker's messages. Topics: "sluice:sse:<node>", one per node.
// Tokens: "<node>~<random UUID>". The broker must outlive the store. If a home node dies, its reservations go
// with it (their clients reserve again, as after any lost stream).
[[nodiscard]] std::shared_ptr<reservation_store> make_cluster_reservation_store(pubsub::broker& broker,
                                                                              cluster_reservation_options o = {});

}  // namespace sluice::transport::sse
