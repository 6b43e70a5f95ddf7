// Process measurements from /proc and getrusage; see proc_stats.hpp.
#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sluice::bench::load {

proc_sample sample_process(int pid) {
  proc_sample s;
  if (pid <= 0) return s;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream stat(base + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // The command name (field 2) is in parentheses and may contain spaces: fields are counted after the last
  // ')'.
  const auto paren = line.rfind(')');
  if (paren == std::string::npos) return s;
  std::istringstream fields(line.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state; 14 utime, 15 stime
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(ticks > 0 ? ticks : 100);
  std::ifstream status(base + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      s.rss_kib = std::stoll(line.substr(6));
      break;
    }
  }
  s.valid = true;
  return s;
}

net_sample sample_net() {
  net_sample n;
  std::ifstream softnet("/proc/net/softnet_stat");
  std::string line;
  while (std::getline(softnet, line)) {
    std::istringstream fields(line);
    std::string processed;
    std::string dropped;
    if (fields >> processed >> dropped) n.backlog_drops += std::stoull(dropped, nullptr, 16);
  }
  std::ifstream snmp("/proc/net/snmp");
  std::string names;
  while (std::getline(snmp, line)) {
    if (line.rfind("Tcp:", 0) != 0) continue;
    if (names.empty()) {
      names = line;
      continue;
    }
    std::istringstream keys(names);
    std::istringstream values(line);
    std::string key;
    std::string value;
    while (keys >> key && values >> value) {
      if (key == "RetransSegs") n.tcp_retransmits = std::stoull(value);
    }
    break;
  }
  return n;
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

std::int64_t self_max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::uint64_t raise_open_files_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 1024;
  if (r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
  }
  return r.rlim_cur;
}

void require_open_files(std::uint64_t needed, const std::string& what) {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur == RLIM_INFINITY || needed <= r.rlim_cur) return;
  throw std::runtime_error(
      what + " needs about " + std::to_string(needed) + " file descriptors, but RLIMIT_NOFILE is " +
      std::to_string(r.rlim_cur) + " (hard limit " + std::to_string(r.rlim_max) +
      "); raise it (ulimit -Hn / -n, as root or with CAP_SYS_RESOURCE) or use fewer connections");
}

}  // namespace sluice::bench::load
