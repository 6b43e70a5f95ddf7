// libFuzzer target: the WebSocket protocol state machine (both subprotocols) fed frames interleaved with timer,
// authentication and operation-result events; it must never crash and must keep its invariants.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sluice/core/json.hpp"
#include "sluice/transport/ws/protocol.hpp"
#include "fuzz_check.hpp"

namespace ws = sluice::transport::ws;

namespace {

// The fuzzer's bytes, consumed from the front.
struct input {
  const std::uint8_t* p;
  std::size_t n;
  [[nodiscard]] bool empty() const { return n == 0; }
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string_view take(std::size_t k) {
    k = k < n ? k : n;
    std::string_view s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

constexpr std::string_view ids[] = {"1", "2", "3", "4", "5", "a\"\\\xC3\xA9", ""};

std::string quoted(std::string_view s) {
  std::string out;
  sluice::json::write_string(out, s);
  return out;
}

// Operation payloads, valid and not.
constexpr std::string_view payloads[] = {
    R"({"query":"{a}"})",
    R"({"query":"subscription{s}","operationName":"S","variables":{"x":1},"extensions":{"e":[1]}})",
    R"({"query":"{a}","operationName":null,"variables":null,"extensions":null})",
    R"({"query":"{a}","variables":[]})",
    R"({"query":1})",
    R"({})",
    R"("q")",
    R"(null)",
};

// Messages a client could send, built from a few bytes.
std::string message(input& in) {
  const std::string id = quoted(ids[in.byte() % std::size(ids)]);
  const std::string_view payload = payloads[in.byte() % std::size(payloads)];
  switch (in.byte() % 14) {
    case 0: return R"({"type":"connection_init"})";
    case 1: return R"({"type":"connection_init","payload":{"token":"t"}})";
    case 2: return R"({"type":"connection_init","payload":"x"})";
    case 3: return R"({"type":"ping","payload":{"p":1}})";
    case 4: return R"({"type":"pong"})";
    case 5: return R"({"type":"subscribe","id":)" + id + R"(,"payload":)" + std::string(payload) + "}";
    case 6: return R"({"type":"complete","id":)" + id + "}";
    case 7: return R"({"type":"start","id":)" + id + R"(,"payload":)" + std::string(payload) + "}";
    case 8: return R"({"type":"stop","id":)" + id + "}";
    case 9: return R"({"type":"connection_terminate"})";
    case 10: return R"({"type":"next","id":)" + id + R"(,"payload":{}})";
    case 11: return R"({"type":"ka"})";
    case 12: return R"({"id":)" + id + "}";
    default: return "{\"type\":";
  }
}

// Result JSON the engine could give (and some it would not).
std::shared_ptr<const std::string> result_json(std::uint8_t b) {
  switch (b % 5) {
    case 0: return std::make_shared<const std::string>(R"({"data":{"n":1}})");
    case 1: return std::make_shared<const std::string>(R"({"errors":[{"message":"e","path":["s"]}],"data":null})");
    case 2: return std::make_shared<const std::string>(R"({"errors":[]})");
    case 3: return std::make_shared<const std::string>("not json");
    default: return nullptr;
  }
}

// Checks every event's actions against the invariants: nothing but stops and timer cancels after a close; at most
// max_operations active; every frame sent is a JSON object with a type; results only for started operations; one
// authenticate per connection; close reasons fit a close frame and use the subprotocol's codes.
class checker {
 public:
  checker(ws::subprotocol kind, const ws::protocol_options& options) : kind_(kind), options_(options) {}

  void after(const ws::protocol& p, const ws::actions& out) {
    for (const auto& a : out) check(a);
    CHECK(p.active_operations() <= options_.max_operations);
    if (closed_) CHECK(p.is_closed());
  }

  void socket_closed() { closed_ = true; }

 private:
  void check(const ws::action_t& a) {
    if (const auto* s = std::get_if<ws::action::stop>(&a)) {
      CHECK(live_.erase(s->id) == 1);  // only what was started, once
      return;
    }
    if (std::holds_alternative<ws::action::cancel_timer>(a)) return;
    CHECK(!closed_);  // nothing else once closed
    if (const auto* c = std::get_if<ws::action::close>(&a)) {
      CHECK(c->reason.size() <= 123);
      if (kind_ == ws::subprotocol::graphql_transport_ws)
        CHECK(c->code == 4400 || c->code == 4401 || c->code == 4403 || c->code == 4408 || c->code == 4409 ||
              c->code == 4429);
      else
        CHECK(c->code == 1000 || c->code == 1011);
      closed_ = true;
    } else if (const auto* st = std::get_if<ws::action::start>(&a)) {
      CHECK(!st->id.empty());
      CHECK(live_.emplace(st->id, true).second);  // a live id is stopped before it starts again
    } else if (std::holds_alternative<ws::action::authenticate>(a)) {
      CHECK(!authenticated_);
      authenticated_ = true;
    } else if (const auto* s = std::get_if<ws::action::send>(&a)) {
      sent(s->text, false);
    } else if (const auto* sh = std::get_if<ws::action::send_shared>(&a)) {
      CHECK(sh->payload != nullptr);
      sent(sh->head + *sh->payload + sh->tail, true);
    }
  }

  void sent(const std::string& text, bool shared) {
    auto m = sluice::json::parse(text, nullptr, {.max_depth = 1024});
    if (shared && !m) return;  // the payload is the engine's (the fuzzer feeds text that is not JSON)
    CHECK(m && m->is_object());
    const sluice::value* type = m->find("type");
    CHECK(type && type->is_string());
    const std::string& t = type->as_string();
    const sluice::value* id = m->find("id");
    if (t == "next" || t == "data") {
      CHECK(id && id->is_string() && live_.contains(id->as_string()));
    } else if ((t == "complete" || t == "error") && id && id->is_string() && live_.contains(id->as_string())) {
      live_.erase(id->as_string());  // the operation is over: nothing more for it
    }
  }

  ws::subprotocol kind_;
  ws::protocol_options options_;
  bool closed_ = false;
  bool authenticated_ = false;
  std::map<std::string, bool> live_;  // started and neither stopped nor ended
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in{data, size};
  const std::uint8_t setup = in.byte();
  const auto kind = (setup & 1) ? ws::subprotocol::graphql_ws : ws::subprotocol::graphql_transport_ws;
  ws::protocol_options options;
  options.max_operations = (setup >> 1) % 4;  // 0 to 3: the limit is reached often
  if (setup & 0x10) options.init_timeout = std::chrono::milliseconds(0);
  if (setup & 0x20) options.keep_alive = std::chrono::milliseconds(0);

  ws::protocol p(kind, options);
  checker c(kind, options);
  ws::actions out;
  auto step = [&](auto&& event) {
    out.clear();
    event(out);
    c.after(p, out);
  };
  step([&](ws::actions& o) { p.opened(o); });
  while (!in.empty()) {
    const std::uint8_t op = in.byte();
    switch (op % 14) {
      case 0:
      case 1: {  // a raw frame
        const std::string_view frame = in.take(in.byte());
        step([&](ws::actions& o) { p.text_frame(frame, o); });
        break;
      }
      case 2:
      case 3:
      case 4:
      case 5: {
        const std::string m = message(in);
        step([&](ws::actions& o) { p.text_frame(m, o); });
        break;
      }
      case 6: step([&](ws::actions& o) { p.binary_frame(o); }); break;
      case 7: {
        const auto k = (in.byte() & 1) ? ws::timer_kind::keep_alive : ws::timer_kind::init;
        step([&](ws::actions& o) { p.timer_fired(k, o); });
        break;
      }
      case 8: {
        const std::uint8_t b = in.byte();
        sluice::value payload = (b & 2) ? sluice::value(sluice::object{{"user", sluice::value("u")}})
                                        : (b & 4) ? sluice::value(7) : sluice::value();
        if (b & 1)
          step([&](ws::actions& o) { p.connect_refused(payload, o); });
        else
          step([&](ws::actions& o) { p.connect_accepted(payload, o); });
        break;
      }
      case 9: {
        const std::string_view id = ids[in.byte() % std::size(ids)];
        const std::uint8_t b = in.byte();
        sluice::execution::response r;
        if (b & 1) r.data = R"({"a":1})";
        if (b & 2) r.errors.push_back(sluice::graphql_error{"bad \"thing\"", {{1, 2}}, {std::string("a"), std::size_t{0}}, {}});
        step([&](ws::actions& o) { p.operation_response(id, r, o); });
        break;
      }
      case 10:
      case 11: {
        const std::string_view id = ids[in.byte() % std::size(ids)];
        const std::uint8_t b = in.byte();
        sluice::execution::shared_result r{result_json(b >> 1), (b & 1) != 0};
        step([&](ws::actions& o) { p.operation_result(id, r, o); });
        break;
      }
      case 12: {
        const std::string_view id = ids[in.byte() % std::size(ids)];
        step([&](ws::actions& o) { p.operation_complete(id, o); });
        break;
      }
      default:
        c.socket_closed();
        step([&](ws::actions& o) { p.closed(o); });
        break;
    }
  }
  c.socket_closed();
  step([&](ws::actions& o) { p.closed(o); });
  CHECK(p.active_operations() == 0);
  return 0;
}
