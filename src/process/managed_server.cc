#include "process/managed_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "core/url.h"
#include "diagnose/classify.h"
#include "diagnose/probe.h"
#include "engine/clock.h"
#include "scenario/regex.h"

namespace wscheck {

namespace {

constexpr size_t kTailLines = 400;

/// A line that reads like a cause: a traceback headline, Error, FATAL, panic.
bool error_looking(const std::string& line) {
  std::string ignored;
  static const std::optional<Regex> pattern = Regex::compile(
      R"(\b[A-Za-z_][\w.]*(Error|Exception)\b|\b(Traceback|ERROR|FATAL|CRITICAL|panic|error:|fatal:))", ignored);
  return pattern && line.size() < 65536 && pattern->search(line);
}

/// A line that says the process is shutting down (after a signal or on its own).
bool shutdown_looking(const std::string& line) {
  std::string ignored;
  static const std::optional<Regex> pattern = Regex::compile(
      R"((?i)(shutting down|shut down|graceful shutdown|received (signal|sig\w+)|\bSIGTERM\b|\bSIGINT\b|\bstopping\b|finished server process|\bexiting\b|\bterminating\b))",
      ignored);
  return pattern && line.size() < 65536 && pattern->search(line);
}

std::string default_log_path() {
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/wscheck-server-" + std::to_string(getpid()) + ".log";
}

void sleep_ms(int ms) { usleep(static_cast<useconds_t>(ms) * 1000); }

}  // namespace

ManagedServer::ManagedServer(ManagedServerOptions options) : options_(std::move(options)) {
  if (options_.log_path.empty()) options_.log_path = default_log_path();
}

ManagedServer::~ManagedServer() { stop(); }

bool ManagedServer::start(std::string& error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0 || pipe2(wake_fd_, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  {
    std::ofstream truncate(options_.log_path, std::ios::trunc);
    if (!truncate) {
      error = "cannot write the server log \"" + options_.log_path + "\"";
      close(fds[0]);
      close(fds[1]);
      return false;
    }
  }
  started_us_ = now_us();
  pid_ = fork();
  if (pid_ < 0) {
    error = std::string("fork failed: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (pid_ == 0) {
    setpgid(0, 0);  // its own group, so teardown reaches every child it spawns
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (!options_.cwd.empty() && chdir(options_.cwd.c_str()) != 0) {
      std::fprintf(stderr, "wscheck: cannot chdir to %s: %s\n", options_.cwd.c_str(), std::strerror(errno));
      _exit(127);
    }
    for (const auto& [k, v] : options_.env) setenv(k.c_str(), v.c_str(), 1);
    execl("/bin/sh", "sh", "-c", options_.command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid_, pid_);  // also from the parent, to win the race with an early kill
  close(fds[1]);
  out_fd_ = fds[0];
  reader_ = std::thread([this] { read_output(); });
  return true;
}

void ManagedServer::read_output() {
  std::ofstream log(options_.log_path, std::ios::app | std::ios::binary);
  std::optional<Regex> pattern;
  if (!options_.ready_log.empty()) {
    std::string error;
    pattern = Regex::compile(options_.ready_log, error);  // validated by the CLI already
  }
  char buf[4096];
  for (;;) {
    // Wait on the output and on stop()'s wake pipe, so the thread always
    // ends when asked even if a daemonised child keeps the output pipe open.
    pollfd p[2] = {{out_fd_, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    int rc = poll(p, 2, -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (p[1].revents & (POLLIN | POLLHUP))) break;
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    log.write(buf, n);
    log.flush();
    take_lines(buf, static_cast<size_t>(n), pattern);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  reader_done_ = true;
  if (!partial_.empty()) {
    tail_.push_back(LogLine{now_us(), partial_});
    partial_.clear();
    if (tail_.size() > kTailLines) tail_.pop_front();
  }
}

void ManagedServer::take_lines(const char* data, size_t n, const std::optional<Regex>& pattern) {
  std::lock_guard<std::mutex> lock(mutex_);
  partial_.append(data, n);
  size_t nl;
  Micros at = now_us();
  while ((nl = partial_.find('\n')) != std::string::npos) {
    std::string line = partial_.substr(0, nl);
    partial_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (pattern && line.size() < 65536 && pattern->search(line)) log_matched_ = true;
    tail_.push_back(LogLine{at, std::move(line)});
    ++lines_seen_;
    if (tail_.size() > kTailLines) tail_.pop_front();
  }
  if (partial_.size() > 65536) partial_.erase(0, partial_.size() - 65536);
}

std::vector<std::string> ManagedServer::lines_between(long long from_us, long long to_us, size_t max) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& l : tail_)
    if (l.at_us >= from_us && l.at_us <= to_us && l.text.find_first_not_of(" \t") != std::string::npos) out.push_back(l.text);
  if (out.size() > max) out.erase(out.begin(), out.end() - static_cast<long>(max));
  return out;
}

bool ManagedServer::log_quiet(long long since_us, int quiet_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reader_done_) return true;
  if (!partial_.empty()) return false;  // a line is being written
  const Micros last = std::max<Micros>(since_us, tail_.empty() ? 0 : tail_.back().at_us);
  return now_us() - last >= Micros(quiet_ms) * 1000;
}

std::string ManagedServer::last_error_line(long long before_us) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = tail_.rbegin(); it != tail_.rend(); ++it)
    if (it->at_us <= before_us && error_looking(it->text)) return it->text;
  return "";
}

bool ManagedServer::wait_for_reader(int ms) {
  Micros deadline = now_us() + Micros(ms) * 1000;
  while (!reader_done_ && now_us() < deadline) sleep_ms(5);
  return reader_done_;
}

bool ManagedServer::exited() {
  if (wait_status_) return true;
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    wait_status_ = status;
    exited_us_ = now_us();
    return true;
  }
  return false;
}

std::string ManagedServer::exit_text() const {
  if (!wait_status_) return "is still running";
  int s = *wait_status_;
  if (WIFEXITED(s)) return "exited with status " + std::to_string(WEXITSTATUS(s));
  if (WIFSIGNALED(s)) {
    const char* name = strsignal(WTERMSIG(s));
    return "was killed by signal " + std::to_string(WTERMSIG(s)) + (name ? std::string(" (") + name + ")" : "");
  }
  return "stopped";
}

std::string ManagedServer::last_lines(size_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  size_t start = tail_.size() > n ? tail_.size() - n : 0;
  for (size_t i = start; i < tail_.size(); ++i) out += tail_[i].text + "\n";
  return out;
}

/// The line that explains the death: the last error-looking line before
/// the shutdown began (for a process that was stopped, what it printed while
/// shutting down is a side effect, not the cause), else the last non-empty line.
std::string ManagedServer::headline_line(bool stopped) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t end = tail_.size();
  if (stopped)
    for (size_t i = 0; i < tail_.size(); ++i)
      if (shutdown_looking(tail_[i].text)) {
        end = i;
        break;
      }
  for (size_t i = end; i-- > 0;)
    if (error_looking(tail_[i].text)) return tail_[i].text;
  if (stopped) return "";
  for (auto it = tail_.rbegin(); it != tail_.rend(); ++it)
    if (it->text.find_first_not_of(" \t") != std::string::npos) return it->text;
  return "";
}

