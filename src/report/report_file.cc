#include "report/report_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wscheck {

bool write_report(const std::string& path, const std::string& content, std::string& error) {
  if (path == "-") {
    bool ok = std::fwrite(content.data(), 1, content.size(), stdout) == content.size();
    ok = std::fflush(stdout) == 0 && ok;
    if (!ok) error = std::string("stdout: ") + std::strerror(errno);
    return ok;
  }
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    error = tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  int saved = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = path + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  if (!ok) {
    error = tmp + ": " + std::strerror(saved);
    std::remove(tmp.c_str());
  }
  return ok;
}

bool FileReporter::prepare() {
  error_.clear();
  if (path_ == "-") return true;
  const std::string tmp = path_ + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    error_ = tmp + ": " + std::strerror(errno);
    std::fprintf(stderr, "wscheck: could not write the %s report: %s\n", format_.c_str(), error_.c_str());
    return false;
  }
  std::fclose(f);
  return true;
}

void FileReporter::on_run_end(const RunSummary& summary, const std::vector<ScenarioResult>& all) {
  if (!error_.empty()) return;  // prepare() failed and said so
  std::string content = render(summary, all);
  if (!write_report(path_, content, error_))
    std::fprintf(stderr, "wscheck: could not write the %s report: %s\n", format_.c_str(), error_.c_str());
}

}  // namespace wscheck
