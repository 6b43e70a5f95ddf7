// redis_url: reads redis://[[user]:password@]host[:port][/db] into what the broker's connections need.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::pubsub::detail {

struct redis_endpoint {
  std::string host;  // a name or an address (IPv6 without brackets)
  std::uint16_t port = 6379;
  std::string user;      // Redis 6 ACL user; empty: AUTH with the password alone
  std::string password;  // sent with AUTH when has_password
  bool has_password = false;
  int db = 0;  // SELECTed on the publisher connection when not 0

  // host:port (never the password), for log lines and error messages.
  [[nodiscard]] std::string address() const;
};

// Throws std::invalid_argument saying what is wrong (the password is never part of the message).
[[nodiscard]] redis_endpoint parse_redis_url(std::string_view url);

}  // namespace sluice::pubsub::detail
