// Histogram: relative error bound, exact merge, JSON round trip, empty case.
#include "bench/histogram.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using wscheck::Histogram;

TEST_CASE("histogram: every value's bucket middle is within 1% of it, 1 us .. 10^12 us") {
  for (double v = 1; v < 1e12; v *= 1.0137) {
    auto value = static_cast<std::int64_t>(v);
    std::size_t b = Histogram::bucket_of(value);
    CHECK(Histogram::bucket_low(b) <= value);
    CHECK(Histogram::bucket_high(b) >= value);
    double mid = static_cast<double>(Histogram::bucket_low(b) + (Histogram::bucket_high(b) - Histogram::bucket_low(b)) / 2);
    CHECK(std::abs(mid - static_cast<double>(value)) <= 0.01 * static_cast<double>(value));
  }
}

TEST_CASE("histogram: buckets tile the integers without gaps") {
  for (std::size_t i = 0; i + 1 < 3000; ++i) CHECK(Histogram::bucket_high(i) + 1 == Histogram::bucket_low(i + 1));
}

TEST_CASE("histogram: percentiles of random data are within 1% of the exact ones") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(7.0, 2.0);  // us: ~1 ms median, long tail
  std::vector<std::int64_t> values;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    auto v = static_cast<std::int64_t>(dist(rng)) + 1;
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    auto exact = values[static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1];
    CHECK(std::abs(static_cast<double>(h.percentile(q) - exact)) <= 0.01 * static_cast<double>(exact));
  }
  CHECK(h.percentile(1.0) == values.back());
  CHECK(h.max() == values.back());
  CHECK(h.min() == values.front());
  CHECK(h.count() == values.size());
}

TEST_CASE("histogram: merging two equals recording everything into one") {
  Histogram a, b, all;
  for (std::int64_t v = 1; v < 5000000; v = v * 3 / 2 + 7) {
    ((v % 2) ? a : b).record(v);
    all.record(v);
  }
  Histogram merged = a;
  merged.merge(b);
  CHECK(merged == all);
  CHECK(merged.to_json() == all.to_json());
  CHECK(merged.percentile(0.99) == all.percentile(0.99));
}

TEST_CASE("histogram: JSON round trip is exact; malformed JSON is refused") {
  Histogram h;
  for (std::int64_t v : {0, 1, 127, 128, 129, 1000, 123456, 99999999}) h.record(v);
  h.record_n(500, 7);
  Histogram back;
  std::string error;
  REQUIRE(Histogram::from_json(h.to_json(), back, error));
  CHECK(back == h);
  nlohmann::json bad = h.to_json();
  bad["count"] = 3;
  CHECK_FALSE(Histogram::from_json(bad, back, error));
  CHECK(error.find("does not equal") != std::string::npos);
  CHECK_FALSE(Histogram::from_json(nlohmann::json{{"buckets", {{-1, 2}}}}, back, error));
}

TEST_CASE("histogram: an empty histogram answers zeros and round-trips") {
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.percentile(0.99) == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  Histogram back;
  std::string error;
  REQUIRE(Histogram::from_json(h.to_json(), back, error));
  CHECK(back == h);
  Histogram other;
  other.record(5);
  h.merge(Histogram{});
  CHECK(h.count() == 0);
  h.merge(other);
  CHECK(h == other);
}

TEST_CASE("histogram: values beyond the range clamp instead of growing without bound") {
  Histogram h;
  h.record(-5);
  h.record(Histogram::kMaxValue * 4);
  CHECK(h.min() == 0);
  CHECK(h.max() == Histogram::kMaxValue);
  CHECK(h.buckets().size() == Histogram::bucket_of(Histogram::kMaxValue) + 1);
}
