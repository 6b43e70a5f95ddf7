// `sluice serve`: the GraphQL server, configured by flags, SLUICE_* environment variables or a config file.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <iostream>

#include "commands.hpp"
#include "demo.hpp"
#include "json_data.hpp"
#include "sluice/pubsub/memory_broker.hpp"
#include "sluice/pubsub/postgres_broker.hpp"
#include "sluice/pubsub/redis_broker.hpp"
#include "sluice/registry/registry_store.hpp"
#include "sluice/transport/sse/cluster_reservation_store.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/server/server.hpp"

namespace sluice::app {

void add_serve_command(CLI::App& app, serve_options& o) {
  auto* cmd = app.add_subcommand("serve", "Serve GraphQL over HTTP (the demo application, or a schema over JSON data)");
  cmd->fallthrough();  // --config belongs to the program; `sluice serve --config FILE` reaches it
  auto& s = o.server;
  cmd->add_flag("--demo", o.demo, "serve the demo application (hello, time, post, countdown, messages, failing)")
      ->envname("SLUICE_DEMO");
  cmd->add_option("--demo-token", o.demo_token,
                  "demo: clients must present this token (WebSocket: connection_init {\"token\": ...}; HTTP and "
                  "SSE: Authorization: Bearer <token>; both: the sluice_token cookie); unset: no authentication")
      ->envname("SLUICE_DEMO_TOKEN");
  cmd->add_option("--schema", o.schema_file, "SDL file of the schema (fields resolve from --root)")
      ->envname("SLUICE_SCHEMA");
  cmd->add_option("--root", o.root_file, "JSON file of the root value")->envname("SLUICE_ROOT");
  cmd->add_option("--host", s.host, "address to listen on")->envname("SLUICE_HOST")->capture_default_str();
  cmd->add_option("--port", s.port, "port to listen on (0: any free port)")->envname("SLUICE_PORT")->capture_default_str();
  cmd->add_option("--path", s.path, "path of the GraphQL endpoint")->envname("SLUICE_PATH")->capture_default_str();
  cmd->add_option("--threads", s.threads, "event loops, one thread each (0: one per core)")
      ->envname("SLUICE_THREADS")
      ->capture_default_str();
  cmd->add_option("--max-body", s.max_body_bytes, "largest request body, in bytes (larger: 413)")
      ->envname("SLUICE_MAX_BODY")
      ->capture_default_str();
  cmd->add_option("--max-header", s.max_header_bytes, "largest request header block, in bytes (larger: 431)")
      ->envname("SLUICE_MAX_HEADER")
      ->capture_default_str();
  cmd->add_option("--header-timeout-ms", o.header_timeout_ms, "time to receive a request's headers (then: 408)")
      ->envname("SLUICE_HEADER_TIMEOUT_MS")
      ->capture_default_str();
  cmd->add_option("--body-timeout-ms", o.body_timeout_ms, "time to receive a body or send a response")
      ->envname("SLUICE_BODY_TIMEOUT_MS")
      ->capture_default_str();
  cmd->add_option("--idle-timeout-ms", o.idle_timeout_ms, "time a kept-alive connection may stay idle")
      ->envname("SLUICE_IDLE_TIMEOUT_MS")
      ->capture_default_str();
  cmd->add_option("--shutdown-grace-ms", o.shutdown_grace_ms,
                  "on SIGINT or SIGTERM, time requests in flight get to finish")
      ->envname("SLUICE_SHUTDOWN_GRACE_MS")
      ->capture_default_str();
  cmd->add_option("--cors-origin", s.cors.origins,
                  "an origin browsers may call from (repeat for several; * for any); none: CORS off")
      ->envname("SLUICE_CORS_ORIGINS")
      ->delimiter(',');
  cmd->add_flag("--cors-credentials", s.cors.credentials, "allow credentials (cookies) in CORS requests")
      ->envname("SLUICE_CORS_CREDENTIALS");
  cmd->add_option("--ws-init-timeout-ms", o.ws_init_timeout_ms,
                  "graphql-transport-ws: time a client gets to send connection_init (then: close 4408)")
      ->envname("SLUICE_WS_INIT_TIMEOUT_MS")
      ->capture_default_str();
  cmd->add_option("--ws-keep-alive-ms", o.ws_keep_alive_ms, "graphql-ws (legacy): interval of `ka` messages (0: none)")
      ->envname("SLUICE_WS_KEEP_ALIVE_MS")
      ->capture_default_str();
  cmd->add_option("--ws-ping-interval-ms", o.ws_ping_interval_ms,
                  "WebSocket ping frames after this long without traffic; silent clients are closed (0: none)")
      ->envname("SLUICE_WS_PING_INTERVAL_MS")
      ->capture_default_str();
  cmd->add_option("--ws-max-message", s.websocket.max_message_bytes, "largest WebSocket message, in bytes (then: 1009)")
      ->envname("SLUICE_WS_MAX_MESSAGE")
      ->capture_default_str();
  cmd->add_option("--ws-max-send-queue", s.websocket.max_send_queue_bytes,
                  "bytes waiting to be sent to one client before it is closed as too slow (1008)")
      ->envname("SLUICE_WS_MAX_SEND_QUEUE")
      ->capture_default_str();
  cmd->add_option("--ws-max-operations", s.websocket.protocol.max_operations, "operations active at once per connection")
      ->envname("SLUICE_WS_MAX_OPERATIONS")
      ->capture_default_str();
  cmd->add_option("--sse-keep-alive-ms", o.sse_keep_alive_ms,
                  "SSE: interval of keep-alive comments on event streams (0: only the first)")
      ->envname("SLUICE_SSE_KEEP_ALIVE_MS")
      ->capture_default_str();
  cmd->add_option("--sse-max-send-queue", s.sse.max_send_queue_bytes,
                  "SSE: bytes waiting to be sent to one client before it is disconnected as too slow")
      ->envname("SLUICE_SSE_MAX_SEND_QUEUE")
      ->capture_default_str();
  cmd->add_option("--sse-single-connection", s.sse.single_connection,
                  "SSE: single connection mode (PUT reserves a stream, operations are POSTed to it); false: PUT and "
                  "DELETE get 405")
      ->envname("SLUICE_SSE_SINGLE_CONNECTION")
      ->capture_default_str();
  cmd->add_option("--sse-reservation-policy", o.sse_reservation_policy,
                  "SSE: a PUT carrying the token of a live reservation: refuse (409, as the graphql-sse reference) "
                  "or replace (the old stream ends, a new token is given)")
      ->envname("SLUICE_SSE_RESERVATION_POLICY")
      ->check(CLI::IsMember({"refuse", "replace"}))
      ->capture_default_str();
  cmd->add_flag("--sse-require-auth", s.sse.require_authentication,
                "SSE: single connection mode only for authenticated requests (401 otherwise); needs --demo-token")
      ->envname("SLUICE_SSE_REQUIRE_AUTH");
  cmd->add_option("--sse-max-queued-events", s.sse.reservations.max_queued_events,
                  "SSE: events kept for a reserved stream that is not open yet")
      ->envname("SLUICE_SSE_MAX_QUEUED_EVENTS")
      ->capture_default_str();
  cmd->add_option("--sse-open-timeout-ms", o.sse_open_timeout_ms,
                  "SSE: a reservation whose stream is not opened within this is dropped")
      ->envname("SLUICE_SSE_OPEN_TIMEOUT_MS")
      ->capture_default_str();
  cmd->add_option("--redis", o.redis_url,
                  "Redis URL (redis://[:password@]host[:port][/db]): events go through Redis to every node that "
                  "shares it (same as --broker redis://...)")
      ->envname("SLUICE_REDIS");
  cmd->add_option("--broker", o.broker_url,
                  "the pub/sub broker: memory (one node, the default), redis://... or postgres://... (LISTEN/NOTIFY)")
      ->envname("SLUICE_BROKER");
  cmd->add_option("--registry", o.registry_url,
                  "persist open connections and subscriptions (listed by GET /v1/registry): sqlite:PATH or "
                  "postgres://...; unset: off")
      ->envname("SLUICE_REGISTRY");
  cmd->add_option("--node", o.node, "this node's name in the registry (default: <hostname>-<pid>)")
      ->envname("SLUICE_NODE");
  cmd->add_option("--admin-secret", s.admin.secret,
                  "secret of the HTTP API for backends (POST /v1/notify, /v1/publish; header X-Sluice-Admin-Secret); "
                  "unset: the API is off")
      ->envname("SLUICE_ADMIN_SECRET");
  cmd->add_flag("--live-queries", o.live_queries,
                "live queries with --schema: `query @live`, and every Query field under Subscription (the demo "
                "always has them)")
      ->envname("SLUICE_LIVE_QUERIES");
  cmd->add_option("--live-interval-ms", o.live_interval_ms,
                  "live queries: refetch interval (0: only invalidations refresh them); a query may ask for another "
                  "with @live(interval:)")
      ->envname("SLUICE_LIVE_INTERVAL_MS")
      ->capture_default_str();
  cmd->add_option("--live-min-interval-ms", o.live_min_interval_ms,
                  "live queries: the shortest interval @live(interval:) may ask for")
      ->envname("SLUICE_LIVE_MIN_INTERVAL_MS")
      ->capture_default_str();
  cmd->add_option("--live-debounce-ms", o.live_debounce_ms,
                  "live queries: at most one refresh per cohort per this long when invalidations arrive")
      ->envname("SLUICE_LIVE_DEBOUNCE_MS")
      ->capture_default_str();
  cmd->add_option("--log-level", s.log_level, "trace, debug, info, warn, error, critical or off")
      ->envname("SLUICE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
}

void environment_to_flags(const CLI::App& command, const std::string& name, std::vector<std::string>& args) {
  auto at = std::find(args.begin(), args.end(), name);
  if (at == args.end()) return;
  std::vector<std::string> added;
  for (const CLI::Option* opt : command.get_options()) {
    const std::string env = opt->get_envname();
    const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
    if (value == nullptr || opt->get_lnames().empty()) continue;
    const std::string flag = "--" + opt->get_lnames().front();
    const bool given = std::any_of(at + 1, args.end(), [&](const std::string& a) {
      return a == flag || a.rfind(flag + "=", 0) == 0;
    });
    if (given) continue;
    if (opt->get_expected_min() == 0) {  // a flag: on for 1, true, yes, on
      const std::string v = CLI::detail::to_lower(value);
      if (v == "1" || v == "true" || v == "yes" || v == "on") added.push_back(flag);
    } else if (opt->get_delimiter() != '\0') {  // a list: one flag per item
      std::stringstream items(value);
      for (std::string item; std::getline(items, item, opt->get_delimiter());)
        if (!item.empty()) added.insert(added.end(), {flag, item});
    } else {
      added.insert(added.end(), {flag, value});
    }
  }
  args.insert(at + 1, added.begin(), added.end());
}

namespace {

// A distributed broker, after waiting for its first connection (it goes on retrying in the background).
template <typename Broker, typename Options>
std::unique_ptr<pubsub::broker> connected(const Options& options, const char* name, const std::string& url) {
  auto b = std::make_unique<Broker>(options);
  if (!b->wait_ready(options.connect_timeout))
    spdlog::warn("{}: not connected to {} yet; retrying in the background", name, url);
  return b;
}

// The broker a URL names: memory (or empty), redis://, postgres:// (or postgresql://); null for anything else.
std::unique_ptr<pubsub::broker> make_broker(const std::string& url) {
  if (url.empty() || url == "memory") return std::make_unique<pubsub::memory_broker>();
  if (url.starts_with("redis://")) {
    pubsub::redis_options options;
    options.url = url;
    return connected<pubsub::redis_broker>(options, "redis", url);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    pubsub::postgres_options options;
    options.conninfo = url;
    return connected<pubsub::postgres_broker>(options, "postgres", url);
  }
  return nullptr;
}

}  // namespace

int run_serve(serve_options o) {
  if (o.demo == !o.schema_file.empty()) {
    std::fprintf(stderr, "sluice serve: give either --demo or --schema\n");
    return 2;
  }
  o.server.header_timeout = std::chrono::milliseconds(o.header_timeout_ms);
  o.server.body_timeout = std::chrono::milliseconds(o.body_timeout_ms);
  o.server.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
  o.server.shutdown_grace = std::chrono::milliseconds(o.shutdown_grace_ms);
  o.server.websocket.protocol.init_timeout = std::chrono::milliseconds(o.ws_init_timeout_ms);
  o.server.websocket.protocol.keep_alive = std::chrono::milliseconds(o.ws_keep_alive_ms);
  o.server.websocket.ping_interval = std::chrono::milliseconds(o.ws_ping_interval_ms);
  o.server.sse.keep_alive = std::chrono::milliseconds(o.sse_keep_alive_ms);
  o.server.sse.reservations.open_timeout = std::chrono::milliseconds(o.sse_open_timeout_ms);
  o.server.sse.second_reservation =
      o.sse_reservation_policy == "replace" ? server::reservation_policy::replace : server::reservation_policy::refuse;
  o.server.handle_signals = true;

  std::unique_ptr<pubsub::broker> broker_owner;
  // What uses the broker goes before it, however this function ends.
  struct release_before_broker {
    server::server_options& s;
    ~release_before_broker() { s.sse.store.reset(); }
  } release{o.server};
  std::unique_ptr<execution::executor> ex;
  try {
    broker_owner = make_broker(o.redis_url.empty() ? o.broker_url : o.redis_url);
    if (!broker_owner) {
      std::fprintf(stderr, "sluice serve: --broker must be memory, redis://... or postgres://...\n");
      return 2;
    }
    pubsub::broker& broker = *broker_owner;
    o.server.broker = &broker;
    if (!dynamic_cast<pubsub::memory_broker*>(&broker)) {
      // Several nodes: SSE reservations are reachable from every node through the broker.
      transport::sse::cluster_reservation_options c;
      c.node = o.node;
      c.local = o.server.sse.reservations;
      o.server.sse.store = transport::sse::make_cluster_reservation_store(broker, std::move(c));
    }
    if (!o.registry_url.empty()) {
      registry::registry_options r;
      r.url = o.registry_url;
      r.node = o.node;
      o.server.registry = registry::open_registry(std::move(r));
    }
    execution::executor_options options;
    options.live.enabled = o.live_queries;
    options.live.interval = std::chrono::milliseconds(o.live_interval_ms);
    options.live.min_interval = std::chrono::milliseconds(o.live_min_interval_ms);
    options.live.debounce = std::chrono::milliseconds(o.live_debounce_ms);
    options.live.watch = [&broker](const boost::asio::any_io_executor& loop, const std::string& key) {
      return broker.subscribe(loop, key);
    };
    if (o.demo) {
      ex = make_demo_executor(broker, options);
      if (!o.demo_token.empty()) {
        o.server.websocket.hooks.on_connect = demo_authentication(o.demo_token);
        o.server.http.authenticate = demo_http_authentication(o.demo_token);
      }
    } else {
      std::string sdl;
      auto root = std::make_shared<sluice::value>();
      if (!read_file("sluice serve", o.schema_file, sdl)) return 2;
      if (!o.root_file.empty() && !read_json("sluice serve", o.root_file, *root)) return 2;
      schema::build_options build;
      build.live_queries = o.live_queries;
      auto built = schema::build_schema(sdl, build);
      if (!built.ok()) {
        for (const auto& e : built.errors) std::fprintf(stderr, "%s: %s\n", o.schema_file.c_str(), e.message.c_str());
        return 2;
      }
      // Every field reads the property of its name from its parent, the root fields from the root JSON value, in
      // place (the executor's default resolver: nothing is copied per request).
      options.root_value = root;
      options.require_sources = false;  // no subscriptions over JSON data (live queries aside)
      ex = std::make_unique<execution::executor>(built.built, execution::resolver_map{}, options);
    }
    server::server srv(*ex, o.server);
    srv.listen();
    std::printf("sluice: serving GraphQL at http://%s:%u%s%s\n", o.server.host.c_str(),
                static_cast<unsigned>(srv.port()), o.server.path.c_str(), o.demo ? " (the demo application)" : "");
    std::fflush(stdout);
    srv.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sluice serve: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace sluice::app
