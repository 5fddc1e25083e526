#include "cli/authoring_output.h"

#include <cstdio>

#include "author/authoring_error.h"
#include "author/output_files.h"
#include "core/exit_status.h"

namespace wscheck {

int save_written_scenario(const WrittenScenario& written, const std::string& output, bool force,
                          const std::string& command) {
  if (output == "-") {
    std::fwrite(written.text.data(), 1, written.text.size(), stdout);
    std::fflush(stdout);
  } else {
    try {
      write_generated({{output, written.text}}, force);
    } catch (const AuthoringError& e) {
      std::fprintf(stderr, "wscheck %s: %s\n", command.c_str(), e.what());
      return to_int(ExitStatus::kUsage);
    }
  }
  std::string file = output == "-" ? "FILE" : output;
  std::fprintf(stderr, "wscheck %s: %s%zu send(s), %zu expect(s)%s\n", command.c_str(),
               output == "-" ? "" : ("wrote " + output + ": ").c_str(), written.sends, written.expects,
               written.dropped ? (", " + std::to_string(written.dropped) + " frame(s) dropped").c_str() : "");
  std::string run = "wscheck run";
  if (!written.base_origin.empty()) run += " --url " + written.base_origin;
  for (const auto& [name, origin] : written.variables) {
    std::fprintf(stderr, "  variable %s: %s\n", name.c_str(), origin.c_str());
    run += " --var " + name + "=...";
  }
  std::fprintf(stderr, "  run it: %s %s\n", run.c_str(), file.c_str());
  return 0;
}

}  // namespace wscheck
