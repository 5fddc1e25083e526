#include "report/junit_reporter.h"

#include "report/report_text.h"
#include "report/text_escape.h"

namespace wscheck {

namespace {

std::string seconds(double ms) { return fixed3(ms / 1000.0); }

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + xml_attr(value) + "\"";
}

std::string property(const char* name, const std::string& value) {
  return "      <property" + attr("name", name) + attr("value", value) + "/>\n";
}

void testcase(std::string& out, const ScenarioResult& r) {
  out += "    <testcase" + attr("classname", r.where.file) + attr("name", r.name) + attr("time", seconds(r.duration_ms));
  if (!r.where.file.empty()) out += attr("file", r.where.file);
  if (r.where.pos.line > 0) out += attr("line", std::to_string(r.where.pos.line));
  out += ">\n";
  if (r.status == Status::kFailed) {
    const std::string cls = r.diagnosis ? class_name(r.diagnosis->cls) : "failed";
    const std::string headline = r.diagnosis ? r.diagnosis->headline : "the scenario failed";
    out += "      <failure" + attr("message", cls + ": " + headline) + attr("type", cls) + ">" +
           xml_text(failure_text(r)) + "</failure>\n";
  } else if (r.status == Status::kNotRun) {
    out += "      <skipped" + attr("message", "not run: " + r.not_run_reason) + "/>\n";
  }
  const std::string log = scenario_log(r);
  if (!log.empty()) out += "      <system-out>" + xml_text(log) + "</system-out>\n";
  out += "    </testcase>\n";
}

}  // namespace

std::string JunitReporter::render(const RunSummary& summary, const std::vector<ScenarioResult>& all) const {
  size_t failures = 0, skipped = 0;
  for (const auto& r : all) {
    if (r.status == Status::kFailed) ++failures;
    if (r.status == Status::kNotRun) ++skipped;
  }
  const std::string counts = attr("tests", std::to_string(all.size())) + attr("failures", std::to_string(failures)) +
                             attr("errors", "0") + attr("skipped", std::to_string(skipped)) +
                             attr("time", seconds(summary.total_ms));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "wscheck") + counts + ">\n";
  out += "  <testsuite" + attr("name", "wscheck") + counts;
  if (!info().started_at.empty()) out += attr("timestamp", info().started_at);
  out += ">\n    <properties>\n";
  out += property("target", info().target);
  out += property("wscheck.version", meta_.version);
  out += property("libwebsockets.version", meta_.lws_version);
  out += property("openssl.version", meta_.openssl_version);
  out += property("exit_code", std::to_string(summary.exit_code));
  if (summary.interrupted) out += property("interrupted", "true");
  if (summary.repeat > 1) {
    out += property("repeat", std::to_string(summary.repeat));
    out += property("flaky", std::to_string(summary.flaky));
    for (const auto& c : summary.repeats)
      if (c.flaky()) out += property("flaky.scenario", c.name + " (passed " + std::to_string(c.passed) + "/" +
                                                           std::to_string(c.passed + c.failed) + ")");
  }
  out += "    </properties>\n";
  for (const auto& r : all) testcase(out, r);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace wscheck
