// Entry point of the wscheck unit tests (doctest).
//
// Tests that document known defects in src/ live in the test suite
// "known_bugs"; run without them with: unit_tests -tse=known_bugs
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
