#include "writer.hpp"

#include <vector>

#include "doui/age.hpp"

namespace doui::server {
namespace {

// How many submissions one transaction takes at most: enough to absorb a burst, few enough
// that the first of them does not wait long for the last.
constexpr std::size_t kMaxBatch = 512;

std::string now_text() {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return format_instant(Instant{ms});
}

}  // namespace

Writer::Writer(std::function<std::unique_ptr<Store>()> open,
               std::function<void(double, std::size_t)> on_commit)
    : open_(std::move(open)), on_commit_(std::move(on_commit)), thread_([this] { run(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::future<WriteResult> Writer::submit(Submission s, std::string received_at) {
  Item item{std::move(s), std::move(received_at), {}};
  auto fut = item.done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
  return fut;
}

void Writer::run() {
  for (;;) {
    std::deque<Item> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      // Everything queued is written before the writer stops: no answered request is lost.
      if (queue_.empty()) return;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    write_batch(batch);
  }
}

void Writer::write_batch(std::deque<Item>& batch) {
  std::vector<WriteResult> results(batch.size());
  const auto started = std::chrono::steady_clock::now();
  std::size_t created = 0;
  try {
    if (!store_) store_ = open_();
    store_->begin_write();
    Head head = store_->head();
    Commit commit;
    commit.number = head.commit + 1;
    commit.previous = head.commit_hash;
    commit.first = head.position + 1;
    std::vector<std::string> hashes;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      results[i].appended = append_submission(*store_, batch[i].submission, head,
                                              batch[i].received_at, commit.number);
      if (results[i].appended.outcome == Outcome::Created) {
        hashes.push_back(results[i].appended.entry.hash);
      }
    }
    created = hashes.size();
    if (created > 0) {
      commit.last = head.position;
      commit.committed_at = now_text();
      commit.hash = commit_hash(commit, hashes);
      store_->add_commit(commit);
      store_->commit();
    } else {
      store_->rollback();  // nothing new: replays and refusals only
    }
    for (auto& r : results) r.stored = true;
  } catch (const StoreError& e) {
    // Nothing of the batch is in the ledger: every request of it is told so (503), and the
    // connection is opened afresh for the next batch.
    if (store_) {
      try {
        store_->rollback();
      } catch (const StoreError&) {
      }
    }
    store_.reset();
    for (auto& r : results) {
      r = WriteResult{};
      r.failure = e.what;
    }
    created = 0;
  }
  if (created > 0 && on_commit_) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    on_commit_(took.count(), created);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(std::move(results[i]));
}

}  // namespace doui::server
