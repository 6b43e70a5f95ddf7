// libFuzzer target: parsing (and, when the input parses, printing and re-parsing) must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sluice/language/parser.hpp"
#include "sluice/language/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto result = sluice::language::parse(std::move(text));
  if (result.ok()) {
    // What we print must parse again.
    auto printed = sluice::language::print(result.doc);
    auto again = sluice::language::parse(printed, sluice::language::trusted_parse_options());
    if (!again.ok()) __builtin_trap();
  }
  return 0;
}
