// Streaming record input and output for `doui verify` and `doui export`: large block reads and
// writes, because a million records read with getline and written line by line spend more time
// in I/O than in verification (in wasm every read and write is a call into JavaScript).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace doui::cli {

/// Lines of a stream, read in 1 MiB blocks. A line longer than kMaxLine is cut there (no record
/// that long is valid, and memory stays bounded whatever the input).
class LineReader {
 public:
  static constexpr std::size_t kMaxLine = std::size_t{1} << 20;
  explicit LineReader(std::FILE* file) : file_(file) {}
  /// The next line, without "\n" or "\r\n"; false at the end of the input. The view is valid
  /// until the next call (it points into the block read when the line lies within one).
  bool next(std::string_view& line);
  /// Everything not read yet (up to kMaxLine more bytes).
  std::string rest();
  bool failed() const { return std::ferror(file_) != 0; }

 private:
  bool fill();
  std::FILE* file_;
  std::vector<char> buffer_ = std::vector<char>(std::size_t{1} << 20);
  std::size_t pos_ = 0, end_ = 0;
  std::string long_line_;  // a line that spans blocks
};

/// Lines to stdout, written in 64 KiB blocks.
class LineWriter {
 public:
  LineWriter() = default;
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;
  ~LineWriter() { flush(); }
  void line(std::string_view text);
  /// False if stdout could not be written, now or at any earlier flush.
  bool flush();

 private:
  std::string buffer_;
  bool ok_ = true;
};

/// Calls on_record for each record of the input: NDJSON one line at a time (memory stays flat),
/// or, when the first non-blank line is a lone "{", the entire input as one pretty-printed
/// record. False when the input holds no record.
bool for_each_record(LineReader& in, void (*on_record)(std::string_view, void*), void* context);

template <class F>
bool for_each_record(LineReader& in, F&& on_record) {
  return for_each_record(
      in, [](std::string_view text, void* f) { (*static_cast<F*>(f))(text); }, &on_record);
}

}  // namespace doui::cli
