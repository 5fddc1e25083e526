#include "cli/scenario_plan_walk.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/parser.h"

namespace fs = std::filesystem;

namespace wscheck {

namespace {

constexpr size_t kMaxCandidateBytes = 8 * 1024 * 1024;  // a scenario file is never this big

// Not entered below a walked directory: dependencies, hidden folders, and
// `examples/` (protocol examples need their own servers; naming the folder runs them).
bool skipped_folder(const fs::path& p) {
  std::string name = p.filename().string();
  return name == "node_modules" || name == "examples" || (name.size() > 1 && name[0] == '.' && name != "..");
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

bool looks_like_scenario_file(const std::string& text) {
  nlohmann::json root = nlohmann::json::parse(text, nullptr, false, true);
  if (root.is_discarded())  // broken JSON: a scenario file with a typo is still the user's scenario
    return text.find("\"steps\"") != std::string::npos || text.find("\"scenarios\"") != std::string::npos;
  return root.is_object() && (root.contains("steps") || root.contains("scenarios"));
}

ScenarioFileSearch find_scenario_files_forgiving(const std::vector<std::string>& paths) {
  ScenarioFileSearch search;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      search.files.push_back(p);
      continue;
    }
    if (!fs::is_directory(p, ec)) throw ScenarioError(SourceRef{p, {}}, "no such file or directory");
    std::vector<std::string> found;
    size_t json_files = 0;
    auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
    for (size_t guard = 0; !ec && it != fs::recursive_directory_iterator() && guard < 1000000; it.increment(ec), ++guard) {
      if (it->is_directory(ec)) {
        if (skipped_folder(it->path())) {
          ++search.skipped_folders;
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!it->is_regular_file(ec) || it->path().extension() != ".json") continue;
      ++json_files;
      std::string name = it->path().string();
      if (it->file_size(ec) <= kMaxCandidateBytes && looks_like_scenario_file(read_file(it->path()))) {
        found.push_back(name);
      } else {
        ++search.skipped_not_scenarios;
        if (search.skipped_examples.size() < 3) search.skipped_examples.push_back(name);
      }
    }
    std::sort(found.begin(), found.end());
    if (found.empty())
      throw ScenarioError(SourceRef{p, {}}, json_files ? "no scenario files in this directory (" + std::to_string(json_files) +
                                                             " *.json file(s) without a top-level \"steps\" or \"scenarios\" key)"
                                                       : "no *.json scenario files in this directory");
    search.files.insert(search.files.end(), found.begin(), found.end());
  }
  return search;
}

}  // namespace wscheck
