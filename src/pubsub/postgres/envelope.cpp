// envelope: building (size limit checked first) and reading the NOTIFY payload that carries one event.
#include "envelope.hpp"

#include <stdexcept>

#include "sluice/core/json.hpp"

namespace sluice::pubsub::detail::pg {
namespace {

constexpr std::string_view topic_prefix = "{\"topic\":";
constexpr std::string_view payload_prefix = ",\"payload\":";
constexpr std::string_view suffix = "}";

}  // namespace

std::size_t envelope_size(std::string_view topic, const sluice::value& payload) {
  return topic_prefix.size() + json::measure_string(topic) + payload_prefix.size() + json::measure(payload) +
         suffix.size();
}

std::string make_envelope(std::string_view topic, const sluice::value& payload) {
  // Measured first: an oversized event is refused without building its text.
  const std::size_t size = envelope_size(topic, payload);
  if (size >= notify_payload_limit) {
    std::string message = "postgres: the event on topic ";
    json::write_string(message, topic.size() > 200 ? topic.substr(0, 200) : topic);
    message += " is " + std::to_string(size) +
               " bytes (topic and payload JSON together); NOTIFY payloads must be under " +
               std::to_string(notify_payload_limit) + " bytes";
    throw std::runtime_error(message);
  }
  std::string out;
  out.reserve(size);
  out += topic_prefix;
  json::write_string(out, topic);
  out += payload_prefix;
  json::write(out, payload);
  out += suffix;
  return out;
}

std::optional<envelope> parse_envelope(std::string_view text) {
  // An envelope is under 8000 bytes, so it cannot nest deeper than this: whatever a node could publish, every
  // node can read.
  json::parse_options options;
  options.max_depth = notify_payload_limit / 2;
  auto parsed = json::parse(text, nullptr, options);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  auto* topic = parsed->find("topic");
  if (!topic || !topic->is_string()) return std::nullopt;
  envelope out;
  out.topic = std::move(topic->as_string());
  if (auto* payload = parsed->find("payload")) out.payload = std::move(*payload);
  return out;
}

}  // namespace sluice::pubsub::detail::pg
