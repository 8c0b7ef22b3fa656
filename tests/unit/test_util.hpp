#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace doui::test {

inline std::string read_source_file(const std::string& relative) {
  std::ifstream f(std::string(DOUI_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace doui::test
