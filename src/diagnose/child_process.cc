#include "diagnose/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "engine/clock.h"

namespace wscheck {

namespace {

constexpr size_t kMaxOutput = 8 * 1024 * 1024;

[[noreturn]] void exec_child(const ChildRequest& r, int in, int out, int err, int report) {
  setpgid(0, 0);
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  if (!r.cwd.empty() && chdir(r.cwd.c_str()) != 0) {
    int e = -errno;  // negative: the folder, not the program
    (void)!write(report, &e, sizeof e);
    _exit(127);
  }
  for (const auto& [k, v] : r.env) setenv(k.c_str(), v.c_str(), 1);
  std::vector<char*> argv;
  for (const auto& a : r.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  int e = errno;
  (void)!write(report, &e, sizeof e);
  _exit(127);
}

/// Pumps stdin/stdout/stderr until both outputs close or the deadline passes.
bool pump(int in, int out, int err, const std::string& input, ChildResult& result, Micros deadline) {
  size_t written = 0;
  if (input.empty()) {
    close(in);
    in = -1;
  }
  while (out >= 0 || err >= 0) {
    Micros left = deadline - now_us();
    if (left <= 0) {
      if (in >= 0) close(in);
      return false;
    }
    pollfd fds[3] = {{out, POLLIN, 0}, {err, POLLIN, 0}, {in, POLLOUT, 0}};
    int n = poll(fds, 3, static_cast<int>(left / 1000) + 1);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      std::string& into = i == 0 ? result.out : result.err;
      if (got > 0) {
        if (into.size() < kMaxOutput) into.append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        (i == 0 ? out : err) = -1;
      }
    }
    if (in >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t put = write(in, input.data() + written, input.size() - written);
      if (put > 0) written += static_cast<size_t>(put);
      if (put < 0 || written == input.size()) {
        close(in);
        in = -1;
      }
    }
  }
  if (in >= 0) close(in);
  return true;
}

}  // namespace

ChildResult run_child(const ChildRequest& r) {
  ChildResult result;
  if (r.argv.empty()) {
    result.error = "nothing to run";
    return result;
  }
  int in[2], out[2], err[2], report[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  // A child that exits before reading all its input must not kill us with SIGPIPE.
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  Micros t0 = now_us();
  pid_t pid = fork();
  if (pid == 0) exec_child(r, in[0], out[1], err[1], report[1]);
  for (int fd : {in[0], out[1], err[1], report[1]}) close(fd);
  if (pid < 0) {
    result.error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in[1], out[0], err[0], report[0]}) close(fd);
    sigaction(SIGPIPE, &old, nullptr);
    return result;
  }
  setpgid(pid, pid);  // both sides set it: no race with the kill below
  int exec_errno = 0;
  bool exec_failed = read(report[0], &exec_errno, sizeof exec_errno) == static_cast<ssize_t>(sizeof exec_errno);
  close(report[0]);
  bool finished = pump(in[1], out[0], err[0], r.input, result, t0 + Micros(r.timeout_ms) * 1000);
  if (!finished) {
    kill(-pid, SIGKILL);
    result.timed_out = true;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (finished) kill(-pid, SIGKILL);  // leftovers it started in its group
  sigaction(SIGPIPE, &old, nullptr);
  result.ms = to_ms(now_us() - t0);
  if (exec_failed) {
    result.error = exec_errno < 0 ? "cannot enter " + r.cwd + ": " + std::strerror(-exec_errno)
                                  : "cannot run " + r.argv[0] + ": " + std::strerror(exec_errno);
    return result;
  }
  result.started = true;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace wscheck
