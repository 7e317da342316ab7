// The support console's search (AccountStore::search, migration
// 0012_console_search) on 100 000 accounts in a SQLite file: a name in
// words, with a title and without accents, a common word (many matches,
// sorted by identifier, limit 50), a phone typed as heard, an RPPS, and a
// miss. Prints the set-up figures (accounts, time to insert them with the
// index's triggers, database size) and google-benchmark's time per search.
// Run: build/bench_search (PORTIER_BENCH_ACCOUNTS to change the count).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "common/clock.h"
#include "storage/open_database.h"
#include "storage/sql/sqlite_driver.h"
#include "storage/stores/sql_account_store.h"

using namespace portier;
namespace sq = portier::storage;

namespace {

const char* kFirst[] = {"Claire", "Hélène", "Jean", "Marie", "Paul", "Zoé", "Léa", "Hugo", "Amélie", "Noémie",
                        "Bruno", "Sophie", "Louis", "Chloé", "Théo", "Inès"};
const char* kLast[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
                       "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Lévy", "Roux", "Fournier"};

struct Fixture {
  FakeClock clock;
  std::shared_ptr<sq::sql::Database> db;
  std::unique_ptr<sq::SqlAccountStore> accounts;
  std::filesystem::path file;

  Fixture() {
    long n = std::getenv("PORTIER_BENCH_ACCOUNTS") ? std::atol(std::getenv("PORTIER_BENCH_ACCOUNTS")) : 100000;
    file = std::filesystem::temp_directory_path() / ("portier-search-bench-" + std::to_string(::getpid()) + ".db");
    auto opened = sq::sql::open_sqlite(file.string(), 2);
    if (!opened || !sq::migrate_database(**opened)) std::abort();
    db = *opened;
    accounts = std::make_unique<sq::SqlAccountStore>(db, clock);
    auto started = std::chrono::steady_clock::now();
    std::vector<Account> batch;
    for (long i = 0; i < n; ++i) {
      Account a;
      std::string first = kFirst[i % 16], last = kLast[(i / 16) % 18];
      a.identifier = "m" + std::to_string(i);
      a.email = "membre" + std::to_string(i) + "@exemple-" + std::to_string(i % 50) + ".fr";
      a.display_name = first + " " + last + " " + std::to_string(i / 288);
      char phone[16];
      std::snprintf(phone, sizeof phone, "+336%08ld", i);
      a.phone = phone;
      char rpps[12];
      std::snprintf(rpps, sizeof rpps, "1%010ld", i);
      a.rpps = rpps;
      batch.push_back(std::move(a));
      if (batch.size() == 5000) {
        if (!accounts->create_many(batch)) std::abort();
        batch.clear();
      }
    }
    if (!batch.empty() && !accounts->create_many(batch)) std::abort();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    std::cout << "accounts: " << n << "; inserted with the search index in " << ms << " ms; database "
              << std::filesystem::file_size(file) / (1024 * 1024) << " MiB\n";
  }
  ~Fixture() {
    accounts.reset();
    db.reset();
    std::filesystem::remove(file);
    std::filesystem::remove(file.string() + "-wal");
    std::filesystem::remove(file.string() + "-shm");
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void search(benchmark::State& state, const char* query) {
  auto& f = fixture();
  std::size_t found = 0;
  for (auto _ : state) {
    auto r = f.accounts->search(query, 50);
    if (!r) state.SkipWithError(r.error().detail.c_str());
    found = r ? r->size() : 0;
    benchmark::DoNotOptimize(found);
  }
  state.counters["results"] = static_cast<double>(found);
}

}  // namespace

BENCHMARK_CAPTURE(search, name_words_title_no_accents, "Dr dubois helene 12")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(search, last_name_only_many_matches, "martin")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(search, common_word_every_account, "membre")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(search, phone_as_heard, "06 00 01 23 45")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(search, rpps, "10000054321")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(search, miss, "inconnu")->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
