// The fidelity check shared by the HTML and text tests: every sentence of the published policy
// (tests/fixtures/published-policy.txt) must appear in a rendering, in order.
#pragma once

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace doui::test {

inline std::string strip_space(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

/// The published text's sentences (split at 。 and line ends), markdown link syntax and list
/// markers removed, whitespace removed.
inline std::vector<std::string> published_sentences() {
  std::string text = read_source_file("tests/fixtures/published-policy.txt");
  text = std::regex_replace(text, std::regex(R"(\[([^\]\n]*)\]\(#\))"), "$1");
  std::vector<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("- ", 0) == 0) line = line.substr(2);
    std::size_t start = 0;
    const std::string stop = "。";
    while (start < line.size()) {
      std::size_t end = line.find(stop, start);
      end = end == std::string::npos ? line.size() : end + stop.size();
      std::string s = strip_space(line.substr(start, end - start));
      if (!s.empty()) out.push_back(s);
      start = end;
    }
  }
  return out;
}

/// Text content of HTML: tags removed (and <head> skipped), the five entities decoded.
inline std::string html_text(const std::string& html) {
  std::string body = html;
  auto head_end = body.find("</head>");
  if (head_end != std::string::npos) body = body.substr(head_end);
  std::string out;
  bool in_tag = false;
  for (char c : body) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    std::string::size_type at = 0;
    while ((at = out.find(from, at)) != std::string::npos) {
      out.replace(at, std::string(from).size(), to);
      at += std::string(to).size();
    }
  }
  return out;
}

/// Empty when every sentence is found in order in `rendering`; else the first one missing.
inline std::string first_missing_sentence(const std::string& rendering) {
  std::string hay = strip_space(rendering);
  std::size_t pos = 0;
  for (const auto& s : published_sentences()) {
    auto at = hay.find(s, pos);
    if (at == std::string::npos) return s;
    pos = at + s.size();
  }
  return {};
}

}  // namespace doui::test
