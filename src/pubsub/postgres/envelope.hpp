// envelope: the NOTIFY payload text that carries one event between nodes, {"topic":"...","payload":<JSON>}.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/value.hpp"

namespace sluice::pubsub::detail::pg {

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (NOTIFY_PAYLOAD_MAX_LENGTH).
inline constexpr std::size_t notify_payload_limit = 8000;

// The envelope's exact size in bytes, without building it.
[[nodiscard]] std::size_t envelope_size(std::string_view topic, const sluice::value& payload);

// The envelope text of one event. Throws std::runtime_error (naming the topic, the size and the limit) when
// it would reach notify_payload_limit.
[[nodiscard]] std::string make_envelope(std::string_view topic, const sluice::value& payload);

struct envelope {
  std::string topic;
  sluice::value payload;  // null when the envelope has no "payload" member
};

// Reads a received notification's payload: nullopt unless it is a JSON object with a string "topic".
[[nodiscard]] std::optional<envelope> parse_envelope(std::string_view text);

}  // namespace sluice::pubsub::detail::pg
