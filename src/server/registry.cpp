// The subscription registry: entries by (user, operation name), and notify's re-execution on each one's loop.
#include "registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "sluice/core/json.hpp"

namespace sluice::server {

registration& registration::operator=(registration&& o) noexcept {
  if (this != &o) {
    if (registry_) registry_->remove(id_);
    registry_ = std::move(o.registry_);
    id_ = o.id_;
  }
  return *this;
}

registration::~registration() {
  if (registry_) registry_->remove(id_);
}

std::string subscription_registry::key_of(const sluice::value& user, std::string_view operation_name) {
  std::string key = json::to_string(user);
  key += '\n';
  key += operation_name;
  return key;
}

registration subscription_registry::add(const execution::request& req, const execution::context& ctx,
                                        boost::asio::any_io_executor loop, std::function<void(std::string)> send) {
  if (ctx.user.is_null()) return {};
  std::string name = req.operation_name;
  if (name.empty()) {
    const auto selected = ex_.select_operation(req);
    if (selected.operation == nullptr || selected.operation->op_name.empty()) return {};
    name = std::string(selected.operation->op_name.text);
  }
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  std::string key = key_of(ctx.user, name);
  by_key_.emplace(key, id);
  entries_.emplace(id, entry{std::move(key), req, ctx, std::move(loop),
                             std::make_shared<std::function<void(std::string)>>(std::move(send))});
  return registration(shared_from_this(), id);
}

void subscription_registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto [first, last] = by_key_.equal_range(it->second.key);
  for (auto k = first; k != last; ++k) {
    if (k->second == id) {
      by_key_.erase(k);
      break;
    }
  }
  entries_.erase(it);
}

std::size_t subscription_registry::notify(const sluice::value& user, const std::string& operation_name,
                                          const sluice::value& root) {
  std::vector<entry> matches;
  {
    std::lock_guard lock(mutex_);
    auto [first, last] = by_key_.equal_range(key_of(user, operation_name));
    for (auto k = first; k != last; ++k) matches.push_back(entries_.at(k->second));
  }
  for (auto& m : matches) {
    // Executed on the subscription's own loop, where its resolvers and its sending live.
    auto run = [&ex = ex_, m, root]() -> boost::asio::awaitable<void> {
      try {
        auto r = co_await ex.execute(m.request, m.context, root);
        (*m.send)(r.to_json());
      } catch (const std::exception& e) {
        spdlog::warn("notify: executing operation {} failed: {}", m.request.operation_name, e.what());
      }
    };
    boost::asio::co_spawn(m.loop, std::move(run), boost::asio::detached);
  }
  return matches.size();
}

std::size_t subscription_registry::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace sluice::server
