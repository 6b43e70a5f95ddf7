// Process measurements for the benchmarks: a server's CPU time and resident memory from /proc, the load
// generator's own CPU time, and the open-files limit.
#pragma once

#include <cstdint>
#include <string>

namespace sluice::bench::load {

struct proc_sample {
  bool valid = false;
  double cpu_s = 0;          // utime + stime, all threads
  std::int64_t rss_kib = 0;  // VmRSS
};

// Reads /proc/PID/stat and /proc/PID/status; invalid (not an error) when pid is 0 or the process is gone.
[[nodiscard]] proc_sample sample_process(int pid);

// The machine's network counters that spoil loopback benchmarks when they move: packets dropped because a
// CPU's input backlog was full (/proc/net/softnet_stat, net.core.netdev_max_backlog) and TCP segments
// retransmitted
// (/proc/net/snmp): after a loss, or as tail loss probes when a receiver has not acknowledged for 10 ms.
struct net_sample {
  std::uint64_t backlog_drops = 0;
  std::uint64_t tcp_retransmits = 0;
};
[[nodiscard]] net_sample sample_net();

// This process's user + system CPU seconds (getrusage, all threads).
[[nodiscard]] double self_cpu_seconds();

// This process's peak resident set, KiB.
[[nodiscard]] std::int64_t self_max_rss_kib();

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
std::uint64_t raise_open_files_limit();

// Throws a std::runtime_error explaining the limit when `needed` descriptors do not fit under the soft limit.
void require_open_files(std::uint64_t needed, const std::string& what);

}  // namespace sluice::bench::load
