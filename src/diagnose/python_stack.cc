#include "diagnose/python_stack.h"

#include <sstream>

namespace wscheck {

std::string PythonFrame::str(const std::string& cwd) const {
  std::string shown = file;
  if (!cwd.empty() && shown.rfind(cwd + "/", 0) == 0) shown = shown.substr(cwd.size() + 1);
  return shown + ":" + std::to_string(line) + " in " + function + "()";
}

std::vector<PythonFrame> stuck_frames(const std::string& text) {
  // Blocks: "Thread 0x... (most recent call first):" then "  File \"F\", line N in FUNC" lines.
  std::vector<std::vector<PythonFrame>> blocks;
  std::vector<bool> importing;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("(most recent call first):") != std::string::npos) {
      blocks.emplace_back();
      importing.push_back(false);
      continue;
    }
    const std::string head = "  File \"";
    if (blocks.empty() || line.rfind(head, 0) != 0) continue;
    auto q = line.find("\", line ", head.size());
    auto in_pos = line.find(" in ", q == std::string::npos ? 0 : q);
    if (q == std::string::npos || in_pos == std::string::npos) continue;
    PythonFrame f;
    f.file = line.substr(head.size(), q - head.size());
    f.line = std::atoi(line.c_str() + q + 8);
    f.function = line.substr(in_pos + 4);
    if (f.file == "<string>" && f.function == "import_app") importing.back() = true;
    if (f.file.empty() || f.file.front() == '<') continue;
    blocks.back().push_back(f);
  }
  for (size_t i = 0; i < blocks.size(); ++i)
    if (importing[i]) return blocks[i];
  return blocks.empty() ? std::vector<PythonFrame>{} : blocks.front();
}

}  // namespace wscheck
