#include "cli/import_har_command.h"

#include <cstdio>
#include <filesystem>

#include "author/authoring_error.h"
#include "author/har_reader.h"
#include "author/output_files.h"
#include "author/scenario_writer.h"
#include "cli/authoring_output.h"
#include "core/exit_status.h"

namespace wscheck {

int import_har_command(const ImportHarCommandOptions& o) {
  try {
    if (o.output != "-") refuse_existing({o.output}, o.force);
    std::string text = read_whole_file(o.har_file);
    Conversation conversation = read_har(text, o.har_file, HarOptions{o.url_filter});
    WriterOptions w;
    w.name = o.name.empty() ? "imported from " + std::filesystem::path(o.har_file).filename().string() : o.name;
    w.command = "import-har";
    w.drop_patterns = o.drops;
    w.absolute_urls = o.absolute_urls;
    WrittenScenario written = write_scenario(conversation, w);
    return save_written_scenario(written, o.output, o.force, "import-har");
  } catch (const AuthoringError& e) {
    std::fprintf(stderr, "wscheck import-har: %s\n", e.what());
    return to_int(ExitStatus::kUsage);
  }
}

}  // namespace wscheck