bool ManagedServer::stopped_by_us() const { return stop_requested_; }

Diagnosis ManagedServer::death_diagnosis(bool before_ready) {
  exited();
  wait_for_reader(300);  // the pipe is at EOF once the group is gone: take its last lines
  Diagnosis d;
  d.cls = DiagnosisClass::kServerExited;
  d.environment = true;
  double lived = to_ms((exited_us_ ? exited_us_ : now_us()) - started_us_);
  int s = wait_status_ ? *wait_status_ : 0;
  bool clean = wait_status_ && ((WIFEXITED(s) && WEXITSTATUS(s) == 0) ||
                                (WIFSIGNALED(s) && (WTERMSIG(s) == SIGTERM || WTERMSIG(s) == SIGINT || WTERMSIG(s) == SIGHUP)));
  std::string last = headline_line(clean);
  std::string when = before_ready ? ", before it was ready" : ", while scenarios were running";
  d.headline = "managed server " + exit_text() + " after " + format_ms(lived) + when;
  if (clean && before_ready)
    d.headline += ": it ended without an error before serving (does the command stay in the foreground, or does it daemonise?)" +
                  (last.empty() ? std::string() : "; last error: " + last);
  else if (clean)
    d.headline += ": it stopped cleanly, it did not crash (something shut it down)" +
                  (last.empty() ? std::string() : "; last error before the shutdown: " + last);
  else
    d.headline += last.empty() ? "; it printed nothing" : "; last output: " + last;
  std::string tail = last_lines(10);
  size_t pos = 0;
  while (pos < tail.size()) {
    size_t nl = tail.find('\n', pos);
    d.details.push_back("| " + tail.substr(pos, nl - pos));
    pos = nl + 1;
  }
  d.details.push_back("full log: " + options_.log_path);
  d.hint = before_ready ? "run the server command by hand to see it fail, fix its environment (missing module, port, config), then re-run"
           : clean      ? "the server was shut down while scenarios ran (a signal from outside, a supervisor, or its own exit path): read its log"
                        : "the server crashed under the scenarios: read its log";
  return d;
}

