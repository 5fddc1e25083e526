// Escaping for the report formats: XML, YAML (TAP), TAP descriptions,
// GitHub workflow commands and Markdown table cells.
//
/// Every function accepts arbitrary bytes: invalid UTF-8 becomes U+FFFD, so a
/// report stays well-formed whatever a server sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wscheck {

/// Decodes the code point at `i` and advances `i`; an invalid or truncated
/// sequence yields U+FFFD and consumes one byte.
std::uint32_t next_code_point(std::string_view s, size_t& i);

/// Character data for an XML 1.0 element: & < > " ' escaped, CR kept as
/// &#13;, characters XML 1.0 forbids (\x00-\x08, \x0B, \x0C, \x0E-\x1F,
/// U+FFFE, U+FFFF) dropped.
std::string xml_text(std::string_view s);
/// Like xml_text, and TAB/LF/CR as character references so attribute-value
/// normalisation keeps them.
std::string xml_attr(std::string_view s);

/// A YAML double-quoted scalar (with the quotes); non-printable characters
/// as \uXXXX escapes.
std::string yaml_quoted(std::string_view s);

/// A TAP test-point description: on one line, with "\" and "#" escaped.
std::string tap_description(std::string_view s);
/// Free text on one TAP line (a directive reason, a comment): control
/// characters become spaces.
std::string tap_line(std::string_view s);

/// GitHub workflow-command message data: % CR LF as %25 %0D %0A.
std::string github_data(std::string_view s);
/// GitHub workflow-command property value: as github_data, plus : and , as %3A %2C.
std::string github_property(std::string_view s);

/// A Markdown table cell: | escaped, line breaks as <br>, HTML-significant
/// characters as entities, other control characters dropped.
std::string markdown_cell(std::string_view s);

/// "0.012": milliseconds or seconds with three decimals, as the machine formats print them.
std::string fixed3(double value);

}  // namespace wscheck
