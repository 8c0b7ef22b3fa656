#include "records_io.hpp"

#include <algorithm>
#include <cstring>

namespace doui::cli {

bool LineReader::fill() {
  pos_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  return end_ > 0;
}

bool LineReader::next(std::string_view& line) {
  long_line_.clear();
  bool any = false, spans = false;
  for (;;) {
    if (pos_ == end_) {
      if (!fill()) break;
    }
    any = true;
    const char* start = buffer_.data() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t n = newline ? static_cast<std::size_t>(newline - start) : end_ - pos_;
    pos_ += n + (newline ? 1 : 0);
    if (newline && !spans) {
      line = std::string_view(start, n);  // the common case: no copy
      break;
    }
    spans = true;
    if (long_line_.size() < kMaxLine) {
      long_line_.append(start, std::min(n, kMaxLine - long_line_.size()));
    }
    if (newline) break;
  }
  if (spans) line = long_line_;
  if (!any) return false;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

std::string LineReader::rest() {
  std::string out;
  for (;;) {
    if (pos_ == end_ && !fill()) break;
    const std::size_t n = std::min(end_ - pos_, kMaxLine - out.size());
    out.append(buffer_.data() + pos_, n);
    pos_ = end_;
    if (out.size() >= kMaxLine) break;
  }
  return out;
}

void LineWriter::line(std::string_view text) {
  buffer_.append(text);
  buffer_ += '\n';
  if (buffer_.size() >= (std::size_t{1} << 16)) flush();
}

bool LineWriter::flush() {
  ok_ = ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), stdout) == buffer_.size() &&
        std::fflush(stdout) == 0;
  buffer_.clear();
  return ok_;
}

bool for_each_record(LineReader& in, void (*on_record)(std::string_view, void*), void* context) {
  std::string_view line;
  bool first = true;
  while (in.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (first) {
      first = false;
      // Only a lone "{" opens a pretty-printed record: a first NDJSON line that is merely cut
      // short must get its own verdict, not swallow the records after it.
      const auto from = line.find_first_not_of(" \t");
      const auto to = line.find_last_not_of(" \t");
      if (line.substr(from, to - from + 1) == "{") {
        std::string whole(line);
        whole += '\n';
        whole += in.rest();
        on_record(whole, context);
        return true;
      }
    }
    on_record(line, context);
  }
  return !first;
}

}  // namespace doui::cli
