// postgres_server: a real PostgreSQL 15 server for integration tests, removed with its temporary directory.
//
// It runs on a free loopback port in a fresh temporary directory (as the `postgres` user when the tests run
// as root); the destructor stops it and removes the directory.
#pragma once

#include <libpq-fe.h>

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sluice::test {

class postgres_server {
 public:
  static constexpr const char* bin_dir = "/usr/lib/postgresql/15/bin";
  static constexpr std::chrono::seconds start_timeout{15};

  // Runs initdb and starts the server; throws std::runtime_error saying what is missing or what went wrong.
  postgres_server() {
    for (const char* tool : {"initdb", "postgres"}) {
      const std::string path = std::string(bin_dir) + "/" + tool;
      if (::access(path.c_str(), X_OK) != 0) {
        throw std::runtime_error("PostgreSQL 15 is not installed: " + path +
                                 " is missing (install the postgresql-15 package; scripts/bootstrap does)");
      }
    }
    if (::geteuid() == 0) {
      // PostgreSQL refuses to run as root: initdb and the server run as the `postgres` system user.
      const passwd* pw = ::getpwnam("postgres");
      if (!pw)
        throw std::runtime_error("running as root, and there is no `postgres` user to run PostgreSQL as");
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      switch_user_ = true;
    }
    make_directory();
    try {
      run_initdb();
      // The port is free when chosen, but may be taken before the server binds it: then try another.
      for (int attempt = 1;; ++attempt) {
        port_ = free_port();
        try {
          start();
          break;
        } catch (const std::runtime_error&) {
          if (attempt == 3) throw;
        }
      }
    } catch (...) {
      stop();
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
      throw;
    }
  }

  ~postgres_server() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  postgres_server(const postgres_server&) = delete;
  postgres_server& operator=(const postgres_server&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string conninfo() const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }
  [[nodiscard]] bool running() const { return pid_ > 0; }

  // Starts the server on the data directory and port it had (no-op when running); returns once it accepts
  // connections, or throws (with the end of its log) when it does not within start_timeout.
  void start() {
    if (pid_ > 0) return;
    const std::string port = std::to_string(port_);
    pid_ = spawn(
        {std::string(bin_dir) + "/postgres", "-D", data_dir(), "-p", port, "-c", "listen_addresses=127.0.0.1",
         "-c", "unix_socket_directories=" + dir_.string(), "-c", "fsync=off"},
        dir_ / "server.log");
    const std::string ping = conninfo() + "?connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (PQping(ping.c_str()) != PQPING_OK) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("PostgreSQL exited at start-up: " + log_tail("server.log"));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        stop();
        throw std::runtime_error("PostgreSQL did not accept connections within " +
                                 std::to_string(start_timeout.count()) + " s: " + log_tail("server.log"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Stops the server (fast shutdown: clients are disconnected) and waits until it has exited. No-op when
  // stopped.
  void stop() noexcept {
    if (pid_ <= 0) return;
    const pid_t pid = pid_;
    pid_ = -1;
    // SIGINT: fast shutdown; SIGQUIT: immediate shutdown; SIGKILL as the last resort.
    for (const auto& [sig, patience] :
         {std::pair{SIGINT, std::chrono::seconds(15)}, std::pair{SIGQUIT, std::chrono::seconds(5)},
          std::pair{SIGKILL, std::chrono::seconds(5)}}) {
      ::kill(pid, sig);
      if (wait_exit(pid, patience)) return;
    }
  }

 private:
  [[nodiscard]] std::string data_dir() const { return (dir_ / "data").string(); }

  void make_directory() {
    std::filesystem::path base = std::filesystem::temp_directory_path();
    // The server's Unix socket lives here too: keep the path well under the 107-byte limit of socket paths.
    if (base.string().size() > 60) base = "/tmp";
    std::string pattern = (base / "sluice-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      throw std::runtime_error("cannot create a temporary directory in " + base.string() + ": " +
                               std::strerror(errno));
    }
    dir_ = pattern;
    if (switch_user_ && ::chown(dir_.c_str(), uid_, gid_) != 0) {
      const std::string why = std::strerror(errno);
      std::filesystem::remove_all(dir_);
      throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user: " + why);
    }
  }

  void run_initdb() {
    const pid_t pid = spawn({std::string(bin_dir) + "/initdb", "-D", data_dir(), "--auth=trust", "-U",
                             "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                            dir_ / "initdb.log");
    int status = 0;
    if (!wait_exit(pid, std::chrono::seconds(120), &status)) {
      ::kill(pid, SIGKILL);
      wait_exit(pid, std::chrono::seconds(5));
      throw std::runtime_error("initdb did not finish within 120 s: " + log_tail("initdb.log"));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      throw std::runtime_error("initdb failed: " + log_tail("initdb.log"));
    }
  }

  // Starts a program (no shell) as the postgres user when running as root, its output appended to `log`.
  pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) const {
    // Everything the child needs is prepared here: between fork and exec it only makes async-signal-safe
    // calls.
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) throw std::runtime_error("cannot open " + log.string() + ": " + std::strerror(errno));
    const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (null_in < 0 || ::dup2(null_in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
          ::dup2(out, STDERR_FILENO) < 0) {
        ::_exit(126);
      }
      if (switch_user_ && (::setgroups(1, &gid_) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0))
        ::_exit(126);
      // If the tests die, the server goes too (set after setuid, which clears it). SIGQUIT: immediate
      // shutdown.
      ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
      if (::getppid() != parent) ::_exit(126);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const int fork_errno = errno;
    ::close(out);
    if (null_in >= 0) ::close(null_in);
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(fork_errno));
    return pid;
  }

  // Waits (at most `patience`) for the child to exit; true when it did (its status in *status).
  static bool wait_exit(pid_t pid, std::chrono::seconds patience, int* status = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      int s = 0;
      const pid_t r = ::waitpid(pid, &s, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD)) {
        if (status) *status = s;
        return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw std::runtime_error("cannot find a free port: " + why);
    }
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  // The last lines of a log in the directory, for error messages.
  [[nodiscard]] std::string log_tail(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    if (text.size() > 1500) text = "..." + text.substr(text.size() - 1500);
    return text.empty() ? "(its log " + (dir_ / name).string() + " is empty)" : text;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool switch_user_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

}  // namespace sluice::test
