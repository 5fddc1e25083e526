// Unit tests for npm semver ranges (src/diagnose/semver.cc), as node-semver reads them.
#include <doctest/doctest.h>

#include "diagnose/semver.h"

using namespace wscheck;

namespace {

bool in(const char* version, const char* range) {
  auto r = range_satisfied(version, range);
  REQUIRE_MESSAGE(r.has_value(), version, " / ", range, " was not understood");
  return *r;
}

}  // namespace

TEST_CASE("semver: caret ranges") {
  CHECK(in("1.2.3", "^1.2.3"));
  CHECK(in("1.9.0", "^1.2.3"));
  CHECK_FALSE(in("2.0.0", "^1.2.3"));
  CHECK_FALSE(in("1.2.2", "^1.2.3"));
  CHECK(in("0.2.9", "^0.2.3"));
  CHECK_FALSE(in("0.3.0", "^0.2.3"));
  CHECK(in("0.0.3", "^0.0.3"));
  CHECK_FALSE(in("0.0.4", "^0.0.3"));
  CHECK(in("0.0.9", "^0.0"));
  CHECK_FALSE(in("0.1.0", "^0.0"));
  CHECK(in("1.5.0", "^1"));
  CHECK(in("1.2.0", "^1.x"));
  CHECK_FALSE(in("2.0.0", "^1.x"));
}

TEST_CASE("semver: tilde ranges") {
  CHECK(in("1.2.9", "~1.2.3"));
  CHECK_FALSE(in("1.3.0", "~1.2.3"));
  CHECK(in("1.2.0", "~1.2"));
  CHECK_FALSE(in("1.3.0", "~1.2"));
  CHECK(in("1.9.9", "~1"));
  CHECK_FALSE(in("2.0.0", "~1"));
}

TEST_CASE("semver: comparators, sets and alternatives") {
  CHECK(in("1.2.3", ">=1.2.3"));
  CHECK_FALSE(in("1.2.2", ">=1.2.3"));
  CHECK(in("1.5.0", ">=1.2.3 <2.0.0"));
  CHECK_FALSE(in("2.0.0", ">=1.2.3 <2.0.0"));
  CHECK(in("1.5.0", ">= 1.2.3 < 2"));
  CHECK(in("2.0.0", ">1"));
  CHECK_FALSE(in("1.9.9", ">1"));
  CHECK(in("1.2.9", "<=1.2"));
  CHECK_FALSE(in("1.3.0", "<=1.2"));
  CHECK(in("3.1.0", "^1.0.0 || ^3.0.0"));
  CHECK_FALSE(in("2.1.0", "^1.0.0 || ^3.0.0"));
  CHECK(in("1.2.3", "1.2.3"));
  CHECK(in("1.2.3", "=1.2.3"));
  CHECK_FALSE(in("1.2.4", "1.2.3"));
}

TEST_CASE("semver: x-ranges and hyphen ranges") {
  CHECK(in("1.4.0", "1.x"));
  CHECK(in("1.2.7", "1.2.*"));
  CHECK_FALSE(in("1.3.0", "1.2.x"));
  CHECK(in("9.9.9", "*"));
  CHECK(in("9.9.9", ""));
  CHECK(in("1.2.3", "1.2.3 - 2.3.4"));
  CHECK(in("2.3.4", "1.2.3 - 2.3.4"));
  CHECK_FALSE(in("2.3.5", "1.2.3 - 2.3.4"));
  CHECK(in("2.3.9", "1.2 - 2.3"));
  CHECK_FALSE(in("2.4.0", "1.2 - 2.3"));
  CHECK_FALSE(in("1.1.9", "1.2 - 2.3"));
}

TEST_CASE("semver: prereleases only match a range that names one of the same version") {
  CHECK_FALSE(in("2.0.0-beta.1", "^1.0.0 || >=1.0.0"));
  CHECK(in("1.2.3-beta.3", "^1.2.3-beta.2"));
  CHECK_FALSE(in("1.2.3-beta.1", "^1.2.3-beta.2"));
  CHECK_FALSE(in("1.2.4-beta.3", "^1.2.3-beta.2"));
  auto a = parse_semver("1.0.0-alpha"), b = parse_semver("1.0.0-alpha.1"), c = parse_semver("1.0.0");
  REQUIRE((a && b && c));
  CHECK(compare(*a, *b) < 0);
  CHECK(compare(*b, *c) < 0);
  CHECK(compare(*parse_semver("1.0.0-beta.11"), *parse_semver("1.0.0-beta.2")) > 0);
}

TEST_CASE("semver: what is not a semver range is not judged") {
  CHECK_FALSE(range_satisfied("1.0.0", "latest").has_value());
  CHECK_FALSE(range_satisfied("1.0.0", "git+https://example.invalid/x.git").has_value());
  CHECK_FALSE(range_satisfied("1.0.0", "file:../x").has_value());
  CHECK_FALSE(range_satisfied("not-a-version", "^1.0.0").has_value());
  CHECK(range_satisfied("v1.2.3+build.5", "^1.2.0").value_or(false));
}