std::optional<Diagnosis> ManagedServer::wait_ready(const std::function<bool()>& interrupted) {
  const Micros deadline = started_us_ + Micros(options_.ready_timeout_ms) * 1000;
  std::optional<Url> ready_url;
  if (!options_.ready.empty()) {
    std::string error;
    ready_url = parse_url(options_.ready, error);
  }
  std::optional<Diagnosis> last_probe;
  bool port_ever_open = false;
  for (;;) {
    if (exited()) return death_diagnosis(true);
    if (interrupted()) {
      Diagnosis d;
      d.cls = DiagnosisClass::kInterrupted;
      d.headline = "interrupted while waiting for the managed server";
      return d;
    }
    bool ready = true;
    if (!options_.ready_log.empty()) ready = log_matched_;
    if (ready && ready_url) {
      Micros left = deadline - now_us();
      int budget = static_cast<int>(std::max<Micros>(1, std::min<Micros>(left / 1000, 1000)));
      ProbeResult r = probe_target(ProbeOptions{*ready_url, budget, true, ""});
      if (r.ready()) {
        ready = true;
      } else {
        ready = false;
        last_probe = r.failure;
        for (const auto& l : r.lines)
          if (l.name == "tcp" && l.level == CheckLine::Level::kOk) port_ever_open = true;
      }
    }
    if (ready) return std::nullopt;
    if (now_us() >= deadline) break;
    // A process that dies while we sleep is noticed on the next turn; keep turns short.
    sleep_ms(50);
  }
  if (exited()) return death_diagnosis(true);
  Diagnosis d;
  d.environment = true;
  std::string waited = format_ms(options_.ready_timeout_ms);
  if (ready_url && !port_ever_open) {
    d.cls = DiagnosisClass::kTcpRefused;
    d.headline = "managed server is running but never opened " + ready_url->host + ":" + std::to_string(ready_url->port) +
                 " within " + waited + " (--ready-timeout)";
    d.hint = "is it listening on another port or interface? is it still installing or migrating at start-up?";
  } else if (ready_url && last_probe) {
    d.cls = last_probe->cls;
    d.headline = "managed server opened its port but was not ready within " + waited + ": " + last_probe->headline;
    d.hint = last_probe->hint;
  } else {
    d.cls = DiagnosisClass::kUpgradeTimeout;
    d.headline = "managed server printed no line matching /" + options_.ready_log + "/ within " + waited;
    d.hint = "check --ready-log against the server's real start-up message";
  }
  std::string tail = last_lines(5);
  if (!tail.empty()) d.details.push_back("last output:\n" + tail);
  d.details.push_back("full log: " + options_.log_path);
  return d;
}

void ManagedServer::stop() {
  if (pid_ > 0 && !exited()) {
    stop_requested_ = true;
    kill(-pid_, SIGTERM);
    Micros deadline = now_us() + Micros(options_.grace_ms) * 1000;
    while (!exited() && now_us() < deadline) sleep_ms(10);
    if (!exited()) {
      kill(-pid_, SIGKILL);
      int status = 0;
      if (waitpid(pid_, &status, 0) == pid_) wait_status_ = status;
    }
  }
  if (pid_ > 0) kill(-pid_, SIGKILL);  // whatever the leader left behind in its group
  // A process that left the group (a daemon) may still hold the pipe: give
  // the reader a moment to drain, then wake it so it ends and can be joined.
  if (reader_.joinable()) {
    wait_for_reader(1000);
    if (wake_fd_[1] >= 0) (void)!write(wake_fd_[1], "x", 1);
    reader_.join();
  }
  for (int* fd : {&out_fd_, &wake_fd_[0], &wake_fd_[1]}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  pid_ = -1;
}

}  // namespace wscheck
