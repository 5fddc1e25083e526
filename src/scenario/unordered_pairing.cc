#include "scenario/unordered_pairing.h"

#include <functional>

namespace wscheck {

bool Pairing::complete() const { return !first_unpaired().has_value(); }

std::optional<size_t> Pairing::first_unpaired() const {
  for (size_t p = 0; p < element_of.size(); ++p)
    if (!element_of[p]) return p;
  return std::nullopt;
}

Pairing pair_one_to_one(const std::vector<std::vector<size_t>>& fits, size_t elements) {
  Pairing pairing;
  pairing.element_of.assign(fits.size(), std::nullopt);
  std::vector<std::optional<size_t>> pattern_of(elements);
  std::vector<bool> visited;
  // Iterative depth would be nicer, but the depth is bounded by the number of
  // patterns, which a scenario author writes by hand.
  std::function<bool(size_t)> augment = [&](size_t p) {
    for (size_t e : fits[p]) {
      if (e >= elements || visited[e]) continue;
      visited[e] = true;
      if (!pattern_of[e] || augment(*pattern_of[e])) {
        pattern_of[e] = p;
        pairing.element_of[p] = e;
        return true;
      }
    }
    return false;
  };
  for (size_t p = 0; p < fits.size(); ++p) {
    visited.assign(elements, false);
    augment(p);
  }
  return pairing;
}

}  // namespace wscheck
