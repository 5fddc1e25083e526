// npm's semver ranges (^ ~ >= < x-ranges || hyphen), for requires.node_packages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wscheck {

/// A semantic version: 1.2.3-beta.1 (build metadata dropped).
struct SemVer {
  long major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // prerelease identifiers
};

/// "1.2.3", "v1.2.3-rc.1+build"; nullopt if it is not a full version.
std::optional<SemVer> parse_semver(std::string_view text);

/// <0, 0, >0 by semver precedence.
int compare(const SemVer& a, const SemVer& b);

/// Whether `version` is inside `range` as npm reads it; nullopt when the
/// range is not a semver range (a git URL, "file:", "latest", ...) or the
/// version is not a version.
std::optional<bool> range_satisfied(std::string_view version, std::string_view range);

}  // namespace wscheck
