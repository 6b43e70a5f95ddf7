// Test helpers for the WebSocket protocol: actions rendered as short readable lines, and a driver that feeds events.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/json.hpp"
#include "sluice/transport/ws/protocol.hpp"

namespace sluice::transport::ws::testing {

inline std::string_view timer_name(timer_kind k) { return k == timer_kind::init ? "init" : "keep_alive"; }

// One action as a line: `send {"type":"pong"}`, `shared {"id":"1","type":"next","payload":{...}}` (a send_shared,
// head + payload + tail), `close 4409 Subscriber for 1 already exists`, `timer init 3000ms`, `cancel init`,
// `authenticate {"token":"t"}`, `start 1 {hello}` (then ` op=Name`, ` variables={..}`, ` extensions={..}` when
// set), `stop 1`.
inline std::string render(const action_t& a) {
  struct visitor {
    std::string operator()(const action::send& s) const { return "send " + s.text; }
    std::string operator()(const action::send_shared& s) const {
      return "shared " + s.head + (s.payload ? *s.payload : std::string("<null>")) + s.tail;
    }
    std::string operator()(const action::close& c) const {
      return "close " + std::to_string(c.code) + " " + c.reason;
    }
    std::string operator()(const action::start_timer& t) const {
      return "timer " + std::string(timer_name(t.kind)) + " " + std::to_string(t.after.count()) + "ms";
    }
    std::string operator()(const action::cancel_timer& t) const { return "cancel " + std::string(timer_name(t.kind)); }
    std::string operator()(const action::authenticate& a) const { return "authenticate " + json::to_string(a.payload); }
    std::string operator()(const action::start& s) const {
      std::string out = "start " + s.id + " " + s.request.query;
      if (!s.request.operation_name.empty()) out += " op=" + s.request.operation_name;
      if (!s.request.variables.is_null()) out += " variables=" + json::to_string(s.request.variables);
      if (!s.request.extensions.is_null()) out += " extensions=" + json::to_string(s.request.extensions);
      return out;
    }
    std::string operator()(const action::stop& s) const { return "stop " + s.id; }
  };
  return std::visit(visitor{}, a);
}

inline std::vector<std::string> render(const actions& all) {
  std::vector<std::string> out;
  out.reserve(all.size());
  for (const auto& a : all) out.push_back(render(a));
  return out;
}

using lines = std::vector<std::string>;

// A protocol and the events fed to it; each call returns the actions that event produced, rendered.
class driver {
 public:
  explicit driver(subprotocol p, protocol_options options = {}) : p_(p, options) {}

  protocol& machine() { return p_; }

  lines opened() { return run([&](actions& out) { p_.opened(out); }); }
  lines text(std::string_view frame) { return run([&](actions& out) { p_.text_frame(frame, out); }); }
  lines binary() { return run([&](actions& out) { p_.binary_frame(out); }); }
  lines timer(timer_kind k) { return run([&](actions& out) { p_.timer_fired(k, out); }); }
  lines accept(const sluice::value& payload = {}) {
    return run([&](actions& out) { p_.connect_accepted(payload, out); });
  }
  lines refuse(const sluice::value& payload = {}) {
    return run([&](actions& out) { p_.connect_refused(payload, out); });
  }
  lines response(std::string_view id, const execution::response& r) {
    return run([&](actions& out) { p_.operation_response(id, r, out); });
  }
  lines result(std::string_view id, std::string json, bool final = false) {
    execution::shared_result r{std::make_shared<const std::string>(std::move(json)), final};
    return run([&](actions& out) { p_.operation_result(id, r, out); });
  }
  lines complete(std::string_view id) { return run([&](actions& out) { p_.operation_complete(id, out); }); }
  lines closed() { return run([&](actions& out) { p_.closed(out); }); }

  // The raw actions of the last event.
  const actions& last() const { return last_; }

 private:
  template <typename F>
  lines run(F&& f) {
    last_.clear();
    f(last_);
    return render(last_);
  }

  protocol p_;
  actions last_;
};

// A response with data (JSON text) and no errors.
inline execution::response data_response(std::string data) {
  execution::response r;
  r.data = std::move(data);
  return r;
}

// A response refused before execution: no data, one error.
inline execution::response error_response(std::string message, std::uint32_t line = 0, std::uint32_t column = 0) {
  execution::response r;
  graphql_error e;
  e.message = std::move(message);
  if (line) e.locations.push_back({line, column});
  r.errors.push_back(std::move(e));
  return r;
}

}  // namespace sluice::transport::ws::testing
