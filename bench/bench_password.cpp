// The cost of refusing common passwords (credential/password_strength.h):
// loading the default word lists once at start (time, entries, memory), one
// lookup in them, zxcvbn's estimate, and the whole policy check a password
// form runs. Run: build/bench_password (lists from PORTIER_BENCH_WORDLISTS,
// colon-separated, else the Debian defaults).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "credential/password_policy.h"
#include "credential/password_strength.h"

using namespace portier;

namespace {

std::vector<std::string> list_paths() {
  const char* env = std::getenv("PORTIER_BENCH_WORDLISTS");
  if (!env || !*env) return {"/usr/share/dict/french", "/usr/share/dict/american-english", "/usr/share/john/password.lst"};
  std::vector<std::string> out;
  std::stringstream in(env);
  for (std::string p; std::getline(in, p, ':');) out.push_back(p);
  return out;
}

std::shared_ptr<const PasswordWordlist> lists() {
  static auto loaded = [] {
    auto start = std::chrono::steady_clock::now();
    auto l = PasswordWordlist::from_files(list_paths());
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!l) {
      std::cerr << l.error().detail << "\n";
      std::exit(1);
    }
    std::cout << "word lists: " << l->size() << " distinct words, " << l->memory_bytes() / 1024 << " KiB, loaded in "
              << ms << " ms\n";
    return std::make_shared<const PasswordWordlist>(std::move(*l));
  }();
  return loaded;
}

}  // namespace

static void BM_LoadWordlists(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(PasswordWordlist::from_files(list_paths()));
  state.counters["words"] = static_cast<double>(lists()->size());
  state.counters["KiB"] = static_cast<double>(lists()->memory_bytes() / 1024);
}
BENCHMARK(BM_LoadWordlists)->Unit(benchmark::kMillisecond)->Iterations(2);

static void BM_WordlistLookup(benchmark::State& state) {
  auto l = lists();
  for (auto _ : state) benchmark::DoNotOptimize(l->contains("motdepasse"));
}
BENCHMARK(BM_WordlistLookup);

static void BM_WordlistCandidates(benchmark::State& state) {
  auto l = lists();
  for (auto _ : state)
    for (const auto& c : wordlist_candidates("s0l3il2024!")) benchmark::DoNotOptimize(l->contains(c));
}
BENCHMARK(BM_WordlistCandidates);

static void BM_ZxcvbnEstimate(benchmark::State& state) {
  const std::vector<std::string> context{"jdupont", "Jean Dupont", "jean.dupont", "portier"};
  for (auto _ : state) benchmark::DoNotOptimize(PasswordStrength::guesses_log10("cheval agrafe pile correcte", context));
}
BENCHMARK(BM_ZxcvbnEstimate)->Unit(benchmark::kMicrosecond);

static void BM_PolicyCheck(benchmark::State& state) {
  PasswordPolicy policy(PasswordPolicyConfig{}, lists());
  const std::vector<std::string> context{"jdupont", "Jean Dupont", "jean.dupont", "portier"};
  const char* password = state.range(0) ? "cheval agrafe pile correcte" : "motdepasse123";
  for (auto _ : state) benchmark::DoNotOptimize(policy.check(password, context));
  state.SetLabel(password);
}
BENCHMARK(BM_PolicyCheck)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
