// open_registry: picks the database a registry URL names (sqlite:PATH, postgres://, postgresql://) and opens a store.
#include "sluice/registry/registry_store.hpp"

#include <unistd.h>

#include <climits>
#include <stdexcept>
#include <string_view>

#include "registry/database.hpp"
#include "registry/store.hpp"

namespace sluice::registry {
namespace {

// "<hostname>-<pid>"
std::string default_node_name() {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "node-" + std::to_string(::getpid());
  return std::string(host) + "-" + std::to_string(::getpid());
}

}  // namespace

std::unique_ptr<registry_store> open_registry(registry_options options) {
  if (options.heartbeat <= std::chrono::milliseconds::zero() || options.expiry <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("registry: heartbeat and expiry must be positive");
  }
  const std::string_view url = options.url;
  std::unique_ptr<detail::database> db;
  if (url.starts_with("sqlite:")) {
    const std::string path(url.substr(std::string_view("sqlite:").size()));
    if (path.empty()) throw std::invalid_argument("registry URL sqlite: names no file (sqlite:PATH)");
    db = detail::open_sqlite(path);
  } else if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    db = detail::open_postgres(options.url);
  } else {
    // Only the scheme is quoted: the rest may hold a password.
    const auto colon = url.find(':');
    throw std::invalid_argument("registry URL must be sqlite:PATH, postgres://... or postgresql://..., not " +
                                (colon == std::string_view::npos ? std::string("\"") + std::string(url) + "\""
                                                                 : std::string(url.substr(0, colon + 1)) + "..."));
  }
  if (options.node.empty()) options.node = default_node_name();
  return std::make_unique<detail::store>(std::move(db), std::move(options));
}

}  // namespace sluice::registry
