// One-to-one pairing of patterns with array elements, for `$unordered`.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace wscheck {

/// The result of pairing: for each pattern, the element it took (if any).
/// A complete pairing has every pattern paired.
struct Pairing {
  std::vector<std::optional<size_t>> element_of;  // indexed by pattern
  bool complete() const;
  /// The first pattern left without an element, if any.
  std::optional<size_t> first_unpaired() const;
};

/// A maximum bipartite matching (Kuhn's augmenting paths): `fits[p]` lists
/// the elements pattern p matches. A greedy first-fit is not enough: pattern
/// 0 may take the only element pattern 1 fits, and must be moved.
Pairing pair_one_to_one(const std::vector<std::vector<size_t>>& fits, size_t elements);

}  // namespace wscheck
