#include "report/file_reporters.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "report/github_reporter.h"
#include "report/json_reporter.h"
#include "report/junit_reporter.h"
#include "report/tap_reporter.h"

namespace wscheck {

namespace {

std::string check_path(const char* flag, const std::string& path) {
  if (path.empty()) return "";
  const std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return std::string(flag) + " " + path + ": the directory " + dir + " does not exist";
  if (access(dir.c_str(), W_OK) != 0) return std::string(flag) + " " + path + ": the directory " + dir + " is not writable";
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return std::string(flag) + " " + path + " is a directory";
  return "";
}

}  // namespace

std::string check_report_options(const ReportOptions& o) {
  if (o.json_path == "-") return "--report-json: \"-\" (stdout) is only supported for --report-tap; give a file name";
  if (o.junit_path == "-") return "--report-junit: \"-\" (stdout) is only supported for --report-tap; give a file name";
  const std::pair<const char*, const std::string*> paths[] = {
      {"--report-json", &o.json_path}, {"--report-junit", &o.junit_path}, {"--report-tap", &o.tap_path}};
  for (size_t i = 0; i < 3; ++i) {
    for (size_t k = i + 1; k < 3; ++k)
      if (!paths[i].second->empty() && *paths[i].second == *paths[k].second)
        return std::string(paths[i].first) + " and " + paths[k].first + " both write " + *paths[i].second;
    if (*paths[i].second == "-") continue;
    if (std::string e = check_path(paths[i].first, *paths[i].second); !e.empty()) return e;
  }
  return "";
}

std::vector<std::unique_ptr<Reporter>> make_reporters(const ReportOptions& o) {
  std::vector<std::unique_ptr<Reporter>> out;
  if (!o.json_path.empty()) out.push_back(std::make_unique<JsonReporter>(o.json_path, o.meta));
  if (!o.junit_path.empty()) out.push_back(std::make_unique<JunitReporter>(o.junit_path, o.meta));
  if (!o.tap_path.empty()) out.push_back(std::make_unique<TapReporter>(o.tap_path));
  if (o.github) {
    const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
    // Workflow commands are read from stderr too; stdout may be a TAP stream.
    out.push_back(std::make_unique<GithubReporter>(o.tap_path == "-" ? stderr : stdout, summary ? summary : ""));
  }
  return out;
}

std::vector<std::string> prepare_reports(const std::vector<std::unique_ptr<Reporter>>& reporters) {
  std::vector<std::string> errors;
  for (const auto& r : reporters)
    if (auto* file = dynamic_cast<FileReporter*>(r.get()); file && !file->prepare())
      errors.push_back(file->format() + " report: " + file->error());
  return errors;
}

std::vector<std::string> report_errors(const std::vector<std::unique_ptr<Reporter>>& reporters) {
  std::vector<std::string> errors;
  for (const auto& r : reporters) {
    if (const auto* file = dynamic_cast<const FileReporter*>(r.get()); file && !file->error().empty())
      errors.push_back(file->format() + " report: " + file->error());
    else if (const auto* gh = dynamic_cast<const GithubReporter*>(r.get()); gh && !gh->error().empty())
      errors.push_back("GitHub step summary: " + gh->error());
  }
  return errors;
}

}  // namespace wscheck
