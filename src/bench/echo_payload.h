// The bytes of echo message number `seq` on connection `conn`: made, then checked.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wscheck {

/// Fills `out[0..size)` with message `seq` of connection `conn`: the
/// sequence number little-endian in the first 8 bytes, then a pattern that
/// depends on both, so a dropped, reordered or corrupted byte is caught.
inline unsigned char echo_byte(std::size_t i, std::uint64_t seq, std::uint32_t conn, unsigned char mask) {
  auto b = i < 8 ? static_cast<unsigned char>(seq >> (8 * i)) : static_cast<unsigned char>(i * 7 + seq + conn);
  return static_cast<unsigned char>(b & mask);
}

/// `mask` 0x7f keeps text frames 7-bit ASCII (valid UTF-8); 0xff for binary.
inline void fill_echo_payload(unsigned char* out, std::size_t size, std::uint64_t seq, std::uint32_t conn,
                              unsigned char mask = 0xff) {
  for (std::size_t i = 0; i < size; ++i) out[i] = echo_byte(i, seq, conn, mask);
}

/// The index of the first byte that differs from message `seq`, or `size`
/// when all of `got` matches.
inline std::size_t first_echo_mismatch(const unsigned char* got, std::size_t size, std::uint64_t seq, std::uint32_t conn,
                                       unsigned char mask = 0xff) {
  for (std::size_t i = 0; i < size; ++i)
    if (got[i] != echo_byte(i, seq, conn, mask)) return i;
  return size;
}

}  // namespace wscheck
