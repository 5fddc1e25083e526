// `wscheck bench` and `wscheck merge`: load, throughput and thresholds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wscheck {

struct BenchCommandOptions {
  std::vector<std::string> paths;  // scenario files (scenario load)
  std::string url;                 // empty: $WSCHECK_URL
  std::vector<std::string> vars, tags, names;
  // scenario load
  unsigned vus = 0;      // closed model (0 with no --rate: 1)
  std::string rate;      // open model: "200/s"
  unsigned max_vus = 0;  // open model: iterations in flight at most (0: 10000)
  std::string duration;  // "30s"
  std::uint64_t iterations = 0;
  std::string ramp_up;
  // echo throughput
  bool echo = false;
  std::size_t size = 64;
  unsigned window = 100;
  unsigned connections = 1;
  std::uint64_t messages = 10000;
  bool text = false;
  // both
  unsigned threads = 0;  // 0: the number of cores
  std::string segment;   // "I/N"
  std::vector<std::string> thresholds;
  std::string report_json, report_html;
  int step_timeout_ms = 5000;
  bool insecure = false;
  std::string ca_file;
  bool quiet = false;
};

struct MergeCommandOptions {
  std::vector<std::string> inputs;
  std::string output = "-";  // "-": stdout... unless the summary goes there (then -o is required)
  std::vector<std::string> thresholds;
  std::string report_html;
  bool quiet = false;
};

int bench_command(const BenchCommandOptions& options);
int merge_command(const MergeCommandOptions& options);

}  // namespace wscheck
