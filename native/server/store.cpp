#include "store_internal.hpp"

namespace doui::server {

std::unique_ptr<Store> open_store(std::string_view url) {
  auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
  if (starts("postgresql://") || starts("postgres://"))
    return open_postgres_store(std::string(url));
  if (starts("sqlite:")) url.remove_prefix(7);
  if (url.empty()) throw StoreError{"the database URL names no file"};
  return open_sqlite_store(std::string(url));
}

}  // namespace doui::server
