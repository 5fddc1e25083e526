// UTF-8 helpers shared by the scenario reader and the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wscheck {

/// Offset of the first byte that breaks UTF-8 validity, or nullopt if valid.
std::optional<size_t> find_invalid_utf8(std::string_view bytes);

/// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, std::uint32_t code_point);

/// Cuts `text` to at most `max_bytes` without splitting a character; adds "…" when cut.
std::string truncate_utf8(std::string_view text, size_t max_bytes);

}  // namespace wscheck
