// Unit tests for src/core/redactor.h: secrets never leave the process.
#include "core/redactor.h"

#include <doctest/doctest.h>

#include <string>

using wscheck::Redactor;

TEST_SUITE("redactor") {

TEST_CASE("a secret is replaced with *** wherever it occurs") {
  Redactor r;
  r.add("supersecret");
  CHECK(r.apply("token=supersecret end") == "token=*** end");
  CHECK(r.apply("supersecret,supersecret") == "***,***");
  CHECK(r.apply("supersecretsupersecret") == "******");
  CHECK(r.apply("Authorization: Bearer supersecret") == "Authorization: Bearer ***");
  CHECK(r.apply("nothing to hide") == "nothing to hide");
  CHECK(r.apply("supersecre") == "supersecre");  // a prefix is not the secret
  CHECK(r.apply("") == "");
}

TEST_CASE("without secrets, text is unchanged") {
  Redactor r;
  CHECK(r.apply("abc supersecret") == "abc supersecret");
}

TEST_CASE("values shorter than 4 characters are ignored") {
  Redactor r;
  r.add("");
  r.add("abc");
  r.add("wxyz");
  CHECK(r.apply("abc def") == "abc def");
  CHECK(r.apply("wxyz") == "***");
}

TEST_CASE("the percent-encoded form of a secret is redacted too") {
  Redactor r;
  r.add("p@ss word/+=");
  CHECK(r.apply("p@ss word/+=") == "***");
  CHECK(r.apply("GET /ws?token=p%40ss%20word%2F%2B%3D HTTP/1.1") == "GET /ws?token=*** HTTP/1.1");
}

TEST_CASE("a secret containing another is replaced whole") {
  Redactor r;
  r.add("secret");
  r.add("secret-long-token");
  CHECK(r.apply("a secret-long-token b") == "a *** b");
  CHECK(r.apply("just secret") == "just ***");

  Redactor reversed;
  reversed.add("secret-long-token");
  reversed.add("secret");
  CHECK(reversed.apply("a secret-long-token b") == "a *** b");
}

TEST_CASE("adding the same secret twice is harmless") {
  Redactor r;
  r.add("repeated");
  r.add("repeated");
  CHECK(r.apply("repeated repeated") == "*** ***");
}

}  // TEST_SUITE("redactor")
