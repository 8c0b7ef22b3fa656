// Group commit: one writer thread owns the ledger's write connection. Requests verify their
// records in parallel, then queue them here; the writer takes everything queued, appends it in
// one transaction and commits once (one fsync for the batch), then answers every request of the
// batch. A 201 is sent only after that commit returned, so an answered consent is on disk, and
// durability costs one fsync per batch rather than per consent.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ledger.hpp"

namespace doui::server {

struct WriteResult {
  bool stored = false;  ///< false: the store failed and nothing of the batch was written
  std::string failure;  ///< the store's error, for the log (never sent to clients)
  Appended appended;
};

class Writer {
 public:
  /// `open` makes a store connection (called on the writer thread, again after a failure).
  /// `on_commit` is told each commit's latency in seconds and its row count.
  Writer(std::function<std::unique_ptr<Store>()> open,
         std::function<void(double, std::size_t)> on_commit);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Queues `s`, received (and verified) at `received_at`; the future is ready after the commit.
  std::future<WriteResult> submit(Submission s, std::string received_at);

 private:
  struct Item {
    Submission submission;
    std::string received_at;
    std::promise<WriteResult> done;
  };
  void run();
  void write_batch(std::deque<Item>& batch);

  std::function<std::unique_ptr<Store>()> open_;
  std::function<void(double, std::size_t)> on_commit_;
  std::unique_ptr<Store> store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace doui::server
