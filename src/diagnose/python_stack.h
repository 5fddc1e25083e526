// Reading the stack faulthandler prints when an import does not finish.
#pragma once

#include <string>
#include <vector>

namespace wscheck {

/// One frame: file, line, function.
struct PythonFrame {
  std::string file;
  int line = 0;
  std::string function;
  std::string str(const std::string& cwd) const;  // "db.py:14 in connect()"
};

/// The frames of the app in the thread that was importing, most recent first:
/// the checker's own frames ("<string>") and importlib's ("<frozen ...>") left out.
std::vector<PythonFrame> stuck_frames(const std::string& faulthandler_text);

}  // namespace wscheck
