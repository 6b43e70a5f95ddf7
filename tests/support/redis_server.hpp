// redis_server: a real redis-server for integration tests, on a free loopback port in a temporary directory.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace sluice::test {

// Starts /usr/bin/redis-server (no shell) with no persistence, bound to 127.0.0.1 on a port that was free, in
// a fresh directory (its output goes to redis.log there), and waits until it accepts connections. stop()
// kills it; start() runs it again on the same port; pause() and resume() freeze and thaw it. The destructor
// stops it and removes the directory. Every failure throws std::runtime_error with a clear message (a missing
// redis-server fails the test; it is never skipped).
class redis_server {
 public:
  static constexpr const char* program = "/usr/bin/redis-server";
  static constexpr std::chrono::seconds startup_limit{5};

  // `extra` arguments are appended to the command line (e.g. {"--requirepass", "secret"}).
  explicit redis_server(std::vector<std::string> extra = {}) : extra_(std::move(extra)) {
    if (::access(program, X_OK) != 0) {
      throw std::runtime_error(
          std::string("redis_server: ") + program +
          " is missing (the Redis integration tests need it: scripts/bootstrap installs the "
          "redis-server package)");
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-redis-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail_errno("mkdtemp");
    dir_ = pattern;
    port_ = free_port();
    try {
      start();
    } catch (...) {
      remove_dir();
      throw;
    }
  }

  ~redis_server() {
    stop();
    remove_dir();
  }

  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }
  [[nodiscard]] const std::filesystem::path& directory() const noexcept { return dir_; }

  // Starts it (again) on the same port; returns once it accepts connections.
  void start() {
    if (pid_ > 0) return;
    const std::string port = std::to_string(port_);
    const std::string dir = dir_.string();
    std::vector<std::string> args{program,        "--port", port,    "--bind", "127.0.0.1",   "--save", "",
                                  "--appendonly", "no",     "--dir", dir,      "--daemonize", "no"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    const std::string log = (dir_ / "redis.log").string();
    ::posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program, &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      throw std::runtime_error(std::string("redis_server: cannot start ") + program + ": " +
                               std::strerror(rc));
    }
    pid_ = pid;

    const auto deadline = std::chrono::steady_clock::now() + startup_limit;
    while (!accepts_connections()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("redis_server: redis-server exited at start-up on port " + port + ":\n" +
                                 log_text());
      }
      if (std::chrono::steady_clock::now() > deadline) {
        stop();
        throw std::runtime_error("redis_server: redis-server did not accept connections on port " + port +
                                 " within 5 s:\n" + log_text());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Kills it (SIGTERM, then SIGKILL if it is still there after 5 s) and reaps it. Its clients see the
  // connection closed.
  void stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGCONT);  // in case it was paused
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
  }

  // Freezes it (SIGSTOP) and waits (at most 1 s) until it is stopped: connections stay open, nothing is
  // answered. resume() lets it go on.
  void pause() const {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGSTOP);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (process_state() != 'T') {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("redis_server: SIGSTOP had no effect");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void resume() const noexcept {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
  }

  // What redis-server printed so far.
  [[nodiscard]] std::string log_text() const {
    std::ifstream in(dir_ / "redis.log");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  [[noreturn]] static void fail_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), std::string("redis_server: ") + what);
  }

  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
  }

  // A port the kernel considers free right now: bind 127.0.0.1:0, read it back, close.
  static std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) fail_errno("socket");
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      const int e = errno;
      ::close(fd);
      throw std::system_error(e, std::generic_category(), "redis_server: finding a free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
  }

  // The state letter of /proc/PID/stat (R, S, T, ...).
  [[nodiscard]] char process_state() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');  // after the command name, which may hold spaces
    return close != std::string::npos && close + 2 < stat.size() ? stat[close + 2] : '?';
  }

  [[nodiscard]] bool accepts_connections() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in a = loopback(port_);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  void remove_dir() noexcept {
    if (dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }

  std::vector<std::string> extra_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace sluice::test
