#include "diagnose/preflight.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "diagnose/classify.h"
#include "engine/clock.h"

namespace wscheck {

namespace {

bool on_path(const std::string& command) {
  if (command.find('/') != std::string::npos) return access(command.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + command).c_str(), X_OK) == 0) return true;
  return false;
}

/// Runs python3 -c "import MODULE"; returns "" or the last line of its stderr.
std::string import_error(const std::string& module, int timeout_ms) {
  for (char c : module)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'))
      return "\"" + module + "\" is not a Python module name";
  int pipefd[2];
  if (pipe(pipefd) != 0) return "cannot start python3";
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 2);
    int devnull = open("/dev/null", 1);
    if (devnull >= 0) dup2(devnull, 1);
    close(pipefd[0]);
    close(pipefd[1]);
    std::string code = "import " + module;
    execlp("python3", "python3", "-c", code.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipefd[1]);
  std::string err;
  char buf[1024];
  Micros deadline = now_us() + Micros(timeout_ms) * 1000;
  int status = 0;
  bool exited = false;
  fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
  while (now_us() < deadline) {
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n > 0 && err.size() < 65536) err.append(buf, static_cast<size_t>(n));
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      while ((n = read(pipefd[0], buf, sizeof buf)) > 0) err.append(buf, static_cast<size_t>(n));
      break;
    }
    if (n <= 0) usleep(2000);
  }
  close(pipefd[0]);
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return "python3 took longer than " + std::to_string(timeout_ms) + " ms to import it";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && err.empty()) return "python3 is not on PATH";
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  auto nl = err.rfind('\n');
  return nl == std::string::npos ? err : err.substr(nl + 1);
}

CheckLine line(CheckLine::Level level, std::string name, double ms, std::string detail, std::string hint = "") {
  std::string cls = level == CheckLine::Level::kFail ? "requires_failed" : "";
  return CheckLine{level, std::move(name), ms, std::move(detail), std::move(hint), cls};
}

}  // namespace

std::vector<CheckLine> check_requirements(const Requirements& req, int timeout_ms) {
  std::vector<CheckLine> out;
  for (const auto& name : req.env) {
    const char* v = std::getenv(name.c_str());
    if (v && *v) out.push_back(line(CheckLine::Level::kOk, "env " + name, 0, "set"));
    else out.push_back(line(CheckLine::Level::kFail, "env " + name, 0, name + " is not set (or empty)", "export " + name + "=... before running"));
  }
  for (const auto& cmd : req.commands) {
    if (on_path(cmd)) out.push_back(line(CheckLine::Level::kOk, "command " + cmd, 0, "found on PATH"));
    else out.push_back(line(CheckLine::Level::kFail, "command " + cmd, 0, cmd + " is not on PATH", "install it, or fix PATH"));
  }
  for (const auto& file : req.files) {
    struct stat st {};
    if (stat(file.c_str(), &st) == 0) out.push_back(line(CheckLine::Level::kOk, "file " + file, 0, "exists"));
    else out.push_back(line(CheckLine::Level::kFail, "file " + file, 0, file + " does not exist", "create it, or run from the directory the scenario expects"));
  }
  for (const auto& module : req.python_modules) {
    Micros t0 = now_us();
    std::string error = import_error(module, timeout_ms);
    double ms = to_ms(now_us() - t0);
    if (error.empty()) out.push_back(line(CheckLine::Level::kOk, "python " + module, ms, "importable by python3"));
    else out.push_back(line(CheckLine::Level::kFail, "python " + module, ms, error,
                            "install the module into the interpreter the server uses (pip install / apt-get install python3-...)"));
  }
  for (const auto& hostport : req.tcp) {
    std::string e;
    auto url = parse_url("tcp://" + hostport, e);
    if (!url) {
      out.push_back(line(CheckLine::Level::kFail, "tcp " + hostport, 0, e));
      continue;
    }
    ProbeResult r = probe_target(ProbeOptions{*url, timeout_ms, false, ""});
    double ms = r.lines.empty() ? 0 : r.lines.back().ms;
    if (r.ready()) out.push_back(line(CheckLine::Level::kOk, "tcp " + hostport, ms, "open"));
    else out.push_back(line(CheckLine::Level::kFail, "tcp " + hostport, ms, r.failure->headline, r.failure->hint));
  }
  for (const auto& u : req.http) {
    std::string e;
    auto url = parse_url(u, e);
    if (!url) {
      out.push_back(line(CheckLine::Level::kFail, "http " + u, 0, e));
      continue;
    }
    ProbeResult r = probe_target(ProbeOptions{*url, timeout_ms, false, ""});
    double total = 0;
    for (const auto& l : r.lines) total += l.ms;
    if (r.ready()) out.push_back(line(CheckLine::Level::kOk, "http " + u, total, "HTTP " + http_status_text(r.http_status)));
    else out.push_back(line(CheckLine::Level::kFail, "http " + u, total, r.failure->headline, r.failure->hint));
  }
  return out;
}

std::string first_failure(const std::vector<CheckLine>& lines) {
  for (const auto& l : lines)
    if (l.level == CheckLine::Level::kFail) return (l.cls.empty() ? "preflight" : l.cls) + ": " + l.detail;
  return "";
}

void print_check_lines(std::FILE* out, const std::vector<CheckLine>& lines, bool color) {
  for (const auto& l : lines) {
    const char* word = l.level == CheckLine::Level::kOk ? "ok  " : l.level == CheckLine::Level::kWarn ? "warn" : "FAIL";
    const char* code = l.level == CheckLine::Level::kOk ? "32" : l.level == CheckLine::Level::kWarn ? "33" : "31";
    std::string w = color ? std::string("\033[") + code + "m" + word + "\033[0m" : word;
    std::fprintf(out, "  %s  %-22s %9s  %s\n", w.c_str(), l.name.c_str(), format_ms(l.ms).c_str(), l.detail.c_str());
    if (!l.hint.empty() && l.level == CheckLine::Level::kFail) std::fprintf(out, "        hint: %s\n", l.hint.c_str());
  }
  std::fflush(out);
}

}  // namespace wscheck
