// Writing generated files without clobbering the user's work.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

/// A file the authoring commands want to create.
struct GeneratedFile {
  std::string path;
  std::string content;
};

/// Throws AuthoringError naming the first of `paths` that already exists
/// (unless `force`), so that nothing is written when anything would be
/// overwritten.
void refuse_existing(const std::vector<std::string>& paths, bool force);

/// Creates parent directories and writes every file, after
/// refuse_existing(). Throws AuthoringError if a file cannot be written.
void write_generated(const std::vector<GeneratedFile>& files, bool force);

/// Reads a whole file; throws AuthoringError ("cannot read FILE: reason").
std::string read_whole_file(const std::string& path);

}  // namespace wscheck
