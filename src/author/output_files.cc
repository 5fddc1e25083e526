#include "author/output_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "author/authoring_error.h"

namespace wscheck {

void refuse_existing(const std::vector<std::string>& paths, bool force) {
  if (force) return;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec))
      throw AuthoringError(p + " already exists; nothing was written (move it away, choose another path, or pass --force to overwrite)");
  }
}

void write_generated(const std::vector<GeneratedFile>& files, bool force) {
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.path);
  refuse_existing(paths, force);
  for (const auto& f : files) {
    std::filesystem::path path(f.path);
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw AuthoringError("cannot create directory " + path.parent_path().string() + ": " + ec.message());
    std::ofstream out(f.path, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out) throw AuthoringError("cannot write " + f.path + ": " + std::strerror(errno));
  }
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw AuthoringError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace wscheck
