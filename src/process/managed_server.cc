#include "process/managed_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

constexpr size_t kTailLines = 40;

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
  if (pipe2(fds, O_CLOEXEC) != 0) {
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
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    log.write(buf, n);
    log.flush();
    std::lock_guard<std::mutex> lock(mutex_);
    partial_.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = partial_.find('\n')) != std::string::npos) {
      std::string line = partial_.substr(0, nl);
      partial_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (pattern && line.size() < 65536 && pattern->search(line)) log_matched_ = true;
      tail_.push_back(std::move(line));
      ++lines_seen_;
      if (tail_.size() > kTailLines) tail_.pop_front();
    }
    if (partial_.size() > 65536) partial_.erase(0, partial_.size() - 65536);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  reader_done_ = true;
  if (!partial_.empty()) {
    tail_.push_back(partial_);
    partial_.clear();
    if (tail_.size() > kTailLines) tail_.pop_front();
  }
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
  for (size_t i = start; i < tail_.size(); ++i) out += tail_[i] + "\n";
  return out;
}

/// The line that explains the death: the last "SomethingError: ..." line
/// (a Python traceback's headline), else the last non-empty line.
std::string ManagedServer::headline_line() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string ignored;
  static const std::optional<Regex> error_line =
      Regex::compile(R"(^\s*([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b|error|Error|ERROR|fatal|FATAL|panic))", ignored);
  for (auto it = tail_.rbegin(); it != tail_.rend(); ++it)
    if (error_line && error_line->search(*it)) return *it;
  for (auto it = tail_.rbegin(); it != tail_.rend(); ++it)
    if (it->find_first_not_of(" \t") != std::string::npos) return *it;
  return "";
}

Diagnosis ManagedServer::death_diagnosis(bool before_ready) {
  exited();
  wait_for_reader(300);  // the pipe is at EOF once the group is gone: take its last lines
  Diagnosis d;
  d.cls = DiagnosisClass::kServerExited;
  d.environment = true;
  double lived = to_ms((exited_us_ ? exited_us_ : now_us()) - started_us_);
  std::string last = headline_line();
  d.headline = "managed server " + exit_text() + " after " + format_ms(lived) +
               (before_ready ? ", before it was ready" : ", while scenarios were running") +
               (last.empty() ? "; it printed nothing" : "; last output: " + last);
  std::string tail = last_lines(10);
  size_t pos = 0;
  while (pos < tail.size()) {
    size_t nl = tail.find('\n', pos);
    d.details.push_back("| " + tail.substr(pos, nl - pos));
    pos = nl + 1;
  }
  d.details.push_back("full log: " + options_.log_path);
  d.hint = before_ready ? "run the server command by hand to see it fail, fix its environment (missing module, port, config), then re-run"
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
  // A process that left the group may still hold the pipe: never wait on it forever.
  if (reader_.joinable()) {
    if (wait_for_reader(1000)) reader_.join();
    else reader_.detach();
  }
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
  pid_ = -1;
}

}  // namespace wscheck
