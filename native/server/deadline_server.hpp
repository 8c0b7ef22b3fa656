// cpp-httplib with a deadline per request. cpp-httplib (0.11, Debian's) gives a connection one
// worker thread for as long as it lasts and bounds only each read and write (its read and write
// timeouts), so a client that sends a header byte every few seconds holds its worker for hours, and
// a hundred such clients hold them all. This server reads each request, headers and body, within a
// deadline from its first byte, and writes each response within another; a connection past
// either is closed. cpp-httplib still parses every byte: only the socket under its Stream is ours.
#pragma once

#include <atomic>

#include <httplib.h>

#include "server.hpp"

namespace doui::server {

class DeadlineServer final : public httplib::Server {
 public:
  explicit DeadlineServer(Deadlines d) : deadlines_(d) {}
  /// After bind_to_port: the listening socket's queue of connections not yet accepted, which
  /// cpp-httplib 0.11 sets to 5 (compiled into Debian's library), so a burst of clients would
  /// see connections refused and retried seconds later. Linux takes a new backlog from a second
  /// listen().
  bool raise_backlog(int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;

  Deadlines deadlines_;
  std::atomic<int> open_{0};
};

}  // namespace doui::server
