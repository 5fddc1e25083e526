#include "cli/generate_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/cli_spec.h"
#include "cli/completion_bash.h"
#include "cli/completion_zsh.h"
#include "cli/man_page.h"
#include "core/exit_status.h"

namespace wscheck {

void add_generate_options(CLI::App& app, GenerateOptions& options) {
  app.add_option("--generate", options.what, "Print the man page or a completion script")
      ->check(CLI::IsMember({"man", "bash", "zsh"}))
      ->group("");
  app.add_option("--man-prose", options.man_prose, "The man page's hand-written sections (roff)")->group("");
}

int generate_command(const CLI::App& app, const GenerateOptions& options, const std::string& version) {
  const CommandSpec cli = describe_cli(app, "wscheck");
  std::string text;
  if (options.what == "bash") {
    text = render_bash_completion(cli);
  } else if (options.what == "zsh") {
    text = render_zsh_completion(cli);
  } else {
    if (options.man_prose.empty()) {
      std::fprintf(stderr, "wscheck: --generate man needs --man-prose FILE (src/cli/man_prose.roff)\n");
      return to_int(ExitStatus::kUsage);
    }
    std::ifstream in(options.man_prose, std::ios::binary);
    std::ostringstream prose;
    if (in.is_open()) prose << in.rdbuf();
    if (!in.is_open() || in.bad()) {
      std::fprintf(stderr, "wscheck: --man-prose: cannot read %s\n", options.man_prose.c_str());
      return to_int(ExitStatus::kUsage);
    }
    std::optional<std::string> page = render_man_page(cli, prose.str(), version);
    if (!page) {
      std::fprintf(stderr, "wscheck: %s: no line '%s' where the commands go\n", options.man_prose.c_str(),
                   kManCommandsMarker);
      return to_int(ExitStatus::kUsage);
    }
    text = *page;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : to_int(ExitStatus::kEnvironment);
}

}  // namespace wscheck
