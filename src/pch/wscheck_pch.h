// Precompiled header: nlohmann/json and the standard headers most units
// include. Parsed once per library instead of once per file. (No #pragma
// once: meson compiles this file as a main file, where GCC warns about it.)

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
